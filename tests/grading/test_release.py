"""Release: the student version of a synthetic source tree and of this repository."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
import tomllib

from cs231n_lin import cli
from cs231n_lin.grading.release import nb_transforms
from cs231n_lin.grading.release import release as rel
from cs231n_lin.grading.release.markers import MarkerError
from cs231n_lin.grading.release.student_readme import student_section

from .fake_source import HIDDEN_CANARY, SOLUTION_CANARY, all_text, make_source

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return make_source(tmp_path / "source")


@pytest.fixture
def released(source: Path, tmp_path: Path) -> Path:
    out = tmp_path / "student"
    rel.release(source=source, out_dir=out)
    return out


def _run(args, cwd, **env):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})


def test_files_selected(released: Path):
    files = {p.relative_to(released).as_posix() for p in released.rglob("*") if p.is_file()}
    assert files == {"pyproject.toml", "README.md", "fakepkg/__init__.py", "fakepkg/losses.py",
                     "tests/test_losses.py", "notebooks/squares.ipynb"}


def test_no_secret_text_anywhere(released: Path, source: Path):
    assert SOLUTION_CANARY in all_text(source) and HIDDEN_CANARY in all_text(source)
    text = all_text(released)
    assert SOLUTION_CANARY not in text
    assert HIDDEN_CANARY not in text
    assert "answer_canary_prose" not in text
    assert "total += v * v" not in text


def test_python_stubs_keep_hints_and_name_the_function(released: Path):
    text = (released / "fakepkg/losses.py").read_text()
    assert "        # HINT: add the square of v to total\n        raise NotImplementedError(" in text
    assert '"not written yet: mean_square in fakepkg/losses.py"' in text
    assert '"not written yet: Scaler.apply in fakepkg/losses.py"' in text
    assert text.count("# BEGIN SOLUTION") == 4  # 3 region markers + the docstring's mention


def test_released_package_imports_and_visible_tests_fail_with_not_implemented(released: Path):
    # Collection imports the package (stubs raise only when called); both tests then fail.
    proc = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], released,
                PYTHONPATH=str(released), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    assert proc.returncode == 1, proc.stdout  # test failures, not a collection error (exit code 2)
    assert "2 failed" in proc.stdout
    assert "NotImplementedError: not written yet: mean_square in fakepkg/losses.py" in proc.stdout
    assert "NotImplementedError: not written yet: Scaler.apply in fakepkg/losses.py" in proc.stdout


def test_released_pyproject_parses_and_relaxes_lint_only_for_stubbed_files(released: Path, source: Path):
    before = tomllib.loads((source / "pyproject.toml").read_text())
    after = tomllib.loads((released / "pyproject.toml").read_text())
    ignores = after["tool"]["ruff"]["lint"]["per-file-ignores"]
    assert ignores.pop("fakepkg/losses.py") == ["F821", "F841"]
    assert ignores.pop("notebooks/squares.ipynb") == ["F821", "F841"]
    assert after == before


def test_notebook_transforms(released: Path, source: Path):
    before = json.loads((source / "notebooks/squares.ipynb").read_text())
    text = (released / "notebooks/squares.ipynb").read_text()
    nbformat.validate(nbformat.reads(text, as_version=4))
    after = json.loads(text)
    cells = {c["id"]: c for c in after["cells"]}
    assert [c["id"] for c in after["cells"]] == [c["id"] for c in before["cells"]]
    solve = "".join(cells["solve"]["source"])
    assert "raise NotImplementedError(" in solve and "return 2 * x" not in solve
    assert cells["solve"]["outputs"] == [] and cells["solve"]["execution_count"] is None
    assert cells["check"]["outputs"] == [] and cells["check"]["execution_count"] is None  # no free PASS
    assert cells["check"]["source"] == before["cells"][2]["source"]
    assert cells["plain"]["outputs"] == []
    answer = "".join(cells["answer"]["source"])
    assert "Your answer here" in answer and "**Question:** why?" in answer
    assert cells["answer"]["metadata"] == {"tags": ["answer"]}
    assert after["metadata"] == before["metadata"]


def test_files_marked_grader_only_are_left_out(source: Path, tmp_path: Path):
    (source / "fakepkg/reference.py").write_text('"""Reference data."""\n# GRADER ONLY\nX = 1\n')
    (source / "fakepkg/late.py").write_text("\n" * 5 + "# GRADER ONLY\nX = 1\n")   # too late to count
    report = rel.release(source=source, out_dir=tmp_path / "out")
    assert not (tmp_path / "out/fakepkg/reference.py").exists()
    assert (tmp_path / "out/fakepkg/late.py").exists()
    assert "fakepkg/reference.py" in report.left_out and "tests/hidden" in report.left_out


def test_nested_markers_fail_naming_file_and_line(source: Path, tmp_path: Path):
    path = source / "fakepkg/bad.py"
    path.write_text("def f():\n    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n    return 1\n"
                    "    # END SOLUTION\n    # END SOLUTION\n")
    with pytest.raises(MarkerError, match=r"fakepkg/bad\.py, line 3"):
        rel.release(source=source, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["source"]     # no temporary directory left behind


def test_unbalanced_marker_in_notebook_names_cell(source: Path, tmp_path: Path):
    nb = json.loads((source / "notebooks/squares.ipynb").read_text())
    nb["cells"][4]["source"] = ["x = 1\n", "# END SOLUTION\n"]
    (source / "notebooks/squares.ipynb").write_text(json.dumps(nb))
    with pytest.raises(MarkerError, match=r"notebooks/squares\.ipynb, cell 5 \(id plain\), line 2"):
        rel.release(source=source, out_dir=tmp_path / "out")


def test_refuses_non_empty_out_dir_and_keeps_its_files(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("student's own file")
    with pytest.raises(ValueError, match="not empty"):
        rel.release(source=source, out_dir=out)
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


def test_empty_out_dir_is_fine(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    rel.release(source=source, out_dir=out)
    assert (out / "fakepkg/losses.py").is_file()


def test_out_dir_inside_source_is_refused_unless_under_build(source: Path):
    with pytest.raises(ValueError, match="inside the source"):
        rel.release(source=source, out_dir=source / "student")
    rel.release(source=source, out_dir=source / "build" / "student")
    assert (source / "build/student/fakepkg/losses.py").is_file()


def test_leak_check_catches_a_hidden_file_copied_into_visible_tests(source: Path, tmp_path: Path):
    (source / "tests/test_copied.py").write_text((source / "tests/hidden/test_hidden.py").read_text())
    leak = r"tests/test_copied\.py: '\(the whole file\)' \(from tests/hidden/test_hidden\.py\)"
    with pytest.raises(rel.LeakError, match=leak):
        rel.release(source=source, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_leak_check_catches_a_solution_line_in_prose(source: Path, tmp_path: Path):
    (source / "ANSWERS.md").write_text(f"    {SOLUTION_CANARY} = total / len(values)\n")
    with pytest.raises(rel.LeakError, match=r"ANSWERS\.md.*from fakepkg/losses\.py, line 15"):
        rel.release(source=source, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_leak_check_catches_a_transform_that_lets_a_solution_through(source, tmp_path, monkeypatch):
    monkeypatch.setattr(nb_transforms, "CELL_TRANSFORMS", (rel.clear_outputs,))   # a broken pipeline
    with pytest.raises(rel.LeakError, match=r"notebooks/squares\.ipynb.*return 2 \* x"):
        rel.release(source=source, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_solution_line_in_another_visible_file_is_a_leak(source: Path, tmp_path: Path):
    # Say, a grading helper that re-implements the reference: students would read it there.
    (source / "fakepkg/helpers.py").write_text("import math\n\n\ndef h(self, x):\n"
                                               "    return math.prod([self.factor, x])\n")
    leak = r"fakepkg/helpers\.py: 'return math\.prod\(\[self\.factor, x\]\)' \(from fakepkg/losses\.py"
    with pytest.raises(rel.LeakError, match=leak):
        rel.release(source=source, out_dir=tmp_path / "out")


def test_a_line_its_own_file_shows_is_not_secret(source: Path, tmp_path: Path):
    losses = source / "fakepkg/losses.py"
    losses.write_text(losses.read_text() + "\n\ndef h(self, x):\n    return math.prod([self.factor, x])\n")
    report = rel.release(source=source, out_dir=tmp_path / "out")
    assert report.shown_anyway == 1
    released_text = (tmp_path / "out/fakepkg/losses.py").read_text()
    assert "def h(self, x):\n    return math.prod([self.factor, x])" in released_text


def test_trivial_lines():
    assert rel.is_trivial("for j in range(num_classes):") and rel.is_trivial("import numpy as np")
    assert rel.is_trivial("return loss, dW") and rel.is_trivial("# ------------------")
    assert not rel.is_trivial("loss = loss / num_train + reg * np.sum(W * W)")


def test_cli_release(source: Path, tmp_path: Path, capsys):
    assert cli.main(["release", str(tmp_path / "out"), "--source", str(source)]) == 0
    said = capsys.readouterr().out
    assert "leak check passed" in said and "tests/hidden" in said
    assert cli.main(["release", str(tmp_path / "out"), "--source", str(source)]) == 2
    assert "not empty" in capsys.readouterr().err


def test_release_of_this_repository(tmp_path: Path):
    out = tmp_path / "student"
    report = rel.release(source=REPO, out_dir=out)
    assert report.regions >= 10
    assert not (out / "tests/hidden").exists() and not (out / ".git").exists()
    assert not (out / ".venv").exists()
    assert not (out / "cs231n_lin/grading").exists()             # dropped wholesale
    assert (out / "cs231n_lin/checks/fingerprints.json").is_file()  # the student's checks ship
    assert not (out / "tests/checks").exists() and not (out / "tests/student").exists()
    for verb in (["release", str(tmp_path / "again")], ["gradescope", str(tmp_path / "ag.zip")],
                 ["grade", str(out)]):
        proc = _run([sys.executable, "-m", "cs231n_lin", *verb], out, PYTHONPATH=str(out))
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert f"{verb[0]} is an instructor tool; it is not part of the student version" in proc.stderr
    readme = (out / "README.md").read_text()
    assert student_section(readme) == student_section((REPO / "README.md").read_text())
    assert "cs231n-lin check" in readme and "zip -r" in readme and "jupyter lab notebooks/01" in readme
    for word in ("cs231n-lin release", "cs231n-lin grade", "cs231n-lin gradescope", "hidden", "make demo",
                 "make test", "probe"):
        assert word not in readme.lower(), word                   # no instructor commands or hidden tests
    for nb in (out / "notebooks").glob("*.ipynb"):
        assert all(not c.get("outputs") for c in json.loads(nb.read_text())["cells"]), nb
    for name in ("linear_svm", "softmax", "linear_classifier"):
        text = (out / f"cs231n_lin/classifiers/{name}.py").read_text()
        assert "raise NotImplementedError(" in text and "# BEGIN SOLUTION" in text
    for name, function in (("linear_svm", "svm_loss_vectorized"), ("softmax", "softmax_loss_vectorized")):
        text = (out / f"cs231n_lin/classifiers/{name}.py").read_text()
        stub = text[text.index(f"def {function}("):]
        stub = stub[stub.index("# BEGIN SOLUTION"):stub.index("# END SOLUTION")]
        assert "# HINT: " in stub, stub                               # the vectorized stubs keep hints
    # The released module loads on its own (beside the installed package) and its stub raises.
    path = out / "cs231n_lin/classifiers/linear_svm.py"
    spec = importlib.util.spec_from_file_location("released_svm", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(NotImplementedError, match="^not written yet: svm_loss_naive in cs231n_lin/"):
        module.svm_loss_naive(np.zeros((2, 3)), np.ones((4, 2)), np.array([0, 1, 2, 0]), 0.0)
    tomllib.loads((out / "pyproject.toml").read_text())
    for nb in out.rglob("*.ipynb"):
        nbformat.validate(nbformat.read(nb, as_version=4))
    proc = _run([sys.executable, "-m", "ruff", "check", "--no-cache", "cs231n_lin"], out)
    assert proc.returncode == 0, proc.stdout


def test_find_source_is_this_checkout():
    assert rel.find_source() == REPO


def _cell(kind, source, **extra):
    return {"cell_type": kind, "id": "c1", "metadata": {"tags": ["t"]}, "source": source, **extra}


def test_each_cell_transform_on_its_own():
    out = [{"output_type": "stream", "name": "stdout", "text": "7\n"}]
    solution = _cell("code", ["x = 1\n", "# BEGIN SOLUTION\n", "y = 2\n", "# END SOLUTION\n"],
                     outputs=out, execution_count=4)
    stubbed = rel.stub_solution_code(solution, path="nb.ipynb", label="cell 1")
    assert stubbed["source"][:2] == ["x = 1\n", "# BEGIN SOLUTION\n"]
    assert stubbed["source"][2].startswith('raise NotImplementedError("not written yet: cell 1 in nb.ipynb")')
    assert stubbed["outputs"] == out                       # outputs are clear_outputs' job
    assert solution["source"][2] == "y = 2\n"              # the input cell is not changed
    cleared = rel.clear_outputs(stubbed, path="nb.ipynb", label="cell 1")
    assert cleared["outputs"] == [] and cleared["execution_count"] is None
    assert {k: v for k, v in cleared.items() if k not in ("outputs", "execution_count")} == {
        k: v for k, v in stubbed.items() if k not in ("outputs", "execution_count")}
    check = _cell("code", "# NBVAL_CHECK_OUTPUT\nprint(7)\n", outputs=out, execution_count=5)
    assert rel.clear_outputs(check, path="nb.ipynb", label="cell 2")["outputs"] == []   # no stored PASS
    answer = _cell("markdown", "Q?\n<!-- BEGIN SOLUTION -->\nA.\n<!-- END SOLUTION -->\n")
    blank = rel.blank_solution_markdown(answer, path="nb.ipynb", label="cell 3")
    assert blank["source"] == "Q?\n<!-- BEGIN SOLUTION -->\nYour answer here\n<!-- END SOLUTION -->\n"
    assert blank["id"] == "c1" and blank["metadata"] == {"tags": ["t"]}
    for transform in rel.CELL_TRANSFORMS:                  # a cell a transform is not about: untouched
        plain = _cell("raw", "# BEGIN SOLUTION\n")
        assert transform(plain, path="nb.ipynb", label="cell 4") is plain


def test_releasing_a_student_version_again_changes_nothing(released: Path, tmp_path: Path):
    again = tmp_path / "again"
    rel.release(source=released, out_dir=again)
    files = sorted(p.relative_to(released) for p in released.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    changed = [f for f in files if (released / f).read_bytes() != (again / f).read_bytes()]
    assert changed == []


def test_files_git_ignores_are_not_released(source: Path, tmp_path: Path):
    shutil.rmtree(source / ".git")                          # the fake one; make a real checkout
    subprocess.run(["git", "init", "-q", str(source)], check=True)
    (source / ".gitignore").write_text("datasets/*.tar.gz\n")
    (source / "datasets").mkdir(exist_ok=True)
    (source / "datasets/cifar.tar.gz").write_bytes(b"\x1f\x8b" + b"0" * 100)
    (source / "datasets/get_data.py").write_text("URL = 'https://example.org/data.tar.gz'\n")
    rel.release(source=source, out_dir=tmp_path / "out")
    assert (tmp_path / "out/datasets/get_data.py").is_file()       # untracked but not ignored
    assert not (tmp_path / "out/datasets/cifar.tar.gz").exists()
    assert (tmp_path / "out/fakepkg/losses.py").is_file()


# ---------------------------------------------------------------------------- answer code, umask, README

_DEMO_NB = {"cells": [{"cell_type": "code", "execution_count": None, "id": "demo", "metadata": {},
                       "outputs": [], "source": "rows = np.arange(len(y))\nmargins = np.maximum(S, 0)\n"
                       "margins[rows, data.y_train] = 0.0\n"}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.mark.parametrize(("path", "text", "what"), [
    # issue 11, item 5: a notebook demo computing the vectorized hinge margins ...
    ("notebooks/demo.ipynb", json.dumps(_DEMO_NB), "the correct class zeroed"),
    # ... a row-shifted softmax outside the regions ...
    ("notebooks/helpers_04.py", "E = np.exp(S2 - S2.max(axis=1, keepdims=True))\n", "each row's maximum"),
    ("fakepkg/vis.py", "p = np.exp(s - np.max(s, axis=1, keepdims=True))\n", "each row's maximum"),
    # ... and a test helper with the vectorized margin computation.
    ("tests/loss_problems.py", "def margins(W, X, y, delta):\n    scores = X @ W\n"
     "    return scores - scores[np.arange(len(y)), y][:, None] + delta\n", "vectorized hinge margins"),
    ("fakepkg/grad.py", "dscores[np.arange(N), y] -= 1\n", "one-hot term"),
])
def test_leak_check_catches_answer_code_outside_the_regions(source: Path, tmp_path: Path, path, text, what):
    (source / path).parent.mkdir(parents=True, exist_ok=True)
    (source / path).write_text(text)
    with pytest.raises(rel.LeakError, match=rf"compute what students must write[\s\S]*{path}.*{what}"):
        rel.release(source=source, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_answer_code_in_strings_and_comments_is_no_leak(source: Path, tmp_path: Path):
    (source / "fakepkg/messages.py").write_text(
        'HINT = "subtract 1 at the correct class (dscores[np.arange(N), y] -= 1)"\n'
        "# p = np.exp(s - np.max(s, axis=1, keepdims=True))\n")
    rel.release(source=source, out_dir=tmp_path / "out")
    assert (tmp_path / "out/fakepkg/messages.py").is_file()


def test_release_respects_the_umask(source: Path, tmp_path: Path):
    old = os.umask(0o022)
    try:
        rel.release(source=source, out_dir=tmp_path / "out")
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "out/README.md").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "out/notebooks/squares.ipynb").stat().st_mode & 0o777 == 0o644


def test_student_readme_is_the_student_section_and_a_source_without_one_is_refused(source, tmp_path):
    rel.release(source=source, out_dir=tmp_path / "out")
    readme = (tmp_path / "out/README.md").read_text()
    assert "Write `double`" in readme and "Instructor notes" not in readme and "grade" not in readme
    (source / "README.md").write_text("# no student section\n")
    with pytest.raises(ValueError, match="one student section"):
        rel.release(source=source, out_dir=tmp_path / "out2")
