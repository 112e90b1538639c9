"""Student self-check (``cs231n-lin check``): the visible tests and notebook checks, with points.

Runs pytest in a subprocess on ``tests/`` (and, with ``--nbval-lax``, on ``notebooks/``),
reads each test's outcome from a JUnit XML report, adds up points per part
(:data:`cs231n_lin.grading.points.VISIBLE_POINTS`) and explains each failure in plain words.
It only reports on what actually ran, and always says that hidden tests run at grading.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cs231n_lin.grading.markers import NOT_WRITTEN
from cs231n_lin.grading.points import VISIBLE_POINTS

#: Never run by ``check``: grader-only tests (absent from a student copy anyway).
IGNORED = ("tests/hidden", "tests/grading")
#: Deselected by ``check``: tests needing tools a student may not have.
DESELECT = "not browser"


@dataclass(frozen=True)
class Outcome:
    """One test (or notebook cell) as pytest reported it."""

    part: str      # "tests/classifiers/test_softmax.py" or "notebooks/01_x.ipynb"
    name: str
    status: str    # "passed", "failed", "error" or "skipped"
    message: str = ""
    details: str = ""


@dataclass
class CheckReport:
    """Everything ``check`` learned from one run."""

    outcomes: list[Outcome] = field(default_factory=list)
    deselected: int = 0
    returncode: int = 0
    problem: str = ""      # set when the run itself did not work (timeout, pytest missing ...)


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The student's copy: the first of ``start`` (or the working directory) and its parents with
    ``tests/`` and ``cs231n_lin/`` (or ``pyproject.toml``), else the copy the package comes from."""
    here = Path(start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / "tests").is_dir() and ((d / "cs231n_lin").is_dir() or (d / "pyproject.toml").is_file()):
            return d
    if start is not None:
        raise ValueError(f"{here} is not a copy of the assignment (no tests/ beside cs231n_lin/ or "
                         "pyproject.toml)")
    import cs231n_lin

    root = Path(cs231n_lin.__file__).resolve().parent.parent
    if not (root / "tests").is_dir():
        raise ValueError("cannot find your copy of the assignment: run this inside it, or pass --root DIR")
    return root


def pytest_command(root: Path, junit: Path) -> list[str]:
    """The pytest command line ``check`` runs (in ``root``)."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=long",
           f"--junitxml={junit}", "-o", "junit_family=xunit1", "-m", DESELECT]
    cmd += [f"--ignore={p}" for p in IGNORED]
    cmd.append("tests")
    notebooks = root / "notebooks"
    if notebooks.is_dir() and any(notebooks.glob("*.ipynb")):
        cmd += ["--nbval-lax", "notebooks"]
    return cmd


def run_checks(root: Path, *, timeout: float = 600.0) -> CheckReport:
    """Run the visible tests of ``root`` in a subprocess and collect per-test outcomes."""
    report = CheckReport()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), *filter(None, [env.get("PYTHONPATH")])])
    env.setdefault("MPLBACKEND", "Agg")
    with tempfile.TemporaryDirectory(prefix="cs231n-lin-check-") as tmp:
        junit = Path(tmp) / "junit.xml"
        # A session of its own, so a timeout also stops notebook kernels the run started.
        proc = subprocess.Popen(pytest_command(root, junit), cwd=root, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            report.problem = (f"the checks were stopped after {timeout:g} s; is there an endless loop? "
                              "(use --timeout to allow more time)")
            report.returncode = 1
            return report
        report.returncode = proc.returncode
        m = re.search(r"(\d+) deselected", stdout)
        report.deselected = int(m.group(1)) if m else 0
        if junit.is_file():
            report.outcomes = parse_junit(junit.read_text(encoding="utf-8"), root)
        if proc.returncode not in (0, 1, 5) or not junit.is_file():  # 5: no tests collected
            tail = "\n".join((stdout + stderr).strip().splitlines()[-15:])
            report.problem = f"pytest could not run the checks (exit code {proc.returncode}):\n{tail}"
    return report


def _stop(proc: subprocess.Popen) -> None:
    """Kill ``proc`` and everything in its process group (where that exists)."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            proc.kill()
    except ProcessLookupError:
        pass
    proc.communicate()


def _part(case: ET.Element, root: Path) -> str:
    file = case.get("file")
    if not file:  # collection errors carry only a dotted classname
        file = case.get("classname", "").replace(".", "/") + ".py"
    path = Path(file)
    if path.is_absolute():
        try:
            path = path.relative_to(root)
        except ValueError:
            pass
    return path.as_posix()


def parse_junit(xml_text: str, root: Path) -> list[Outcome]:
    """Outcomes from pytest's JUnit XML (``junit_family=xunit1``)."""
    outcomes = []
    for case in ET.fromstring(xml_text).iter("testcase"):
        status, message, details = "passed", "", ""
        for tag in ("failure", "error", "skipped"):
            el = case.find(tag)
            if el is not None:
                status = "failed" if tag == "failure" else tag
                message, details = el.get("message", ""), el.text or ""
                break
        outcomes.append(Outcome(_part(case, root), case.get("name", "?"), status, message, details))
    return outcomes


_LOCATION = re.compile(r"^(?P<file>[^\s:][^:\n]*\.py):(?P<line>\d+): (?P<exc>\w+)", re.MULTILINE)
_ANSI = re.compile(r"(?:\x1b|#x1B)\[[0-9;]*m")
_ERROR_LINE = re.compile(r"^(?P<exc>[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt))(?::\s*(?P<msg>.*))?$",
                         re.MULTILINE)


def _last_error(text: str) -> tuple[str, str] | None:
    found = _ERROR_LINE.findall(text)
    return found[-1] if found else None


def explain(outcome: Outcome) -> str:
    """What went wrong, in words a student understands (one line)."""
    message = _ANSI.sub("", outcome.message).strip()
    details = _ANSI.sub("", outcome.details)
    first, _, rest = message.partition("\n")
    # "<function> in <file>" only: the message may sit inside a repr ("...py\\n').returncode").
    written = re.findall(rf"NotImplementedError: ({NOT_WRITTEN}: [\w.]+ in [\w./-]*\w)",
                         details + "\n" + message)
    if written:
        return written[-1].strip()
    if "NotImplementedError" in first:
        where = _LOCATION.findall(details)
        funcs = re.findall(r"^\s*def (\w+)\(", details.split("_ _ _")[-1], re.MULTILINE)
        name = funcs[0] if funcs else "a function"
        return f"{NOT_WRITTEN}: {name}" + (f" in {where[-1][0]}" if where else "")
    if outcome.part.endswith(".ipynb"):
        if re.search(r"outputs? differ|mismatch", details + message, re.IGNORECASE):
            # The check cells print "FAIL ..." lines that say what is wrong: show the first one.
            after = re.split(r"Traceback:", details, maxsplit=1)[-1]
            fail = re.search(r"^[ \t+-]*((?:\S.*)?\bFAIL\b.*)$", after, re.MULTILINE)
            if fail:
                return f"a check cell printed: {fail.group(1).strip()}"
            return "a check cell printed something different from the expected output (compare the two)"
        error = _last_error(details) or _last_error(message)
        if not error:
            return "the cell failed"
        said = ": ".join(x for x in error if x)
        if error[0] == "NameError":
            said += " (an earlier cell that defines it failed: fix that one first)"
        return said
    if first.startswith("AssertionError"):
        said = first.split("AssertionError", 1)[1].lstrip(": ").strip()
        detail = rest.strip().splitlines()[0] if rest.strip() else ""
        return "check failed: " + (said or detail or "an assertion was false")
    where = _LOCATION.findall(details)
    location = f" (at {where[-1][0]}:{where[-1][1]})" if where else ""
    if outcome.status == "error" and "collect" in (details + message).lower():
        return f"the test file could not be loaded: {first or 'error during collection'}{location}"
    return f"{first or 'the test failed'}{location}"


def graded_cells(notebook: Path) -> set[str] | None:
    """nbval's names (``Cell k``, k counting code cells) of the cells that earn a notebook's points.

    These are its check cells (whose output is compared with the reference), or, in a notebook
    without any, its solution cells. Other cells still run; their failures are still reported.
    """
    from cs231n_lin.grading.markers import is_check_cell, is_solution_cell

    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    code = [c for c in cells if isinstance(c, dict) and c.get("cell_type") == "code"]
    checks = {f"Cell {k}" for k, c in enumerate(code) if is_check_cell(c)}
    return checks or {f"Cell {k}" for k, c in enumerate(code) if is_solution_cell(c)} or None


@dataclass
class PartScore:
    part: str
    passed: int
    total: int
    points: float | None

    @property
    def earned(self) -> float | None:
        return None if self.points is None else round(self.points * self.passed / self.total, 2)


def score_parts(outcomes: list[Outcome], points: Mapping[str, float] | None = None,
                counted: Mapping[str, set[str]] | None = None) -> list[PartScore]:
    """Points per part: each part's points shared equally by the tests that ran in it.

    ``counted`` optionally limits a part to some of its test names (a notebook's check cells,
    see :func:`graded_cells`; its other cells still run but carry no points).
    """
    points = VISIBLE_POINTS if points is None else points
    parts: dict[str, list[Outcome]] = {}
    for o in outcomes:
        if o.status != "skipped" and (not counted or o.part not in counted or o.name in counted[o.part]):
            parts.setdefault(o.part, []).append(o)
    return [
        PartScore(part, sum(o.status == "passed" for o in runs), len(runs), points.get(part))
        for part, runs in sorted(parts.items())
    ]


def format_report(report: CheckReport, root: Path, points: Mapping[str, float] | None = None) -> str:
    """The text ``check`` prints (points per part from ``points``, default :data:`VISIBLE_POINTS`)."""
    points = VISIBLE_POINTS if points is None else points
    out = [f"cs231n-lin check: visible tests and notebook checks in {root}", ""]
    counted = {}
    for part in {o.part for o in report.outcomes if o.part.endswith(".ipynb")}:
        names = graded_cells(root / part)
        if names:
            counted[part] = names
    scores = score_parts(report.outcomes, points, counted)
    if scores:
        width = max(len(s.part) for s in scores) + 2
        out.append(f"{'part':<{width}}{'passed':>10}{'points':>14}")
        for s in scores:
            pts = "practice" if s.points is None else f"{s.earned:g} / {s.points:g}"
            out.append(f"{s.part:<{width}}{f'{s.passed}/{s.total}':>10}{pts:>14}")
        graded = [s for s in scores if s.points is not None]
        if graded:
            total = f"{sum(s.earned for s in graded):g} / {sum(s.points for s in graded):g}"
            out.append(f"{'visible checks total':<{width}}{'':>10}{total:>14}")
    missing = sorted(set(points) - {s.part for s in scores})
    if missing and report.outcomes:
        out.append("Parts with points that did not run (missing from your copy, or nothing in them ran):")
        out.extend(f"  {part} ({points[part]:g} points)" for part in missing)

    failures = [o for o in report.outcomes if o.status in ("failed", "error")]
    if failures:
        out += ["", "What to fix:"]
        out += _what_to_fix(failures, points)

    ran = [o for o in report.outcomes if o.status != "skipped"]
    skipped = len(report.outcomes) - len(ran)
    out.append("")
    if report.problem:
        out.append(f"Problem: {report.problem}")
    not_run = []
    if skipped:
        not_run.append(f"{skipped} skipped")
    if report.deselected:
        not_run.append(f"{report.deselected} left out here (they need a browser)")
    if not ran and not report.problem:
        out.append("No checks ran, so nothing is known to pass yet.")
    elif not failures and not report.problem:
        out.append(f"The {len(ran)} visible checks that ran here passed.")
    elif failures:
        out.append(f"{len(failures)} of {len(ran)} visible checks that ran here failed.")
    if not_run:
        out.append("Not run here: " + "; ".join(not_run) + ".")
    out.append("Hidden tests exist and will be run at grading: passing these visible checks does not "
               "guarantee full marks.")
    return "\n".join(out)


def _what_to_fix(failures: list[Outcome], points: Mapping[str, float]) -> list[str]:
    """One entry per distinct problem, parts with points first.

    Failures with the same explanation are one entry; so are the failures of one parametrized
    test function (whose messages usually differ only by their values, ``assert 20.0 == 1.18``
    for each parameter): that entry shows the first message.
    """
    groups: dict[tuple[str, ...], list[tuple[str, Outcome]]] = {}
    for o in failures:
        why = explain(o)
        if "[" in o.name and not why.startswith(NOT_WRITTEN):
            key: tuple[str, ...] = (o.part, o.name.split("[")[0])
        else:
            key = (why,)
        groups.setdefault(key, []).append((why, o))
    order = sorted(groups.values(), key=lambda g: (points.get(g[0][1].part) is None, g[0][1].part))
    lines = []
    for entries in order:
        why, tests = entries[0][0], [o for _, o in entries]
        if len({w for w, _ in entries}) > 1:
            why += f" (first of {len(tests)} failing cases of this test)"
        names = ", ".join(f"{t.part}::{t.name}" for t in tests[:2])
        more = f" and {len(tests) - 2} more" if len(tests) > 2 else ""
        lines.append(f"  - {why}")
        lines.append(f"      ({len(tests)} test{'s' * (len(tests) != 1)}: {names}{more})")
    return lines


def main(*, root: str | os.PathLike | None = None, timeout: float = 600.0) -> int:
    """``cs231n-lin check``: run, print the report; exit code 1 if anything failed or did not run."""
    where = find_root(root)
    report = run_checks(where, timeout=timeout)
    print(format_report(report, where))
    ran = [o for o in report.outcomes if o.status != "skipped"]
    failed = any(o.status in ("failed", "error") for o in ran)
    return 1 if (failed or report.problem or not ran) else 0
