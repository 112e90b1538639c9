"""One graded batch shared by the end-to-end grading tests (``test_report``, ``test_mutants``,
``test_grade``): built and graded once per test session by the ``shared_batch`` fixture
(``tests/grading/conftest.py``) through the real ``cs231n-lin grade`` command.

Everything is a real copy of this repository: the reference submission ``correct`` is the
package (without ``grading/``) and the solved lesson notebooks ``notebooks/*.ipynb``; the student
version ``stub`` is the output of ``cs231n-lin release``; mutants are ``correct`` with one edit
of ``tests/grading/mutants.py``. Points and hidden cases come only from the task table and the
real ``tests/hidden/cases.py``; the reference notebooks are the repository's ``notebooks/``.
Graded with ``--jobs 2``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from grading_subs import REPO
from mutants import ALL, BUGS, HELD_OUT

#: The written answer edited per submission (notebook 01, inline question 1) and its cell.
WRITTEN_NB, WRITTEN_CELL = "01_svm_hinge_loss.ipynb", "01-009"
#: The report's submissions and their answer to that question (None: left as the release left it).
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
_VEC_DEF = "def svm_loss_vectorized("
LOOP = ("def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):\n"
        "    return svm_loss_naive(W, X, y, reg, delta=delta, squared=squared)\n\n\n")
FOREVER = ("def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):\n"
           "    while True:\n        pass\n\n\n")
#: The mutant catalogue's default subset graded here (test_mutants.SUBSET checks it covers every function).
MUTANT_SUBSET = (
    "svm_naive_not_averaged", "svm_vec_counts_correct_class", "softmax_naive_no_shift",
    "softmax_vec_no_onehot", "softmax_fn_axis_hardcoded", "log_softmax_log_of_softmax",
    "fit_gradient_ascent", "predict_argmin", "svm_vec_einsum", "softmax_vec_log_softmax_helper",
    "svm_vec_margin_reversed",
)


def reference_copy(dest: Path) -> Path:
    """The reference solution as a student would hand it in: package and solved notebooks."""
    dest = Path(dest)
    shutil.copytree(REPO / "cs231n_lin", dest / "cs231n_lin",
                    ignore=shutil.ignore_patterns("__pycache__", "grading"))
    (dest / "notebooks").mkdir(parents=True)
    for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
        shutil.copy(nb, dest / "notebooks" / nb.name)
    return dest


def student_copy(dest: Path, release_dir: Path) -> Path:
    """A copy of the released student version (``cs231n-lin release`` output)."""
    shutil.copytree(release_dir, dest, ignore=shutil.ignore_patterns("__pycache__", ".venv"))
    return Path(dest)


def release_once(root: Path) -> Path:
    from cs231n_lin.grading.release.release import main

    out = Path(root) / "release"
    assert main(out_dir=out, source=REPO) == 0
    return out


def set_answer(sub: Path, answer: str) -> None:
    """Write ``answer`` between the markers of the written-answer cell ``WRITTEN_CELL``."""
    path = Path(sub) / "notebooks" / WRITTEN_NB
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c.get("id") == WRITTEN_CELL)
    text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    new = re.sub(r"(<!-- BEGIN SOLUTION -->\n).*?(\n<!-- END SOLUTION -->)",
                 lambda m: m.group(1) + answer + m.group(2), text, count=1, flags=re.S)
    assert new != text or answer in text, "no answer region in " + WRITTEN_CELL
    cell["source"] = new
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")


def replace_vectorized(sub: Path, source: str) -> None:
    path = Path(sub) / "cs231n_lin" / "classifiers" / "linear_svm.py"
    text = path.read_text()
    pattern = re.compile(r"^def svm_loss_vectorized\(.*?(?=^@|^def |^class |\Z)", re.S | re.M)
    assert pattern.search(text)
    path.write_text(pattern.sub(lambda m: source, text, count=1))


def build_report_subs(root: Path, release_dir: Path) -> list[Path]:
    bugs = {m.name: m for m in BUGS}
    subs = []
    for name, answer in ANSWERS.items():
        if name == "stub":
            subs.append(student_copy(root / name, release_dir))
            continue
        sub = reference_copy(root / name)
        if name in MUTANTS:
            bugs[MUTANTS[name]].apply_to(sub)
        if name == "loop_svm":
            replace_vectorized(sub, LOOP)
        if name == "attack_loop":
            replace_vectorized(sub, FOREVER)
        set_answer(sub, answer)
        subs.append(sub)
    return subs


def build_mutant_subs(root: Path) -> list[Path]:
    by_name = {m.name: m for m in [*ALL, *HELD_OUT]}
    subs = []
    for name in MUTANT_SUBSET:
        sub = reference_copy(root / name)
        by_name[name].apply_to(sub)
        subs.append(sub)
    return subs


def grade_shared_batch(root: Path) -> dict:
    """Build and grade the batch under ``root``; ``{"out", "refnb", "hidden", "json", "subs", "release",
    "seconds"}``."""
    import time

    from cs231n_lin.cli import main as cli
    from cs231n_lin.grading.run import sandbox

    start = time.monotonic()
    release_dir = release_once(root)
    refnb = REPO / "notebooks"
    hidden = REPO / "tests" / "hidden"
    subs = build_report_subs(root / "subs", release_dir) + build_mutant_subs(root / "subs")
    out, all_json = root / "grades", root / "all.json"
    extra = ["--unprotected"] if sandbox.detect_mode() == "none" else []
    rc = cli(["grade", *map(str, subs), "--out", str(out), "--json", str(all_json), "--jobs", "2",
              "--notebooks", str(refnb), "--hidden", str(hidden), "--wall", "60", *extra])
    assert rc == 0, rc
    seconds = time.monotonic() - start
    print(f"\nshared batch: {len(subs)} submissions built and graded in {seconds:.0f} s")
    return {"out": out, "refnb": refnb, "hidden": hidden, "json": json.loads(all_json.read_text()),
            "subs": {p.name: p for p in subs}, "release": release_dir, "seconds": seconds}
