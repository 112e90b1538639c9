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

import csv
import hashlib
import importlib.util
import io
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cs231n_lin import __version__
from cs231n_lin._io import atomic_write_text
from cs231n_lin.grading import sandbox, worker
from cs231n_lin.grading.results import SubmissionResult, TestResult
from cs231n_lin.grading.sandbox import Limits
from cs231n_lin.grading.worker import Opaque, Task, TaskOutcome

CHECK_TITLES = {
    "loss": "loss value", "grad": "gradient dW", "dtype": "dtype preserved",
    "unmodified": "inputs left unchanged", "probs": "probabilities", "logprobs": "log-probabilities",
    "accuracy": "held-out accuracy",
    "perf": "speed",
}


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
        Passed to ``perf.feedback``.
    """

    hidden_dir: Path | None = None
    notebooks_dir: Path | None = None
    limits: Limits = field(default_factory=Limits)
    mode: str | None = None
    perf_threshold: float = 3.0
    notebooks: bool = True

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
        return GradeOptions(hidden, Path(nbs) if nbs else None, self.limits, self.mode, self.perf_threshold,
                            self.notebooks)


# ------------------------------------------------------------------------------ cases and inputs

def load_cases(hidden_dir: Path) -> list[dict]:
    """The hidden cases, in order; ``perf`` cases only when ``grading.perf`` is importable."""
    path = Path(hidden_dir) / "cases.py"
    spec = importlib.util.spec_from_file_location("_cs231n_hidden_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases = list(module.CASES)
    if worker._perf_module() is None:
        cases = [c for c in cases if "perf" not in c["checks"]]
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
    if "perf" in case["checks"]:
        return None
    copies = {k: v.copy() for k, v in inputs.items()}
    return target(**copies, **case.get("kwargs", {}))


# ------------------------------------------------------------------------------ checks

def _scalar(value) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return float(value.reshape(-1)[0])
    return None


def _describe(value) -> str:
    if isinstance(value, Opaque):
        return f"an object of type {value.type_name}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def _rel_error(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a.astype(np.float64), b.astype(np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def _tol(dtype) -> float:
    return 1e-3 if np.dtype(dtype) == np.float32 else 1e-6


def _loss_pair(outcome: TaskOutcome, W: np.ndarray) -> tuple[float | None, np.ndarray | None, str | None]:
    v = outcome.value
    if not (isinstance(v, (tuple, list)) and len(v) == 2):
        return None, None, f"should return a tuple (loss, dW); it returned {_describe(v)}"
    loss, dW = _scalar(v[0]), v[1]
    if loss is None:
        return None, None, f"the loss should be a number; it is {_describe(v[0])}"
    if not (isinstance(dW, np.ndarray) and dW.dtype.kind == "f"):
        return loss, None, f"dW should be a floating-point array; it is {_describe(dW)}"
    if dW.shape != W.shape:
        return loss, None, f"dW should have the shape of W {W.shape}; it has shape {dW.shape}"
    return loss, dW, None


def check(name: str, case: dict, inputs: dict, expected, outcome: TaskOutcome, perf_threshold: float
          ) -> tuple[float, str]:
    """Fraction of the points earned (0..1) and feedback for one check of one case."""
    fn = case["function"]
    if name == "perf":
        if not outcome.ok or not outcome.measurement:
            return 0.0, f"{fn} could not be timed: {outcome.error or 'no measurement came back'}"
        from cs231n_lin.grading import perf

        frac, msg = perf.feedback(outcome.measurement, threshold=perf_threshold)
        return float(min(1.0, max(0.0, frac))), str(msg)
    if not outcome.ok:
        if (outcome.error or "").startswith("NotImplementedError"):
            return 0.0, f"{fn} is not implemented yet (it raised NotImplementedError)"
        return 0.0, f"{fn} did not finish: {outcome.error}"
    if name == "unmodified":
        for arg, original in inputs.items():
            after = outcome.inputs_after.get(arg)
            if after is None or after.shape != original.shape or not np.array_equal(after, original,
                                                                                        equal_nan=True):
                return 0.0, f"{fn} changed its input {arg!r} in place; work on copies instead"
        return 1.0, "inputs unchanged"
    if name in ("probs", "logprobs"):
        v = outcome.value
        s = inputs["scores"]
        axis = case.get("kwargs", {}).get("axis", -1)
        if not (isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.shape == s.shape):
            return 0.0, (f"{fn} should return a float array of the shape of scores {s.shape}; "
                         f"got {_describe(v)}")
        if not np.isfinite(v).all():
            return 0.0, (f"{fn} returned NaN or infinity for finite scores: shift by the maximum along "
                         "the axis before exp" + (" and do not take the log of a probability that "
                                                  "underflowed to 0" if name == "logprobs" else ""))
        probs = np.exp(v) if name == "logprobs" else v
        if not np.allclose(probs.sum(axis=axis), 1.0, atol=1e-6):
            return 0.0, f"the probabilities do not sum to 1 along axis {axis}"
        if not np.allclose(v, expected, rtol=1e-6, atol=1e-9):
            return 0.0, f"the values are not the {fn} of the scores"
        return 1.0, "correct"
    if name == "accuracy":
        v = outcome.value
        y_test = inputs["y_test"]
        if not (isinstance(v, np.ndarray) and v.shape == y_test.shape):
            return 0.0, f"predict should return an array of shape {y_test.shape}; got {_describe(v)}"
        matches = np.asarray(v == y_test) if v.dtype.kind in "iuf" else np.zeros(y_test.shape, bool)
        acc = float(np.mean(matches)) if matches.shape == y_test.shape else 0.0
        if acc + 1e-12 >= expected - case.get("accuracy_margin", 0.05):
            return 1.0, f"held-out accuracy {acc:.3f}"
        return 0.0, (f"held-out accuracy {acc:.3f} is too low for these settings: check the SGD step "
                     "(sample a minibatch, compute the loss and gradient, step against the gradient) "
                     "and predict (the class with the highest score)")
    W = inputs["W"]
    loss, dW, problem = _loss_pair(outcome, W)
    ref_loss, ref_dW = expected
    tol = _tol(W.dtype)
    if name == "loss":
        if loss is None:
            return 0.0, problem
        if not np.isfinite(loss):
            return 0.0, "the loss is NaN or infinite for these (finite) inputs: is the computation stable?"
        if abs(loss - ref_loss) > tol * max(1.0, abs(ref_loss)):
            return 0.0, "the loss is not the correct value for these inputs"
        return 1.0, "correct"
    if name == "grad":
        if dW is None:
            return 0.0, problem
        if not np.isfinite(dW).all():
            return 0.0, "dW contains NaN or infinity"
        if _rel_error(dW, ref_dW) > tol:
            return 0.0, "dW is not the gradient of the loss for these inputs"
        return 1.0, "correct"
    if name == "dtype":
        if dW is None:
            return 0.0, problem
        if dW.dtype != W.dtype:
            return 0.0, f"W is {W.dtype} but dW came back as {dW.dtype}: keep the input's dtype"
        return 1.0, f"dW is {dW.dtype}"
    raise ValueError(f"unknown check {name!r}")


# ------------------------------------------------------------------------------ diagnosis (optional)

def _probe_tasks() -> tuple[list, list[Task]]:
    """The diagnose helper's probes as worker tasks (none if ``grading.diagnose``/``probes`` is absent)."""
    try:
        from cs231n_lin.grading import diagnose, probes  # noqa: F401
    except ImportError:
        return [], []
    if worker._helper_module("probes", "run_probe") is None:
        return [], []
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
    if not probe_items:
        return {}
    from cs231n_lin.grading import diagnose

    # With keys, one mistake seen on several probes (e.g. "not divided by N" at N = 7 and N = 13)
    # is reported once; without them, identical texts are.
    keyed = getattr(diagnose, "diagnose_keys", None)
    found: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for probe, task in zip(probe_items, tasks, strict=True):
        out = outcomes.get(task.id)
        if out is None:
            continue
        if out.ok and isinstance(out.value, dict):
            outcome = dict(out.value)
        else:
            outcome = {"ok": False, "loss": None, "dW": None, "dtype": "", "inputs_modified": False,
                       "error": out.error or "the probe did not return a result"}
        try:
            if keyed is not None:
                pairs = [(str(k), str(m)) for k, m in keyed(probe, outcome)]
            else:
                pairs = [(str(m), str(m)) for m in diagnose.diagnose(probe, outcome)]
        except Exception:  # noqa: BLE001 - a diagnosis bug must not break grading
            pairs = []
        function = probe.function.split(".")[0]
        lst = found.setdefault(function, [])
        for key, m in pairs:
            if (function, key) not in seen and m not in lst:
                seen.add((function, key))
                lst.append(m)
                if keyed_out is not None:
                    keyed_out.append({"key": key, "function": function, "message": m})
    return found


# ------------------------------------------------------------------------------ one submission

def submission_hash(path: Path, hidden_dir: Path) -> str:
    """Hash of the submission's files and of the grader version (cases, package version)."""
    h = hashlib.sha256()
    h.update(__version__.encode())
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
                h.update(os.path.relpath(p, path).encode() + b"\0")
                with open(p, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def grade_submission(submission: Path, options: GradeOptions) -> SubmissionResult:
    """Grade one submission (see the module docstring); never raises for a bad submission."""
    options = options.resolved()
    start = time.monotonic()
    cases = load_cases(options.hidden_dir)
    digest = submission_hash(submission, options.hidden_dir)
    box = worker.make_sandbox_dir()
    try:
        try:
            sub_dir = worker.prepare_scratch(Path(submission), box)
        except worker.SubmissionError as exc:
            tests = [TestResult(f"{c['name']} — {CHECK_TITLES[k]}", 0.0, float(p), "not graded",
                                c["visibility"])
                     for c in cases for k, p in c["checks"].items()]
            return SubmissionResult(tests, f"This submission could not be graded: {exc}",
                                    time.monotonic() - start, {"hash": digest})
        student_nbs, answers, keyed = None, None, []
        if options.notebooks_dir is not None:
            from cs231n_lin.grading import nbgrade

            student_nbs = nbgrade.read_student_notebooks(sub_dir, options.notebooks_dir)
            from cs231n_lin.grading import written

            answers = written.collect_answers(student_nbs[0], options.notebooks_dir)
        inputs = [make_inputs(c["inputs"]) for c in cases]
        tasks = [_task_for(i, c, inp) for i, (c, inp) in enumerate(zip(cases, inputs, strict=True))]
        probe_items, probe_tasks = _probe_tasks()
        outcomes, notes = worker.run_tasks(sub_dir, box, tasks + probe_tasks, limits=options.limits,
                                           mode=options.mode)
        diagnoses = _diagnoses(probe_items, probe_tasks, outcomes, keyed)
        tests = []
        for case, inp, task in zip(cases, inputs, tasks, strict=True):
            outcome = outcomes[task.id]
            expected = _reference(case, inp)
            earned: dict[str, float] = {}
            for name in sorted(case["checks"], key=lambda n: n == "unmodified"):  # unmodified last
                frac, msg = check(name, case, inp, expected, outcome, options.perf_threshold)
                if name == "unmodified" and frac > 0 and any(v < 1.0 for v in earned.values()):
                    frac, msg = 0.0, "inputs unchanged, but this counts only when the results are correct"
                earned[name] = frac
                points = case["checks"][name]
                # a diagnosis that only repeats "not implemented yet" adds nothing to the message
                causes = [d for d in diagnoses.get(case["function"], []) if "not implemented yet" not in d
                          or "not implemented yet" not in msg]
                if frac < 1.0 and causes and name != "perf":
                    msg += "\nLikely cause: " + " ".join(causes[:2])
                tests.append(TestResult(f"{case['name']} — {CHECK_TITLES[name]}", round(points * frac, 6),
                                        float(points), msg, case["visibility"]))
        if options.notebooks_dir is not None:
            from cs231n_lin.grading import nbgrade

            # a fresh scratch copy: the package worker's student code may have altered the first one
            nb_box = worker.make_sandbox_dir()
            try:
                nb_sub = worker.prepare_scratch(Path(submission), nb_box)
                nb_tests, nb_notes = nbgrade.grade_notebooks(nb_sub, nb_box, options.notebooks_dir,
                                                             limits=options.limits, mode=options.mode,
                                                             student_notebooks=student_nbs)
            finally:
                worker.remove_sandbox_dir(nb_box)
            tests += nb_tests
            notes += nb_notes
        mode = options.mode or sandbox.detect_mode()
        lines = [f"Graded {len(tests)} tests; hidden tests computed their expected values with the "
                 "reference solution."] + notes
        if mode != "namespaces":
            lines.append(f"Note for the instructor: sandbox ran in the weaker {mode!r} mode.")
            exposed = sandbox.readable_by(sandbox.sandbox_uid(), worker._hidden_paths())
            if exposed:
                lines.append("Note for the instructor: student code could read " + ", ".join(exposed)
                             + " (no namespaces here); make them unreadable to other users "
                             "(chmod -R go-rwx).")
        from cs231n_lin.grading.facts import submission_facts

        data = submission_facts(diagnoses=keyed, tasks=tasks + probe_tasks, outcomes=outcomes,
                                written=answers, perf={c["function"]: outcomes[t.id].measurement
                                      for c, t in zip(cases, tasks, strict=True) if "perf" in c["checks"]})
        return SubmissionResult(tests, "\n".join(lines), time.monotonic() - start, {"hash": digest}, data)
    finally:
        worker.remove_sandbox_dir(box)


# ------------------------------------------------------------------------------ batches

def _names(submissions: list[Path]) -> list[str]:
    names, seen = [], {}
    for s in submissions:
        base = s.name[:-4] if s.name.endswith(".zip") else s.name
        base = base or "submission"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return names


def _already_graded(out_dir: Path, name: str, digest: str) -> SubmissionResult | None:
    res, h = out_dir / name / "results.json", out_dir / name / "submission.sha256"
    try:
        if h.read_text().strip() == digest:
            return SubmissionResult.from_gradescope(json.loads(res.read_text()))
    except (OSError, ValueError, KeyError):
        return None
    return None


def _write_summary(out_dir: Path, rows: dict[str, SubmissionResult]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["submission", "score", "max_score", "execution_time"])
    for name in sorted(rows):
        r = rows[name]
        w.writerow([name, f"{r.score:g}", f"{r.max_score:g}", f"{r.execution_time:.2f}"])
    atomic_write_text(out_dir / "summary.csv", buf.getvalue())


def _grade_one(args: tuple[Path, GradeOptions]) -> SubmissionResult:
    sub, options = args
    try:
        return grade_submission(sub, options)
    except Exception as exc:  # noqa: BLE001 - one broken submission must not stop a batch
        return SubmissionResult([], f"The grader failed on this submission: {type(exc).__name__}: {exc}",
                                0.0, {"hash": ""})


def main(*, submissions: list[str | Path], json_path: str | Path | None = None,
         out_dir: str | Path | None = None, jobs: int = 1, options: GradeOptions | None = None,
         echo=print) -> int:
    """Grade ``submissions``; write ``json_path`` and/or ``out_dir``; return an exit code."""
    options = (options or GradeOptions()).resolved()
    subs = [Path(s) for s in submissions]
    if not subs:
        raise ValueError("give at least one submission (a directory or a .zip)")
    for s in subs:
        if not s.exists():
            raise ValueError(f"submission {s} does not exist")
    if jobs < 1:
        raise ValueError(f"--jobs must be >= 1; got {jobs}")
    names = _names(subs)
    out = Path(out_dir) if out_dir else None
    results: dict[str, SubmissionResult] = {}
    todo = []
    for name, sub in zip(names, subs, strict=True):
        done = _already_graded(out, name, submission_hash(sub, options.hidden_dir)) if out else None
        if done is not None:
            results[name] = done
            echo(f"{name}: already graded ({done.score:g}/{done.max_score:g}), skipped")
        else:
            todo.append((name, sub))

    def record(name: str, res: SubmissionResult) -> None:
        results[name] = res
        echo(f"{name}: {res.score:g}/{res.max_score:g} in {res.execution_time:.1f} s")
        if out:
            atomic_write_text(out / name / "results.json", json.dumps(res.to_gradescope(), indent=2))
            atomic_write_text(out / name / "submission.sha256", res.extra.get("hash", "") + "\n")
            _write_summary(out, results)

    if jobs == 1 or len(todo) <= 1:
        for name, sub in todo:
            record(name, _grade_one((sub, options)))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_grade_one, (sub, options)): name for name, sub in todo}
            for fut in as_completed(futures):
                record(futures[fut], fut.result())
    if out:
        _write_summary(out, results)
    if json_path:
        if len(subs) == 1:
            payload = results[names[0]].to_gradescope()
        else:
            payload = {n: results[n].to_gradescope() for n in names}
        atomic_write_text(Path(json_path), json.dumps(payload, indent=2))
    return 0


__all__ = ["GradeOptions", "check", "grade_submission", "load_cases", "main", "make_inputs"]
