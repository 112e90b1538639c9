"""A realistic class to measure the report on: submissions with known bugs, blank and partial answers.

:func:`plan_class` draws, from a seed, what each of ``n`` students hands in: most finish the
assignment, some with one or two of a bug catalogue's mistakes (common mistakes more often than
rare ones: :data:`COMMON_BUGS`), a few leave whole files unfinished (the release's
``NotImplementedError`` stubs), one or two in a hundred hand in a loss that never returns; a
quarter work in the Chinese notebooks; each written answer is
full, partial or blank. :func:`write_submission` writes one plan as a submission folder (the
package with the plan's edits, the notebooks of the student's language with the answers typed in).
:func:`replicate` turns a few REAL ``results.json`` files into a class of any size for the
benchmark (names, answers and speed vary; tests, points and diagnoses are the real ones: one per
task of the task table).

The catalogue is given by the caller (``tests/grading/mutants.py`` in this repository): any objects
with ``name``, ``file`` (the package file it edits) and ``apply_to(root)``.
"""

from __future__ import annotations

import copy
import json
import random
import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cs231n_lin.checks.cells import cell_source
from cs231n_lin.grading.records.written import Question
from cs231n_lin.grading.release.markers import ANSWER_HERE_ZH, strip_markdown

#: Relative frequency of catalogue bugs (any other bug: 1). Forgetting to divide by N, the
#: regularization gradient's factor 2, the max-shift and the correct class's gradient are the
#: mistakes a real class makes most.
COMMON_BUGS: dict[str, float] = {
    "svm_vec_loss_not_averaged": 6, "svm_naive_not_averaged": 4, "svm_naive_reg_grad_factor1": 5,
    "softmax_vec_reg_grad_factor1": 4, "softmax_vec_no_shift": 6, "softmax_naive_no_shift": 4,
    "svm_naive_no_correct_class_grad": 4, "svm_vec_no_correct_class_grad": 5,
    "svm_vec_counts_correct_class": 4, "softmax_vec_no_onehot": 4, "svm_vec_np_mean": 3,
    "fit_no_bias_column": 3, "fit_original_labels": 2, "predict_returns_index": 2,
}
#: share of the class that finishes with no bug, hands in unfinished files, hands in a vectorized
#: loss that never returns (a loop whose condition never changes: the sandbox stops it), and
#: writes in Chinese
SHARE_CORRECT, SHARE_UNFINISHED, SHARE_HANG, SHARE_ZH = 0.35, 0.08, 0.015, 0.25
HANG = ("cs231n_lin/classifiers/linear_svm.py", "svm_loss_vectorized")
#: per answer: blank, partial (a fragment), else a full answer
SHARE_BLANK, SHARE_PARTIAL = 0.12, 0.18
PACKAGE_FILES = ("cs231n_lin/classifiers/linear_svm.py", "cs231n_lin/classifiers/softmax.py",
                 "cs231n_lin/classifiers/linear_classifier.py")

_PHRASES = {
    "en": ["the margin keeps the correct score ahead by delta", "we average so the loss does not grow with N",
           "the regularization prefers small weights", "$L_i = \\sum_{j \\neq y_i} \\max(0, s_j - s_{y_i} + "
           "\\Delta)$", "exp overflows for large scores, so subtract the max", "the kink of the hinge at 0",
           "softmax never reaches zero loss", "scaling W scales the margins too", "I am not sure, maybe the "
           "learning rate", "the gradient check straddles the kink"],
    "zh": ["间隔让正确类别的分数至少高出 delta", "取平均使损失不随 N 增长", "正则化偏好较小的权重",
           "分数很大时 exp 会溢出，所以先减去最大值", "铰链在 0 处有拐点", "softmax 的损失永远不会为零",
           "缩放 W 也会缩放间隔", "不太确定，也许是学习率", "数值梯度跨过了拐点"],
}


class Bug(Protocol):
    name: str
    file: str

    def apply_to(self, root: Path) -> None: ...


@dataclass(frozen=True)
class StudentPlan:
    """What one generated student hands in."""

    name: str
    bugs: tuple[str, ...] = ()
    unfinished: tuple[str, ...] = ()          # package files left as the release's stubs
    hangs: bool = False                       # svm_loss_vectorized never returns
    lang: str = "en"
    answers: Mapping[str, str] = field(default_factory=dict)    # question id -> answer ("" = blank)


def _answer(rng: random.Random, lang: str) -> str:
    roll = rng.random()
    if roll < SHARE_BLANK:
        return ""
    words = _PHRASES[lang]
    if roll < SHARE_BLANK + SHARE_PARTIAL:
        return rng.choice(words)[: rng.randint(6, 18)].strip()
    sep = "，" if lang == "zh" else ". "
    return sep.join(rng.sample(words, rng.randint(2, 4))) + ("。" if lang == "zh" else ".")


def plan_class(n: int, bugs: Sequence[Bug], questions: Sequence[Question], seed: int = 0,
               weights: Mapping[str, float] | None = None) -> list[StudentPlan]:
    """``n`` seeded student plans named ``s0000``, ``s0001``, ... (see the module docstring)."""
    if n < 1:
        raise ValueError(f"n must be at least 1; got {n}")
    rng = random.Random(seed)
    weights = COMMON_BUGS if weights is None else weights
    pool = list(bugs)
    w = [float(weights.get(b.name, 1.0)) for b in pool]
    plans = []
    for k in range(n):
        lang = "zh" if rng.random() < SHARE_ZH else "en"
        roll = rng.random()
        chosen: list[Bug] = []
        unfinished: tuple[str, ...] = ()
        hangs = SHARE_UNFINISHED <= roll < SHARE_UNFINISHED + SHARE_HANG
        if roll < SHARE_UNFINISHED:
            unfinished = tuple(sorted(rng.sample(PACKAGE_FILES, rng.randint(1, 2))))
        elif roll >= SHARE_UNFINISHED + SHARE_HANG + SHARE_CORRECT and pool:
            for _ in range(1 if rng.random() < 0.7 else 2):
                bug = rng.choices(pool, weights=w)[0]
                if bug not in chosen and all(b.file != bug.file for b in chosen):
                    chosen.append(bug)
        answers = {q.id: _answer(rng, lang) for q in questions}
        plans.append(StudentPlan(f"s{k:04d}", tuple(b.name for b in chosen), unfinished, hangs, lang,
                                 answers))
    return plans


def _student_notebook(reference: dict, answers: Mapping[str, str], stem: str, lang: str) -> dict:
    nb = copy.deepcopy(reference)
    placeholder = ANSWER_HERE_ZH if lang == "zh" else "Your answer here"
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        text = cell_source(cell)
        released = strip_markdown(text, stem, placeholder)
        if released != text:
            mine = answers.get(f"{stem}/{cell.get('id')}", "")
            cell["source"] = released.replace(placeholder, mine) if mine else released
        cell.get("metadata", {}).pop("points", None)
    return nb


def write_submission(plan: StudentPlan, dest: str | Path, *, repo: str | Path, bugs: Iterable[Bug]) -> Path:
    """Write ``plan`` as a submission folder ``dest`` (``cs231n_lin/`` and ``notebooks/``).

    The package is ``repo``'s without ``grading/``, with the plan's bugs applied and its unfinished
    files' solution regions replaced by ``raise NotImplementedError`` (what the release hands out);
    the notebooks are ``repo``'s in the plan's language (``notebooks/zh/`` for Chinese) with the
    answer regions replaced by the plan's answers (a blank answer keeps the placeholder).
    """
    repo, dest = Path(repo), Path(dest)
    by_name = {b.name: b for b in bugs}
    shutil.copytree(repo / "cs231n_lin", dest / "cs231n_lin",
                    ignore=shutil.ignore_patterns("grading", "__pycache__"))
    for name in plan.bugs:
        by_name[name].apply_to(dest)
    if plan.hangs:
        path = dest / HANG[0]
        text = path.read_text()
        at = text.index("# BEGIN SOLUTION\n", text.index(f"def {HANG[1]}(")) + len("# BEGIN SOLUTION\n")
        path.write_text(text[:at] + "    while True:           # waits for a condition that never changes\n"
                        "        pass\n" + text[at:])
    for rel in plan.unfinished:
        path = dest / rel
        path.write_text(re.sub(r"( *)# BEGIN SOLUTION\n.*?# END SOLUTION\n",
                               lambda m: f"{m.group(1)}raise NotImplementedError\n", path.read_text(),
                               flags=re.S))
    src = repo / "notebooks" / ("zh" if plan.lang == "zh" else "")
    out = dest / "notebooks" / ("zh" if plan.lang == "zh" else "")
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.glob("*.ipynb")):
        reference = json.loads(path.read_text(encoding="utf-8"))
        nb = _student_notebook(reference, plan.answers, path.stem, plan.lang)
        (out / path.name).write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return dest


def answers_only_notebooks(notebooks_dir: str | Path, dest: str | Path) -> Path:
    """Copies of the reference notebooks with their markdown cells only: grading with these as
    ``--notebooks`` collects the written answers (same cell ids) without running any notebook."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb["cells"] = [c for c in nb.get("cells", []) if c.get("cell_type") == "markdown"]
        (dest / path.name).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return dest


# ------------------------------------------------------------------ results for the benchmark

def replicate(seeds: Mapping[str, dict], plans: Sequence[StudentPlan], seed: int = 0) -> dict[str, dict]:
    """One results dictionary per plan: the real ``results.json`` of the seed submission graded
    with the same profile (:func:`profile`; else the seed of its first bug, else the first seed), with the
    plan's written answers and a varied speed measurement."""
    rng = random.Random(seed)
    keys = list(seeds)
    out = {}
    for plan in plans:
        key = next((k for k in keys if k == _profile(plan)), None) or \
            next((k for k in keys if plan.bugs and plan.bugs[0] in k.split("+")), keys[0])
        data = copy.deepcopy(seeds[key])
        extra = data.setdefault("extra_data", {})
        extra["written"] = dict(plan.answers)
        for m in (extra.get("perf") or {}).values():
            for f in ("ratio", "graded_ratio"):
                if isinstance(m.get(f), (int, float)):
                    m[f] = round(m[f] * rng.lognormvariate(0.0, 0.25), 4)
        out[plan.name] = data
    return out


def _profile(plan: StudentPlan) -> str:
    """The seed key of a plan: its bugs joined by ``+``, ``unfinished``, ``hang`` or ``correct``."""
    if plan.unfinished:
        return "unfinished"
    if plan.hangs:
        return "hang"
    return "+".join(plan.bugs) or "correct"


def profile(plan: StudentPlan) -> str:
    """Public name of :func:`_profile` (the key :func:`replicate` looks seeds up by)."""
    return _profile(plan)


def write_results(results: Mapping[str, dict], out_dir: str | Path) -> Path:
    """``out_dir/<name>/results.json`` for each result (the layout ``grade --out`` writes)."""
    from cs231n_lin._io import atomic_write_text

    out = Path(out_dir)
    for name, data in results.items():
        atomic_write_text(out / name / "results.json", json.dumps(data, ensure_ascii=False))
    return out


def summarize_plans(plans: Sequence[StudentPlan]) -> dict[str, Any]:
    """Counts of a planned class (bugs, unfinished, languages, blank answers), for tests and reports."""
    from collections import Counter

    return {"students": len(plans), "bugs": dict(Counter(b for p in plans for b in p.bugs)),
            "unfinished": sum(1 for p in plans if p.unfinished), "hang": sum(1 for p in plans if p.hangs),
            "zh": sum(1 for p in plans if p.lang == "zh"),
            "blank_answers": sum(1 for p in plans for a in p.answers.values() if not a),
            "correct": sum(1 for p in plans if not p.bugs and not p.unfinished)}


__all__ = ["COMMON_BUGS", "StudentPlan", "answers_only_notebooks", "plan_class", "profile", "replicate",
           "summarize_plans", "write_results", "write_submission"]
