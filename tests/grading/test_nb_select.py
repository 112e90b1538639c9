"""Which notebook cells the grader runs: names bound and read per cell, the needed cells, and the
shipped lessons' check cells giving the reference outputs when only the selected cells run."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import pytest
from nbval.plugin import get_sanitize_patterns

from cs231n_lin.checks.cells import cell_source, is_check_cell
from cs231n_lin.grading import nb_execute, nbgrade
from cs231n_lin.grading.nb_select import cell_names, needed_cells

sys.path.insert(0, os.path.dirname(__file__))
from grading_subs import REPO  # noqa: E402

NOTEBOOKS = REPO / "notebooks"


def test_function_parameters_and_locals_are_not_global_uses():
    names = cell_names("def f(X_train, reg=0.1):\n    q = X_train @ W\n    return [k for k in q], lr\n")
    assert names.binds == {"f"}
    assert names.uses >= {"W", "lr"} and not names.uses & {"X_train", "q", "k", "reg"}


def test_bindings_inside_blocks_and_in_place_changes_are_only_possible_bindings():
    names = cell_names("import numpy as np\nif flag:\n    a = 1\nfor i in range(3):\n    b = i\n"
                       "model.fit(X)\nd[0] = 1\nobj.attr = 2\nnp.random.seed(0)\nnp.mean(x)\n")
    assert names.binds == {"np"}
    assert names.may_bind >= {"a", "b", "i", "model", "d", "obj", "np"}
    assert "x" not in names.may_bind and not names.opaque


def test_unreadable_cells():
    assert cell_names("!pip install x").opaque
    assert cell_names("%run other.py").opaque
    assert cell_names("exec('a = 1')").opaque
    assert cell_names("from numpy import *").opaque
    assert not cell_names("%matplotlib inline\n%load_ext autoreload\nimport numpy as np").opaque
    assert cell_names("%%time\nx = 1").binds == {"x"}
    broken = cell_names("def f(:\n")
    assert not broken.opaque and not broken.binds and not broken.uses      # runs nothing


def test_needed_cells_follow_names_back_and_skip_the_rest():
    cells = [
        "import numpy as np\ndata = load()",            # 0 imports
        "model = Model()\nmodel.fit(data)",             # 1 training (needed by 5 only through model)
        "for lam in range(60):\n    sweep(lam)",        # 2 a sweep nobody needs
        "def f(x):\n    return np.sum(x)",              # 3 solution
        "check(f)",                                     # 4 check cell
        "acc = model.score(data)",                      # 5 uses the trained model
        "model.fit(more)",                              # 6 modifies model
        "print(model.W)",                               # 7
    ]
    assert needed_cells(cells, {3, 4}) == {0, 3, 4}
    assert needed_cells(cells, {5}) == {0, 1, 5}
    assert needed_cells(cells, {7}) == {0, 1, 6, 7}
    assert needed_cells(cells[:3] + ["!echo hi", "check(f)"], {4}) >= {0, 1, 2, 3, 4}


def test_a_conditional_binding_also_needs_the_binding_above_it():
    cells = ["x = 1", "if c:\n    x = 2", "c = True", "print(x)"]
    assert needed_cells(cells, {3}) == {0, 1, 3}


def _lessons():
    return sorted(p for p in NOTEBOOKS.glob("*.ipynb"))


def test_the_lessons_long_demonstrations_are_not_run_to_grade():
    skipped = {}
    for path in _lessons():
        nb, checks = nbgrade.rebuild(json.loads(path.read_text()), None)
        skipped[path.stem] = set(nb["metadata"]["cs231n_lin_skipped"])
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert all(is_check_cell(code[i]) for i, _ in checks)
    # the training run, the regularization sweep and the search of lesson 1; lesson 5's model comparison
    assert {"01-047", "01-054", "01-067", "01-069"} <= skipped["01_svm_hinge_loss"]
    assert "02-013" in skipped["02_squared_hinge"] and "03-028" in skipped["03_softmax_cross_entropy"]
    assert "04-023" in skipped["04_numeric_stability"]
    assert "05-027" in skipped["05_svm_vs_softmax"]


def test_a_student_cell_that_uses_a_demonstration_brings_that_cell_along():
    path = NOTEBOOKS / "01_svm_hinge_loss.ipynb"
    reference = json.loads(path.read_text())
    student = json.loads(path.read_text())
    for cell in student["cells"]:
        if cell.get("id") == "01-061":          # the grid cell now reads the trained model's settings
            cell["source"] = "learning_rates = [hp['learning_rate']]\nregs = [hp['reg']]\n"
    nb, _ = nbgrade.rebuild(reference, student)
    ran = {c.get("id") for c in nb["cells"] if c["cell_type"] == "code"}
    assert "01-047" in ran and "01-054" not in ran


def test_submitted_errors_are_feedback_for_cells_not_run():
    student = {"cells": [{"cell_type": "code", "id": "a", "source": "", "outputs": [
        {"output_type": "error", "ename": "ValueError", "evalue": "bad shape", "traceback": []}]},
        {"cell_type": "code", "id": "b", "source": "", "outputs": []}]}
    notes = nbgrade.submitted_errors("01.ipynb", student, ["a", "b"])
    assert len(notes) == 1 and "ValueError: bad shape" in notes[0] and "not re-run" in notes[0]
    assert nbgrade.submitted_errors("01.ipynb", student, ["b"]) == []
    assert nbgrade.submitted_errors("01.ipynb", None, ["a"]) == []


@pytest.mark.slow
def test_selected_cells_in_one_kernel_reproduce_every_check_output(tmp_path):
    """The oracle: the reference notebooks, cut to the cells the grader runs and run one after the
    other in one kernel by the grader's runner (``nb_execute.py``), print what the full notebooks
    printed in every check cell (after nbval's sanitizing)."""
    paths, checks = [], {}
    for path in _lessons():
        reference = json.loads(path.read_text())
        nb, checks[path.name] = nbgrade.rebuild(reference, reference)
        paths.append(str(tmp_path / path.name))
        (tmp_path / path.name).write_text(json.dumps(nb))
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "MPLBACKEND": "Agg", "CS231N_LIN_LANG": "en"}
    subprocess.run([sys.executable, nb_execute.__file__, str(out), "python3", "120", *paths], cwd=NOTEBOOKS,
                   env=env, check=True, timeout=600)
    patterns = get_sanitize_patterns((NOTEBOOKS / "nbval_sanitize.cfg").read_text())
    for path in _lessons():
        run = json.loads((out / (path.name + ".json")).read_text())
        assert run["stopped"] is None and checks[path.name], path.name
        cells = run["cells"]
        assert all(c["status"] == "ok" for c in cells), [c for c in cells if c["status"] != "ok"]
        for index, ref in checks[path.name]:
            got = cells[index]["text"]
            assert nbgrade._plain(got, patterns) == nbgrade._plain(nbgrade._reference_text(ref), patterns), \
                (path.name, cell_source(ref))


def test_a_notebook_that_stops_the_kernel_does_not_stop_the_next(tmp_path):
    """A hanging cell times out: its notebook is reported stopped, the next runs in a new kernel
    and starts clean (the reset cell clears what the previous notebook left)."""
    def notebook(*sources):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])

    first = notebook("import numpy as np\nnp.set_printoptions(precision=2)\nleft = 1",
                     "print(np.pi * np.ones(1))\nprint('one')")
    hang = notebook("import time\ntime.sleep(60)", "print('never')")
    last = notebook("import numpy as np\nprint(np.pi * np.ones(1))", "print('left' in dir())")
    paths = []
    for name, nb in (("a.ipynb", first), ("b.ipynb", notebook("print(left)")), ("c.ipynb", hang),
                     ("d.ipynb", last)):
        nbformat.write(nb, tmp_path / name)
        paths.append(str(tmp_path / name))
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run([sys.executable, nb_execute.__file__, str(out), "python3", "5", *paths], cwd=tmp_path,
                   check=True, timeout=120)
    runs = {p: json.loads((out / (os.path.basename(p) + ".json")).read_text()) for p in paths}
    a, b, c, d = (runs[p] for p in paths)
    assert a["stopped"] is None and [x["text"] for x in a["cells"]] == ["", "[3.14]\none\n"]
    assert b["cells"][0]["status"] == "error" and "NameError" in b["cells"][0]["text"]   # namespace cleared
    assert c["stopped"] and "CellTimeoutError" in c["stopped"] and c["cells"][1]["status"] is None
    assert d["stopped"] is None and [x["text"] for x in d["cells"]] == ["[3.14159265]\n", "False\n"]
