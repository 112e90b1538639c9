"""``cs231n-lin grade``: grade submissions with the hidden tests, in Gradescope's results.json schema.

For each submission (a directory or a zip in the student version's layout, only ever read):

1. copy it into a scratch directory (:func:`cs231n_lin.grading.run.worker.prepare_scratch`);
2. build every hidden case's inputs from its seed (``tests/hidden/cases.py``) and run the
   student's functions on them in the sandboxed worker, which returns plain arrays and JSON;
3. compute the expected values with the instructor's reference implementation in THIS process
   and judge each property here, awarding the case's points (feedback names the property that
   failed, never the expected values), adding diagnoses from ``grading.diagnose`` if present;
4. grade the notebooks with nbval (:mod:`cs231n_lin.grading.records.nbgrade`) if reference notebooks exist.

Same submission, same result (``execution_time`` aside). A batch with ``out_dir`` writes
``<out_dir>/<name>/results.json`` atomically and skips submissions already graded with the same
content hash and grader version, so a killed batch resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cs231n_lin import __version__, i18n, tasks
from cs231n_lin.grading.judge import taskcases, taskjudge, visible
from cs231n_lin.grading.records import nbgrade, written
from cs231n_lin.grading.records.facts import submission_facts
from cs231n_lin.grading.records.results import SubmissionResult, TestResult
from cs231n_lin.grading.run import budget as budgets
from cs231n_lin.grading.run import sandbox, speed, worker
from cs231n_lin.grading.run.reference import reference_for
from cs231n_lin.grading.run.sandbox import Limits
from cs231n_lin.grading.run.worker import Task, TaskOutcome

load_cases = taskcases.load_cases
make_inputs = taskcases.make_inputs


@dataclass
class GradeOptions:
    """Everything ``grade`` needs besides the submissions.

    Parameters
    ----------
    hidden_dir : Path
        Folder with ``cases.py`` (default: ``tests/hidden`` next to the installed package).
    notebooks_dir : Path or None
        Reference notebooks (default: ``notebooks/`` next to the package, if present).
    notebooks : bool
        ``False`` skips notebook grading.
    limits : Limits
        Sandbox limits per worker run.
    mode : str or None
        Force a sandbox mode (default: the strongest available).
    perf_threshold : float
        Passed to ``perf.judge``.
    budget : float
        CPU seconds for one submission, all sandboxed runs together; at least
        ``budget.BUDGET_FACTOR`` times the reference's CPU time on the same calls, measured in the
        same run (machine load does not change CPU time; the wall clock is only a safety net).
    allow_unprotected : bool
        Grade in the ``none`` sandbox mode (student code as the grader's user). Refused otherwise.
    lang : str or None
        Language of the feedback (``"en"`` or ``"zh"``); None: each submission's own (a
        ``cs231n-lin.cfg`` at its top, else the language of the notebooks it holds).
    """

    hidden_dir: Path | None = None
    notebooks_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    mode: str | None = None
    perf_threshold: float = 3.0
    notebooks: bool = True
    budget: float = 85.0
    allow_unprotected: bool = False
    lang: str | None = None

    def resolved(self) -> GradeOptions:
        repo = worker.reference_package().parent
        hidden = Path(self.hidden_dir) if self.hidden_dir else repo / "tests" / "hidden"
        if not (hidden / "cases.py").is_file():
            raise ValueError(f"hidden tests not found: {hidden / 'cases.py'} does not exist "
                             "(pass --hidden DIR with the grader's tests/hidden folder)")
        nbs = self.notebooks_dir
        if nbs is None and (repo / "notebooks").is_dir():
            nbs = repo / "notebooks"
        if not self.notebooks:
            nbs = None
        mode = self.mode or sandbox.detect_mode()
        if self.mode is not None or mode == "user":
            why = sandbox.preflight(mode, secrets=worker.hidden_paths())
            if why:
                raise sandbox.GraderError(f"sandbox pre-flight failed, nothing was graded: {why}")
        if mode == "none" and not self.allow_unprotected:
            raise ValueError("the only sandbox mode that works here is 'none' (student code would run as "
                             "your user, unprotected); run as root or install bubblewrap, or pass "
                             "--unprotected to grade anyway")
        if self.budget <= 0:
            raise ValueError(f"budget must be > 0 seconds; got {self.budget}")
        lang = None if self.lang is None else i18n.validate_lang(self.lang, "lang")
        return GradeOptions(hidden, Path(nbs) if nbs else None, self.limits, mode, self.perf_threshold,
                            self.notebooks, self.budget, self.allow_unprotected, lang)


# ------------------------------------------------------------------------------ diagnosis (optional)

def _probe_tasks() -> tuple[list, list[Task]]:
    """The diagnose helper's probes as worker tasks."""
    from cs231n_lin.grading.run import probes

    items, tasks = [], []
    for i, probe in enumerate(probes.probe_cases()):
        arrays = {k: np.asarray(v) for k, v in probe.kwargs.items() if isinstance(v, np.ndarray)}
        scalars = {}
        for k, v in probe.kwargs.items():
            if isinstance(v, (bool, np.bool_)):
                scalars[k] = bool(v)
            elif isinstance(v, (int, np.integer)):
                scalars[k] = int(v)
            elif isinstance(v, (float, np.floating)):
                scalars[k] = float(v)
        items.append(probe)
        tasks.append(Task(f"p{i}", "probe", "cs231n_lin.classifiers", probe.function, arrays=arrays,
                          scalars=scalars, params={"probe_name": probe.name}))
    return items, tasks


def _diagnoses(probe_items: list, tasks: list[Task], outcomes: dict[str, TaskOutcome],
               keyed_out: list | None = None) -> dict[str, list[str]]:
    """Diagnosis messages by student function name (``LinearSVM.fit`` counts for ``LinearSVM``).

    ``keyed_out`` (if given) receives ``{"key", "function", "message"}`` per message, for the report.
    """
    from cs231n_lin.grading.judge import diagnose

    results = []
    for probe, task in zip(probe_items, tasks, strict=True):
        out = outcomes.get(task.id)
        if out is None:
            continue
        if out.ok and isinstance(out.value, dict):
            results.append((probe, dict(out.value)))
        else:
            failed = {"ok": False, "loss": None, "dW": None, "dtype": "", "inputs_modified": False,
                      "error": out.error or "the probe did not return a result"}
            results.append((probe, failed))
    keyed = diagnose.summarize_keyed(results)
    if keyed_out is not None:
        keyed_out.extend(keyed)
    found: dict[str, list[str]] = {}
    for d in keyed:
        found.setdefault(d["function"], []).append(d["message"])
    return found


# ------------------------------------------------------------------------------ one submission

def reference_tasks(options: GradeOptions, ref_dir: Path) -> list[Task]:
    """The worker calls a submission's CPU budget is measured on, made for the reference copy in
    ``ref_dir`` (the visible checks, the hidden cases, the probes:
    :func:`cs231n_lin.grading.run.budget.reference_for`)."""
    cases = taskcases.load_cases(options.hidden_dir)
    refs_dir = options.notebooks_dir or _reference_notebooks()
    refs = nbgrade.reference_notebooks(refs_dir) if refs_dir is not None else {}
    _, _, calls = _worker_calls(cases, refs, refs)
    return [*visible.worker_tasks(ref_dir, refs, refs), *calls, *_probe_tasks()[1]]


def submission_hash(path: Path, hidden_dir: Path) -> str:
    """Hash of the submission's files and of the grader version (cases, package version)."""
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(repr(sorted(sandbox.PROTECTS)).encode())
    h.update((Path(hidden_dir) / "cases.py").read_bytes())
    for f in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(f.read_bytes())
    path = Path(path)
    if path.is_file():
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    else:
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if d not in worker.SKIP_DIRS)
            for name in sorted(filenames):
                p = os.path.join(dirpath, name)
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                h.update(os.fsencode(os.path.relpath(p, path)) + b"\0")
                with open(p, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def _not_graded(why: str) -> list[TestResult]:
    return [TestResult(str(t.title), 0.0, float(t.points), why, "visible")
            for t in tasks.of_kind("code", "speed")]


def _judge_tasks(cases: dict[str, list[dict]], inputs: dict[str, list[dict]], worker_ids: dict[str, list],
                 outcomes: dict[str, TaskOutcome], visible_results: dict[str, tuple],
                 diagnoses: dict[str, list[str]], refs: dict[str, dict], perf_expected: dict[str, dict],
                 perf_threshold: float) -> list[TestResult]:
    """One result per code or speed task, in table order (written answers are merged later)."""
    judged: dict[str, list[tuple[dict, bool, str]]] = {}
    for task in tasks.of_kind("code", "speed"):
        rows = []
        for case, inp, wid in zip(cases[task.id], inputs[task.id], worker_ids[task.id], strict=True):
            if wid is None:
                rows.append((case, False, i18n.tr("not graded: the reference notebook is missing",
                                                  "未评分：缺少参考 notebook")))
                continue
            if task.kind == "speed":
                expected = perf_expected.get(wid)
            else:
                expected = taskjudge.reference_value(case, inp, refs, task.notebook)
            ok, msg = taskjudge.judge_case(case, inp, outcomes.get(wid), expected,
                                           perf_threshold=perf_threshold)
            if task.kind == "speed" and ok and task.depends:
                dep = visible_results.get(task.depends[0])
                if not (dep and dep[0]):
                    ok, msg = False, i18n.tr("speed counts only when the function passes its check",
                                             "只有函数通过了检查，速度才计分")
            rows.append((case, ok, msg))
        judged[task.id] = rows
    failing = {t.id for t in tasks.of_kind("code") if not (visible_results.get(t.id) or (False,))[0]
               or not all(ok for _, ok, _ in judged[t.id])}
    out = []
    for task in tasks.of_kind("code", "speed"):
        causes = [d for fn in task.functions for d in diagnoses.get(fn.split(".")[0], [])]
        seen = visible_results.get(task.id)
        result = taskjudge.task_result(task, judged[task.id], None if task.kind == "speed" else seen, causes,
                                       failing)
        if task.kind == "code" and seen is None:
            result.output = i18n.tr("The check of this task did not run on your code: ",
                                    "这一项的检查没有在你的代码上运行：") + _why_not_run(task, outcomes)
        out.append(result)
    return out


def _deleted_cells(refs: dict[str, dict], students: dict[str, dict | None]) -> dict[str, tuple]:
    """A failed visible verdict, naming the cell, for each notebook task whose solution cell the
    student's notebook no longer has (its check cell would only say "name ... is not defined")."""
    out = {}
    for task in tasks.of_kind("code"):
        student = students.get(task.notebook)
        if task.notebook not in refs or not isinstance(student, dict):
            continue
        for cell_id in (w for w in task.writes if ":" not in w):
            message = nbgrade.missing_cell(refs[task.notebook], student, cell_id)
            if message:
                out[task.id] = (False, True, message, "", "", "missing_cell")
                break
    return out


def _written_tests(refs_dir: Path | None) -> list[TestResult]:
    """One test per written answer, 0 until marked by hand (``grade --written``): the maximum is the
    assignment's from the start."""
    out = []
    for q in written.reference_questions(refs_dir):          # the same test `grade --written` keeps
        out.append(TestResult(q.test_name, 0.0, q.max_points, written.UNMARKED.format(points=q.max_points),
                              "visible"))
    return out


def _why_not_run(task, outcomes: dict[str, TaskOutcome]) -> str:
    out = visible.outcome_of(task.id, task.notebook, outcomes)
    if out is None:
        return i18n.tr("it was not reached.", "没有运行到它。")
    return (out.error or out.crash or i18n.tr("it did not report.", "它没有返回结果。"))[:300]


def _worker_calls(cases: dict[str, list[dict]], refs: dict[str, dict], students: dict[str, dict | None]):
    """Inputs, worker call ids (None: not gradable here) and worker calls of every hidden case."""
    inputs, worker_ids, calls = {}, {}, []
    for task in tasks.of_kind("code", "speed"):
        inputs[task.id], worker_ids[task.id] = [], []
        for k, case in enumerate(cases[task.id]):
            inp = taskcases.make_inputs(case["inputs"]) if "inputs" in case else {}
            wt = taskcases.worker_task(f"{task.id}.{k}", task.id, case, inp, refs, students)
            inputs[task.id].append(inp)
            worker_ids[task.id].append(None if wt is None else wt.id)
            if wt is not None:
                calls.append(wt)
    return inputs, worker_ids, calls


def grade_submission(submission: Path, options: GradeOptions) -> SubmissionResult:
    """Grade one submission (see the module docstring); never raises for a bad submission."""
    try:
        options = options.resolved()
    except sandbox.GraderError as exc:
        return SubmissionResult([], GRADER_ERROR, 0.0, {"hash": ""}, {"instructor_notes": [str(exc)],
                                                                       "limits": []})
    start = time.monotonic()
    reference_cpu = reference_for(options, lambda d: reference_tasks(options, d))
    budget = budgets.Budget.for_submission(options.budget, reference_cpu)
    cases = taskcases.load_cases(options.hidden_dir)
    digest = submission_hash(submission, options.hidden_dir)
    uid = sandbox.begin_submission()
    box = worker.make_sandbox_dir(size=options.limits.scratch_size)
    try:
        try:
            sub_dir = worker.prepare_scratch(Path(submission), box)
        except (worker.SubmissionError, OSError) as exc:
            refs_dir = options.notebooks_dir or _reference_notebooks()
            tests = _not_graded("not graded") + _written_tests(refs_dir)
            return SubmissionResult(tests, f"This submission could not be graded: {exc}",
                                    time.monotonic() - start, {"hash": digest})
        # The student's notebooks (English, Chinese or a renamed copy), read before any student code runs.
        refs_dir = options.notebooks_dir or _reference_notebooks()
        student_nbs: tuple[dict, list[str]] = ({}, [])
        refs: dict[str, dict] = {}
        answers = None
        if refs_dir is not None:
            student_nbs = nbgrade.read_student_notebooks(sub_dir, refs_dir)
            refs = nbgrade.reference_notebooks(refs_dir)
            answers = written.collect_answers(student_nbs[0], refs_dir)
        lang = options.lang or submission_lang(sub_dir, student_nbs if refs_dir else None, refs_dir)
        with i18n.using_lang(lang):
            inputs, worker_ids, calls = _worker_calls(cases, refs, student_nbs[0])
            vis_tasks = visible.worker_tasks(sub_dir, refs, student_nbs[0], lang)
            probe_items, probe_tasks = _probe_tasks()
            outcomes, notes = worker.run_tasks(sub_dir, box, vis_tasks + calls + probe_tasks,
                                               limits=options.limits, mode=options.mode, budget=budget)
            keyed: list = []
            diagnoses = _diagnoses(probe_items, probe_tasks, outcomes, keyed)
            perf_expected, perf_facts = {}, {}
            for (_, case), wid in zip(taskcases.speed_cases(cases),
                                            [w for t in tasks.of_kind("speed") for w in worker_ids[t.id]],
                                            strict=True):
                perf_expected[wid] = speed.measure_outside(case, sub_dir, box, options.limits, options.mode,
                                                           budget, options.perf_threshold)
                measured = (outcomes.get(wid) or TaskOutcome(wid, False)).measurement
                perf_facts[case["function"]] = speed.facts(measured, perf_expected[wid])
            seen = visible.results(outcomes)
            seen.update(_deleted_cells(refs, student_nbs[0]))
            tests = _judge_tasks(cases, inputs, worker_ids, outcomes, seen, diagnoses, refs, perf_expected,
                                 options.perf_threshold)
            tests += _written_tests(refs_dir)
            notes = list(student_nbs[1]) + notes
            data = submission_facts(diagnoses=keyed, tasks=calls + probe_tasks, outcomes=outcomes,
                                    written=answers, perf=perf_facts)
            data["limits"] = data.get("limits", []) + [s for s in budget.stops if s["function"] not in
                                                       {x["function"] for x in data.get("limits", [])}]
            lines, instructor = _summary_lines(tests, notes, options.mode, box)
            data["instructor_notes"] = instructor
            return SubmissionResult(tests, "\n".join(lines), time.monotonic() - start,
                                    {"hash": digest, "sandbox": options.mode, "lang": lang}, data)
    finally:
        worker.remove_sandbox_dir(box)
        sandbox.reap_uid(uid)


GRADER_ERROR = ("The grader failed on this submission: a problem with the grading machine, not with your "
                "work. Your instructor has the details and will grade it again.")


def _summary_lines(tests: list[TestResult], notes: list[str], mode: str, box: Path
                   ) -> tuple[list[str], list[str]]:
    """Lines for the student (``output``) and notes for the instructor (``extra_data`` only)."""
    lines = [f"Graded {len(tests)} tests; hidden tests computed their expected values with the "
             "reference solution."] + notes
    instructor = []
    if mode == "none":
        lines.append("UNPROTECTED: graded in sandbox mode 'none' (student code ran as the grader's user); "
                     "these results are not protected against tampering.")
    elif mode == "user":
        lines.append("Graded in the fallback sandbox ('user' mode): the network was NOT isolated while your "
                     "code ran.")
        instructor.append(f"sandbox ran in the weaker 'user' mode ({sandbox.PROTECTS[mode]}).")
        exposed = sandbox.readable_by(sandbox.sandbox_uid(), worker.hidden_paths())
        if exposed:
            instructor.append("student code could read " + ", ".join(exposed)
                              + "; make them unreadable to other users (chmod -R go-rwx).")
    if not worker.scratch_is_limited(box):
        instructor.append("the scratch copy is not on a size-limited tmpfs here (needs root); a submission "
                          "could fill the disk.")
    return lines, instructor


def _reference_notebooks() -> Path | None:
    """The grader's reference notebooks (``notebooks/`` next to the package), if present."""
    nbs = worker.reference_package().parent / "notebooks"
    return nbs if nbs.is_dir() else None


def submission_lang(sub_dir: Path, student_nbs: tuple[dict, list[str]] | None,
                    notebooks_dir: Path | None = None) -> str:
    """The language of a submission's feedback (see :func:`grade_submission`).

    Read before any student code runs: the ``cs231n-lin.cfg`` at the top of the scratch copy
    (regular files only), else :func:`nbgrade.notebooks_lang` of the student's notebooks.
    """
    try:
        if (Path(sub_dir) / i18n.SETTINGS_NAME).is_file():
            return i18n.lang_of_folder(sub_dir) or "en"
    except ValueError:
        pass
    if student_nbs is not None and notebooks_dir is not None:
        return nbgrade.notebooks_lang(student_nbs[0], notebooks_dir)
    return "en"


__all__ = ["GradeOptions", "grade_submission", "load_cases", "make_inputs"]
