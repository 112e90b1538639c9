"""Grading a batch: one fresh process per submission, a memory cap on it, results written as they come.

A batch never stops for one submission: a grader error, a crash or a memory blow-up in the
process grading it (e.g. a result file crafted to inflate) becomes that submission's failed
result with a message, and the next one starts. With ``out_dir`` every result is written
atomically and submissions already graded with the same content hash are skipped (resumable).
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import os
import resource
import time
from pathlib import Path

from cs231n_lin._io import atomic_write_text
from cs231n_lin.grading.records.results import SubmissionResult

GRADER_MEMORY = 6 * 1024**3  # address space of the process grading one submission (numpy, sklearn, data)


def _names(submissions: list[Path]) -> list[str]:
    names, seen = [], {}
    for s in submissions:
        raw = os.fsdecode(s.name)
        base = raw[:-4] if raw.endswith(".zip") else raw
        base = base.encode("utf-8", "replace").decode("utf-8") or "submission"
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


def _failed(why: str, seconds: float = 0.0) -> SubmissionResult:
    return SubmissionResult([], f"The grader failed on this submission: {why}", seconds, {"hash": ""})


def _child(sub: Path, options, conn) -> None:
    """Body of the process grading one submission: cap its memory, grade, send the result back."""
    from cs231n_lin.grading.grade import grade_submission

    cap = max(GRADER_MEMORY, options.limits.memory + 1024**3)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        pass
    try:
        res = grade_submission(sub, options)
        conn.send(("ok", res.to_gradescope(), res.extra))
    except MemoryError:
        conn.send(("error", f"it needed more than {cap // 1024**2} MB of the grader's memory", None))
    except Exception as exc:  # noqa: BLE001 - one broken submission must not stop a batch
        conn.send(("error", f"{type(exc).__name__}: {exc}", None))
    finally:
        conn.close()


def _warm_up(options) -> None:
    """Measure the reference's CPU time (the budget's yardstick, the speed cases) once, here, so that
    every forked grading process inherits it."""
    from cs231n_lin.grading.grade import reference_tasks
    from cs231n_lin.grading.judge.taskcases import load_cases, speed_cases
    from cs231n_lin.grading.run.reference import reference_for
    from cs231n_lin.grading.run.speed import reference_perf

    reference_for(options, lambda d: reference_tasks(options, d))
    for _, case in speed_cases(load_cases(options.hidden_dir)):
        reference_perf(case, options.limits, options.mode)


def grade_isolated(sub: Path, options) -> SubmissionResult:
    """:func:`~cs231n_lin.grading.grade.grade_submission` in a fresh process with a memory cap."""
    options = options.resolved()
    _warm_up(options)
    return _run_batch([("x", sub)], options, 1, lambda n, r: None)["x"]


def _run_batch(todo: list[tuple[str, Path]], options, jobs: int, record) -> dict[str, SubmissionResult]:
    ctx = multiprocessing.get_context("fork")
    pending, running, done = list(todo), {}, {}
    while pending or running:
        while pending and len(running) < jobs:
            name, sub = pending.pop(0)
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(sub, options, send), daemon=True)
            proc.start()
            send.close()
            running[name] = (proc, recv, time.monotonic())
        for name, (proc, recv, t0) in list(running.items()):
            msg = None
            if recv.poll():
                try:
                    msg = recv.recv()
                except (EOFError, OSError):
                    msg = ("error", "the grading process died (killed, or out of memory?)", None)
            elif not proc.is_alive():
                msg = ("error", f"the grading process died (exit code {proc.exitcode}; out of memory?)", None)
            if msg is None:
                continue
            proc.join(timeout=30)
            recv.close()
            kind, payload, extra = msg
            if kind == "ok":
                res = SubmissionResult.from_gradescope(payload)
                res.extra = dict(extra or {})
            else:
                res = _failed(payload, time.monotonic() - t0)
            done[name] = res
            record(name, res)
            del running[name]
        time.sleep(0.05)
    return done


def main(*, submissions: list[str | Path], json_path: str | Path | None = None,
         out_dir: str | Path | None = None, jobs: int = 1, options=None, echo=print) -> int:
    """Grade ``submissions``; write ``json_path`` and/or ``out_dir``; return an exit code."""
    from cs231n_lin.grading.grade import GradeOptions, submission_hash

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
        try:
            done = _already_graded(out, name, submission_hash(sub, options.hidden_dir)) if out else None
        except OSError:
            done = None
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

    _warm_up(options)
    _run_batch(todo, options, jobs, record)
    if out:
        _write_summary(out, results)
    if json_path:
        if len(subs) == 1:
            payload = results[names[0]].to_gradescope()
        else:
            payload = {n: results[n].to_gradescope() for n in names}
        atomic_write_text(Path(json_path), json.dumps(payload, indent=2))
    return 0
