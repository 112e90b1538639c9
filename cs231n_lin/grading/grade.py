"""``cs231n-lin grade``: grade submissions with the hidden tests, in Gradescope's results.json schema.

For each submission (a directory or a zip in the student version's layout, only ever read):

1. copy it into a scratch directory (:func:`cs231n_lin.grading.worker.prepare_scratch`);
2. build every hidden case's inputs from its seed (``tests/hidden/cases.py``) and run the
   student's functions on them in the sandboxed worker, which returns plain arrays and JSON;
3. compute the expected values with the instructor's reference implementation in THIS process
   and judge each property here, awarding the case's points (feedback names the property that
   failed, never the expected values), adding diagnoses from ``grading.diagnose`` if present;
4. grade the notebooks with nbval (:mod:`cs231n_lin.grading.nbgrade`) if reference notebooks exist.

Same submission, same result (``execution_time`` aside). A batch with ``out_dir`` writes
``<out_dir>/<name>/results.json`` atomically and skips submissions already graded with the same
content hash and grader version, so a killed batch resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cs231n_lin import __version__, i18n
from cs231n_lin.grading import budget as budgets
from cs231n_lin.grading import nbcases, nbgrade, sandbox, speed, worker, written
from cs231n_lin.grading.facts import submission_facts
from cs231n_lin.grading.judge import CHECK_TITLES, check
from cs231n_lin.grading.results import SubmissionResult, TestResult
from cs231n_lin.grading.sandbox import Limits
from cs231n_lin.grading.worker import Task, TaskOutcome


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
            why = sandbox.preflight(mode, secrets=worker._hidden_paths())
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


# ------------------------------------------------------------------------------ cases and inputs

def load_cases(hidden_dir: Path) -> list[dict]:
    """The hidden cases, in order; ``perf`` cases only when ``grading.perf`` is importable."""
    path = Path(hidden_dir) / "cases.py"
    spec = importlib.util.spec_from_file_location("_cs231n_hidden_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases = list(module.CASES)
    for c in cases:
        unknown = set(c["checks"]) - set(CHECK_TITLES)
        if unknown:
            raise ValueError(f"hidden case {c['name']!r} has unknown checks {sorted(unknown)}")
    return cases


def make_inputs(spec: dict) -> dict[str, np.ndarray]:
    """Deterministic inputs of a case from its generator spec."""
    gen = spec["gen"]
    if gen == "loss":
        rng = np.random.default_rng(spec["seed"])
        dtype = np.dtype(spec.get("dtype", "float64"))
        N, D, C = spec["N"], spec["D"], spec["C"]
        W = (spec.get("w_scale", 0.5) * rng.standard_normal((D, C))).astype(dtype)
        X = (spec.get("x_scale", 1.0) * rng.standard_normal((N, D))).astype(dtype)
        y = rng.integers(0, C, size=N)
        return {"W": W, "X": X, "y": y}
    if gen == "scores":
        rng = np.random.default_rng(spec["seed"])
        scores = spec["scale"] * rng.standard_normal((spec["N"], spec["C"]))
        return {"scores": scores.astype(spec.get("dtype", "float64"))}
    if gen == "same_rows":
        # every training example has the same features, labels 0..C-1 in turn: whatever minibatch
        # the student's SGD samples, the step is (up to sampling noise in the label mix) the same
        rng = np.random.default_rng(spec["seed"])
        N, D, C = spec["N"], spec["D"], spec["C"]
        X = np.repeat(rng.standard_normal((1, D)), N, axis=0)
        return {"X_train": X, "y_train": np.arange(N) % C}
    if gen == "digits":
        from sklearn.datasets import load_digits

        X, y = load_digits(return_X_y=True)
        if spec.get("labels") == "odd":      # labels 1, 3, ..., 19: class values are not column indices
            y = 2 * y + 1
        X_train, y_train, X_test, y_test = X[:1200], y[:1200], X[1200:], y[1200:]
        mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-8
        return {"X_train": (X_train - mean) / std, "y_train": y_train, "X_test": (X_test - mean) / std,
                "y_test": y_test}
    if gen == "none":
        return {}
    raise ValueError(f"unknown input generator {gen!r}")


def _task_for(i: int, case: dict, inputs: dict) -> Task:
    if "own_loss" in case["checks"]:
        return Task(f"c{i}", "fit_weights", case["module"], case["function"], arrays=inputs,
                    params=dict(case.get("params", {})))
    if "perf" in case["checks"]:
        return Task(f"c{i}", "perf", case["module"], case["function"], perf=dict(case["perf"]))
    if "accuracy" in case["checks"]:
        arrays = {k: v for k, v in inputs.items() if k != "y_test"}
        return Task(f"c{i}", "fit_predict", case["module"], case["function"], arrays=arrays,
                    params=dict(case.get("params", {})))
    return Task(f"c{i}", "call", case["module"], case["function"], arrays=inputs,
                scalars=dict(case.get("kwargs", {})))


def _reference(case: dict, inputs: dict):
    """Expected value of a case, from the instructor's package, in this process."""
    import importlib

    module = importlib.import_module(case["module"])
    target = getattr(module, case["function"])
    if "accuracy" in case["checks"]:
        est = target(**case.get("params", {})).fit(inputs["X_train"], inputs["y_train"])
        return float(np.mean(est.predict(inputs["X_test"]) == inputs["y_test"]))
    if "own_loss" in case["checks"]:
        return target(**case.get("params", {})).fit(inputs["X_train"], inputs["y_train"]).W_
    if "perf" in case["checks"]:
        return None
    copies = {k: v.copy() for k, v in inputs.items()}
    return target(**copies, **case.get("kwargs", {}))


# ------------------------------------------------------------------------------ diagnosis (optional)

def _probe_tasks() -> tuple[list, list[Task]]:
    """The diagnose helper's probes as worker tasks."""
    from cs231n_lin.grading import probes

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
    from cs231n_lin.grading import diagnose

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

def reference_tasks(options: GradeOptions) -> list[Task]:
    """The worker calls a submission's CPU budget is measured on, with the reference (hidden cases and
    probes; :func:`cs231n_lin.grading.budget.reference_for`)."""
    cases = load_cases(options.hidden_dir)
    return [_task_for(i, c, make_inputs(c["inputs"])) for i, c in enumerate(cases)] + _probe_tasks()[1]


def submission_hash(path: Path, hidden_dir: Path) -> str:
    """Hash of the submission's files and of the grader version (cases, package version)."""
    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(repr(sorted(sandbox.PROTECTS)).encode())
    h.update((Path(hidden_dir) / "cases.py").read_bytes())
    for f in sorted(Path(__file__).parent.glob("*.py")):
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


def _accuracy_needs_own_loss(cases: list[dict], tests: list[TestResult]) -> None:
    """Held-out accuracy counts only for an estimator whose ``fit`` steps along its own loss
    (an SVM trained with another loss can be accurate, but it is not the SVM asked for)."""
    titles = {f"{c['name']} — {CHECK_TITLES['own_loss']}": c["function"]
              for c in cases if "own_loss" in c["checks"]}
    failed = {titles[t.name] for t in tests if t.name in titles and t.score < t.max_score}
    accuracy = {f"{c['name']} — {CHECK_TITLES['accuracy']}" for c in cases
                if "accuracy" in c["checks"] and c["function"] in failed}
    for t in tests:
        if t.name in accuracy and t.score > 0:
            t.score = 0.0
            t.output += ("\nThis counts only when fit steps along the estimator's own loss (see the test "
                         "'training uses the estimator's own loss').")


def _not_graded(cases: list[dict], why: str) -> list[TestResult]:
    return [TestResult(f"{c['name']} — {CHECK_TITLES[k]}", 0.0, float(p), why, c["visibility"])
            for c in cases for k, p in c["checks"].items()]


def grade_submission(submission: Path, options: GradeOptions) -> SubmissionResult:
    """Grade one submission (see the module docstring); never raises for a bad submission."""
    try:
        options = options.resolved()
    except sandbox.GraderError as exc:
        return SubmissionResult([], GRADER_ERROR, 0.0, {"hash": ""}, {"instructor_notes": [str(exc)],
                                                                       "limits": []})
    start = time.monotonic()
    budget = budgets.Budget.for_submission(options.budget,
                                           budgets.reference_for(options, lambda: reference_tasks(options)))
    cases = load_cases(options.hidden_dir)
    digest = submission_hash(submission, options.hidden_dir)
    uid = sandbox.begin_submission()
    box = worker.make_sandbox_dir(size=options.limits.scratch_size)
    try:
        try:
            sub_dir = worker.prepare_scratch(Path(submission), box)
        except (worker.SubmissionError, OSError) as exc:
            return SubmissionResult(_not_graded(cases, "not graded"),
                                    f"This submission could not be graded: {exc}",
                                    time.monotonic() - start, {"hash": digest})
        # The student's notebooks, English or Chinese (read before any student code runs), and the
        # language of the feedback: a cs231n-lin.cfg at the top of the copy, else the notebooks'.
        student_nbs, nb_refs, nb_cases, nb_tasks = None, {}, [], []
        answers, keyed = None, []
        refs_dir = options.notebooks_dir or _reference_notebooks()
        if refs_dir is not None:
            student_nbs = nbgrade.read_student_notebooks(sub_dir, refs_dir)
        if options.notebooks_dir is not None:
            answers = written.collect_answers(student_nbs[0], options.notebooks_dir)
            nb_refs = nbgrade.reference_notebooks(options.notebooks_dir)
            nb_cases = nbcases.load_nb_cases(options.hidden_dir)
            nb_tasks = nbcases.tasks(nb_cases, nb_refs, student_nbs[0])
        lang = options.lang or submission_lang(sub_dir, student_nbs, refs_dir)
        with i18n.using_lang(lang):
            inputs = [make_inputs(c["inputs"]) for c in cases]
            tasks = [_task_for(i, c, inp) for i, (c, inp) in enumerate(zip(cases, inputs, strict=True))]
            probe_items, probe_tasks = _probe_tasks()
            outcomes, notes = worker.run_tasks(sub_dir, box, tasks + nb_tasks + probe_tasks,
                                               limits=options.limits,
                                               mode=options.mode, budget=budget)
            diagnoses = _diagnoses(probe_items, probe_tasks, outcomes, keyed)
            tests = []
            judged: dict[str, tuple[bool, str]] = {}
            perf_facts: dict[str, dict] = {}
            for case, inp, task in zip(cases, inputs, tasks, strict=True):
                outcome = outcomes[task.id]
                if "perf" in case["checks"]:
                    expected = speed.measure_outside(case, sub_dir, box, options.limits, options.mode,
                                                      budget, options.perf_threshold)
                    perf_facts[case["function"]] = speed.facts(outcome.measurement, expected)
                else:
                    expected = _reference(case, inp)
                earned: dict[str, float] = {}
                for name in sorted(case["checks"], key=lambda n: n == "unmodified"):  # unmodified last
                    frac, msg = check(name, case, inp, expected, outcome, options.perf_threshold)
                    if name == "unmodified" and frac > 0 and any(v < 1.0 for v in earned.values()):
                        frac, msg = 0.0, "inputs unchanged, but this counts only when the results are correct"
                    if name == "perf" and frac > 0 and not judged.get(case["function"], (True, ""))[0]:
                        frac, msg = 0.0, (f"{msg}\nSpeed counts only when {case['function']} is correct "
                                          "(see its other tests).")
                    earned[name] = frac
                    points = case["checks"][name]
                    # a diagnosis that only repeats "not implemented yet" adds nothing to the message
                    causes = [d for d in diagnoses.get(case["function"], []) if "not implemented yet" not in d
                              or "not implemented yet" not in msg]
                    if frac < 1.0 and causes and name != "perf":
                        msg += "\n" + i18n.tr("Likely cause: ", "可能的原因：") + " ".join(causes[:2])
                    tests.append(TestResult(f"{case['name']} — {CHECK_TITLES[name]}", round(points * frac, 6),
                                            float(points), msg, case["visibility"]))
                    if name != "perf":
                        fn = case["function"]
                        if frac < 1.0 and judged.get(fn, (True, ""))[0]:
                            judged[fn] = (False, f"{fn} fails the hidden test {case['name']!r}")
                        judged.setdefault(fn, (True, f"{fn} passes the hidden tests"))
            _accuracy_needs_own_loss(cases, tests)
            if options.notebooks_dir is not None:
                judged.update(nbcases.judge(nb_cases, nb_refs, nb_tasks, outcomes))
                # a fresh scratch copy: the package worker's student code may have altered the first one
                nb_box = worker.make_sandbox_dir(size=options.limits.scratch_size)
                try:
                    nb_sub = worker.prepare_scratch(Path(submission), nb_box)
                    # one sandbox run for all the notebooks, on what is left of the budget
                    left = max(1.0, budget.left())
                    nb_limits = Limits(**{**options.limits.__dict__, "wall": budgets.safety_wall(left),
                                          "cpu": int(left) + 1})
                    nb_tests, nb_notes = nbgrade.grade_notebooks(nb_sub, nb_box, options.notebooks_dir,
                                                                 limits=nb_limits, mode=options.mode,
                                                                 judged=judged, student_notebooks=student_nbs)
                finally:
                    worker.remove_sandbox_dir(nb_box)
                tests += nb_tests
                notes += nb_notes
                for note in nb_notes:       # a notebook run that was stopped is a limit too
                    if "did not run to the end" in note:
                        budget.record(note.split(":")[0], note.split(": ", 1)[-1], "timeout")
            data = submission_facts(diagnoses=keyed, tasks=tasks + nb_tasks + probe_tasks, outcomes=outcomes,
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
        exposed = sandbox.readable_by(sandbox.sandbox_uid(), worker._hidden_paths())
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


from cs231n_lin.grading.batch import main  # noqa: E402  (the batch runner; kept importable from here)

__all__ = ["GradeOptions", "check", "grade_submission", "load_cases", "main", "make_inputs"]
