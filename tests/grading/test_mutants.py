"""Every catalogued bug loses points and (mostly) gets a diagnosis naming it; every correct
alternative gets full marks — graded by the real grader.

The mutants go through the real grader (the ``grade`` verb's batch runner: one capped process per
submission, the sandboxed worker, the hidden tests of ``tests/hidden``) in ONE run with
``jobs=2``. A mutant's score and its "Likely cause" lines are read back from the
``results.json`` the batch wrote.

The default run reads a representative subset (:data:`SUBSET`: one bug of each student
function, two correct alternatives, one held-out bug; the reference is the shared batch's
``correct``) from the session's shared batch (``shared_batch.py``, also read by
``test_report`` and ``test_grade``), so nothing is graded twice; ``MUTANTS_ALL=1`` grades the
whole catalogue (69 submissions, ~20 min on a loaded 2-core machine) in a batch of its own. The
student-side named checks run the whole catalogue on every run
(``tests/checks/test_package_checks.py``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from pathlib import Path

import pytest

from cs231n_lin import tasks

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _load_catalogue():
    spec = importlib.util.spec_from_file_location("_mutant_catalogue", HERE / "mutants.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["_mutant_catalogue"] = module
    spec.loader.exec_module(module)
    return module


catalogue = _load_catalogue()
sys.path.insert(0, str(HERE))
from shared_batch import MUTANT_SUBSET  # noqa: E402

BASELINE = catalogue.Mutant("reference", catalogue.SVM, (), None)
FULL = os.environ.get("MUTANTS_ALL") == "1"

#: The default run: one bug per student function, two correct alternatives, one held-out bug
#: (graded in the session's shared batch, ``shared_batch.py``, whose reference is ``correct``).
SUBSET = MUTANT_SUBSET


def _selected() -> list:
    everything = [*catalogue.ALL, *catalogue.HELD_OUT]
    if FULL:
        return [BASELINE, *everything]
    by_name = {m.name: m for m in everything}
    return [BASELINE, *(by_name[n] for n in SUBSET)]


def _read(out: Path, name: str) -> tuple[float, float, list[str], dict[str, tuple[float, str]]]:
    """``(score, max_score, outputs, {task id: (score, output)})`` of one graded submission."""
    res = json.loads((out / name / "results.json").read_text())
    tests = res.get("tests", [])
    by_task = {str(t.title): t.id for t in tasks.TASKS}
    per_task = {by_task[t["name"]]: (float(t["score"]), t.get("output", "")) for t in tests
                if t["name"] in by_task}
    return (float(res["score"]), float(sum(t["max_score"] for t in tests)),
            [t.get("output", "") for t in tests] + [res.get("output", "")], per_task)


@pytest.fixture(scope="module")
def graded(request, tmp_path_factory):
    """``{mutant name: (score, max_score, outputs, {task id: (score, output)})}``.

    The default subset is read from the session's shared batch (graded once with ``jobs=2``,
    the reference being its ``correct`` submission); ``MUTANTS_ALL=1`` grades the whole
    catalogue here in one batch with ``jobs=2`` (reference copies with the real notebooks).
    """
    if not FULL:
        batch = request.getfixturevalue("shared_batch")
        out = {m.name: _read(batch["out"], m.name) for m in _selected()[1:]}
        out[BASELINE.name] = _read(batch["out"], "correct")
        return out
    from cs231n_lin.grading.batch import main
    from cs231n_lin.grading.grade import GradeOptions
    from cs231n_lin.grading.run import sandbox

    root = tmp_path_factory.mktemp("mutants")
    mutants = _selected()
    from shared_batch import reference_copy

    dirs = []
    for m in mutants:
        dirs.append(reference_copy(root / "subs" / m.name))
        m.apply_to(dirs[-1])
    options = GradeOptions(allow_unprotected=sandbox.detect_mode() == "none")
    start = time.monotonic()
    rc = main(submissions=dirs, out_dir=root / "out", jobs=2, options=options, echo=lambda s: None)
    seconds = time.monotonic() - start
    assert rc in (0, 1), rc
    print(f"\ngraded {len(mutants)} mutants with jobs=2 in {seconds:.0f} s")
    return {m.name: _read(root / "out", m.name) for m in mutants}


# --------------------------------------------------------------------------------------------
# The catalogue itself
# --------------------------------------------------------------------------------------------

def test_catalogue_is_large_and_covers_every_student_function():
    bugs, correct = catalogue.BUGS, catalogue.CORRECT
    assert len(bugs) >= 30 and len(correct) >= 5
    names = [m.name for m in catalogue.ALL]
    assert len(set(names)) == len(names), "mutant names must be unique"
    covered = " ".join(m.name for m in bugs)
    for part in ("svm_naive", "svm_vec", "softmax_naive", "softmax_vec", "softmax_fn", "log_softmax",
                 "fit_", "predict_"):
        assert part in covered, f"no mutant of {part}"
    names = {m.name for m in [*catalogue.ALL, *catalogue.HELD_OUT]}
    assert set(SUBSET) <= names, set(SUBSET) - names
    subset_bugs = " ".join(n for n in SUBSET if n in {m.name for m in bugs})
    for part in ("svm_naive", "svm_vec", "softmax_naive", "softmax_vec", "softmax_fn", "log_softmax",
                 "fit_", "predict_"):
        assert part in subset_bugs, f"the default subset has no bug of {part}"


@pytest.mark.parametrize("mutant", catalogue.ALL + catalogue.HELD_OUT, ids=lambda m: m.name)
def test_every_snippet_occurs_exactly_once(mutant):
    text = (REPO / mutant.file).read_text()
    for old, new in mutant.edits:
        assert text.count(old) == 1, f"{mutant.name}: stale snippet {old!r}"
        assert old != new


def test_apply_refuses_a_stale_snippet(tmp_path):
    stale = catalogue.Mutant("stale", catalogue.SVM, (("this text is not in the file", "x"),), "x")
    with pytest.raises(AssertionError, match="occurs 0 times"):
        catalogue.make_copy(stale, REPO, tmp_path / "stale")


# --------------------------------------------------------------------------------------------
# Through the real grader
# --------------------------------------------------------------------------------------------

#: The points a correct submission earns outside the written answers (which wait for hand marking).
CODE_POINTS = sum(t.points for t in tasks.of_kind("code", "speed"))


@pytest.mark.slow
def test_mutants_lose_points_and_get_named(graded, capsys):
    mutants = _selected()
    held_out = {m.name for m in catalogue.HELD_OUT}
    problems, rows = [], []
    caught = named = bugs = held_caught = held_named = 0
    for mutant in mutants:
        score, max_score, outputs, per_task = graded[mutant.name]
        assert max_score == tasks.max_points() == 100, f"{mutant.name}: {max_score}: {outputs[-1]}"
        if mutant.correct:
            # speed tasks depend on the load of the machine; every code task is exact
            lost = {k: v for k, v in per_task.items()
                    if tasks.get(k).kind == "code" and v[0] < tasks.get(k).points}
            if lost:
                problems.append(f"correct alternative {mutant.name} lost points: {lost}")
            rows.append(f"  {'OK ' if not lost else 'BAD'} {mutant.name:40s} {score:g}/{CODE_POINTS:g} "
                        "(correct)")
            continue
        failing = " ".join(out for k, (got, out) in per_task.items() if got < tasks.get(k).points)
        lost = score < CODE_POINTS and bool(failing)
        hit = mutant.keyword.lower() in failing.lower()
        if mutant.name in held_out:
            held_caught += lost
            held_named += hit
        else:
            bugs += 1
            caught += lost
            named += hit
        if not lost:
            problems.append(f"bug {mutant.name} got full marks")
        rows.append(f"  {'caught' if lost else 'MISSED'} {'named ' if hit else 'UNNAMED'} {mutant.name:40s} "
                    f"{score:g}/{CODE_POINTS:g}  {failing[:160] if not hit else ''}")
    summary = (f"catch rate {caught}/{bugs}, diagnosis rate {named}/{bugs}; held-out bugs: caught "
               f"{held_caught}/{len(held_out & set(graded))}, named {held_named} (not gated)"
               + ("" if FULL else " [default subset; MUTANTS_ALL=1 for the whole catalogue]"))
    with capsys.disabled():
        print("\n" + "\n".join(rows) + "\n" + summary)
    assert bugs and not problems and named >= 0.8 * bugs, summary + "\n" + "\n".join(problems)


def _agreement_module():
    """``tests/tasks/test_agreement.py`` (its ``judges()``: the task engine's verdicts), loaded with
    the ``conftest`` of ``tests/checks`` it imports, without disturbing this folder's modules."""
    saved = sys.modules.get("conftest")
    try:
        spec = importlib.util.spec_from_file_location("conftest", REPO / "tests" / "checks" / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["conftest"] = module
        spec.loader.exec_module(module)
        path = REPO / "tests" / "tasks" / "test_agreement.py"
        spec = importlib.util.spec_from_file_location("_agreement", path)
        agreement = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(agreement)
        return agreement
    finally:
        if saved is None:
            sys.modules.pop("conftest", None)
        else:
            sys.modules["conftest"] = saved


def _cell_calls(task, mutant) -> bool:
    """Whether the reference solution cell of a notebook task calls a function of the mutant's file."""
    import re

    from cs231n_lin.checks.cells import cell_source

    defined = set(re.findall(r"^def (\w+)", (REPO / mutant.file).read_text(), re.M))
    nb = json.loads((REPO / "notebooks" / task.notebook).read_text(encoding="utf-8"))
    src = " ".join(cell_source(c) for c in nb["cells"] if c.get("id") in task.writes)
    return any(re.search(rf"\b{name}\(", src) for name in defined)


@pytest.mark.slow
def test_the_real_grader_agrees_with_the_task_engine(graded):
    """Issue 19's wiring test: for each graded mutant, each task's score from the real grader (sandbox,
    worker, rebuilt notebooks, hidden cases) equals the engine-level verdict of ``judges()``; tasks
    written in the notebooks keep the reference's score unless their solution cell calls a function of
    the mutated file (notebook 05's ``hinge_and_cross_entropy`` calls ``log_softmax``)."""
    agreement = _agreement_module()
    reference = graded[BASELINE.name][3]
    disagree = []
    for mutant in _selected()[1:]:
        per_task = graded[mutant.name][3]
        swapped = {agreement._module_of(mutant.file): agreement.load_mutant(mutant)}
        for task in tasks.of_kind("code"):
            if task in agreement.PACKAGE_TASKS:
                engine = agreement.judges(task, swapped)[1].score
            elif per_task[task.id][0] < reference[task.id][0] and _cell_calls(task, mutant):
                continue              # a notebook cell that calls the edited package function may lose
            else:
                engine = reference[task.id][0]
            if abs(per_task[task.id][0] - engine) > 1e-6:
                disagree.append(f"{mutant.name} / {task.id}: grade {per_task[task.id][0]:g}, "
                                f"engine {engine:g}")
    assert not disagree, "\n".join(disagree)
    assert all(reference[t.id][0] == t.points for t in tasks.of_kind("code"))
