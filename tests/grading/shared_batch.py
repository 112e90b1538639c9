"""One graded batch shared by the end-to-end grading tests (``test_report``, ``test_mutants``,
``test_grade``): built and graded once per test session by the ``shared_batch`` fixture
(``tests/grading/conftest.py``) through the real ``cs231n-lin grade`` command.

The batch: the report's seven submissions (the reference solution ``correct``, the same mutant
twice, another mutant, a vectorized loss that is a loop over N, the student version ``stub`` and
an infinite loop), each with a tiny notebook (one solution cell, two check cells, one written
question), and the default subset of the mutant catalogue (``test_mutants.SUBSET``; the reference
of that catalogue is ``correct``), each with the tiny notebook solved. Graded with the real hidden
cases plus one hidden case for the tiny notebook's function, ``--jobs 2``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import grading_nbfixtures as nbf
from grading_subs import REPO, make_submission
from mutants import ALL, BUGS, HELD_OUT, make_copy

QUESTION = "**Inline question** — why divide the loss by N?"
REFERENCE_ANSWER = "So that the loss does not grow with the size of the batch."
#: The report's submissions and their written answers (None: left as "Your answer here").
ANSWERS = {
    "correct": "It makes the loss an average, comparable across batch sizes.",
    "mut_avg_1": "no idea",
    "mut_avg_2": "Dividing by N keeps reg's weight independent of N.",
    "mut_softmax": "<script>alert('x')</script> & averages",
    "loop_svm": "average",
    "stub": None,
    "attack_loop": "",
}
MUTANTS = {"mut_avg_1": "svm_vec_loss_not_averaged", "mut_avg_2": "svm_vec_loss_not_averaged",
           "mut_softmax": "softmax_vec_no_shift"}
LOOP = ("def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):\n"
        "    return svm_loss_naive(W, X, y, reg, delta=delta, squared=squared)\n")
FOREVER = ("def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):\n"
           "    while True:\n        pass\n")
#: The mutant catalogue's default subset graded here (test_mutants.SUBSET checks it covers every function).
MUTANT_SUBSET = (
    "svm_naive_not_averaged", "svm_vec_counts_correct_class", "softmax_naive_no_shift",
    "softmax_vec_no_onehot", "softmax_fn_axis_hardcoded", "log_softmax_log_of_softmax",
    "fit_gradient_ascent", "predict_argmin", "svm_vec_einsum", "softmax_vec_log_softmax_helper",
    "svm_vec_margin_reversed",
)
NB_CASES = ('NB_CASES = [{"notebook": "tiny.ipynb", "function": "double", "seed": 3, '
            '"args": {"x": {"normal": [4], "scale": 3.0}}}]\n')


def written_cells(answer: str | None, points: float | None = 2) -> list[dict]:
    body = "Your answer here" if answer is None else answer
    meta = {} if points is None else {"points": points}
    return [{"cell_type": "markdown", "id": "q1-prompt", "metadata": {}, "source": QUESTION},
            {"cell_type": "markdown", "id": "q1-answer", "metadata": meta,
             "source": f"<!-- BEGIN SOLUTION -->\n{body}\n<!-- END SOLUTION -->"}]


def build_report_subs(root: Path) -> list[Path]:
    bugs = {m.name: m for m in BUGS}
    subs = []
    for name, answer in ANSWERS.items():
        replace = {"loop_svm": {"svm_loss_vectorized": LOOP},
                   "attack_loop": {"svm_loss_vectorized": FOREVER}}.get(name)
        sub = make_submission(root / name, replace=replace, stub=name == "stub")
        if name in MUTANTS:
            bugs[MUTANTS[name]].apply_to(sub)
        solution = nbf.STUB if name == "stub" else nbf.SOLUTION
        nbf.write(sub / "notebooks" / "tiny.ipynb", nbf.notebook(solution, extra=written_cells(answer)))
        subs.append(sub)
    return subs


def build_mutant_subs(root: Path) -> list[Path]:
    by_name = {m.name: m for m in [*ALL, *HELD_OUT]}
    subs = []
    for name in MUTANT_SUBSET:
        sub = make_copy(by_name[name], REPO, root / name)
        nbf.write(sub / "notebooks" / "tiny.ipynb", nbf.notebook(extra=written_cells("an answer")))
        subs.append(sub)
    return subs


def grade_shared_batch(root: Path) -> dict:
    """Build and grade the batch under ``root``; ``{"out", "refnb", "hidden", "json", "subs"}``."""
    from cs231n_lin.cli import main as cli
    from cs231n_lin.grading.run import sandbox

    refnb = root / "refnb"
    nbf.write(refnb / "tiny.ipynb", nbf.notebook(extra=written_cells(REFERENCE_ANSWER)))
    hidden = root / "hidden"
    hidden.mkdir()
    shutil.copy(REPO / "tests" / "hidden" / "cases.py", hidden / "cases.py")
    (hidden / "notebook_cases.py").write_text(NB_CASES)
    subs = build_report_subs(root / "subs") + build_mutant_subs(root / "subs")
    out, all_json = root / "grades", root / "all.json"
    extra = ["--unprotected"] if sandbox.detect_mode() == "none" else []
    rc = cli(["grade", *map(str, subs), "--out", str(out), "--json", str(all_json), "--jobs", "2",
              "--notebooks", str(refnb), "--hidden", str(hidden), *extra])
    assert rc == 0, rc
    return {"out": out, "refnb": refnb, "hidden": hidden, "json": json.loads(all_json.read_text()),
            "subs": {p.name: p for p in subs}}
