"""Written (inline) answers: collect them from submissions, and merge hand-given points into results.

A written question is a markdown cell of a reference notebook with an answer region between
``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->``; ``release`` leaves the markers and puts
``Your answer here`` between them. A submission's answer is what its cell with the same cell id
holds between the markers (or, if the student deleted the markers, the cell minus the reference's
text around the region). The question's maximum points are the reference cell's
points in the task table (:mod:`cs231n_lin.tasks`).

Flow: ``grade`` stores the answers in ``results.json`` (``extra_data["written"]``); ``report``
shows them side by side and writes ``written.csv`` (one row per submission, one column per
question id); the instructor fills in points; ``grade --written written.csv --out DIR`` merges
them as tests named ``<notebook>: written answer <k> (cell id <id>)``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cs231n_lin.checks.cells import BEGIN_MD, END_MD, cell_source
from cs231n_lin.grading.records.results import SubmissionResult, TestResult
from cs231n_lin.grading.release.markers import markdown_regions
from cs231n_lin.tasks.locate import is_empty_answer

DEFAULT_POINTS = 1.0
SUBMISSION_COLUMN = "submission"
#: a hand-given mark's test output, and an unmarked answer's (0 points until marked)
MARKED = "graded by hand"
UNMARKED = "not marked yet: this answer is still to be marked by hand ({points:g} points possible)"
WRITTEN_LINE = "Written answers:"
_GRADED = re.compile(r"^Graded \d+ tests")


@dataclass(frozen=True)
class Question:
    """One written question of a reference notebook.

    ``id`` is ``"<notebook stem>/<cell id>"``; ``number`` counts the questions of the notebook
    from 1; ``prompt`` is the markdown cell just before the answer cell (the question's text).
    """

    id: str
    notebook: str
    cell_id: str
    number: int
    prompt: str
    max_points: float
    reference: str = ""

    @property
    def test_name(self) -> str:
        return f"{self.notebook}: written answer {self.number} (cell id {self.cell_id})"


def _region_text(text: str, where: str) -> list[str]:
    lines = text.splitlines()
    return ["\n".join(lines[r.begin + 1: r.end]) for r in markdown_regions(text, where)]


def _table_points(stem: str, number: int, where: str) -> float:
    """A written question's points: the task table's (``written_NN_qK``)."""
    from cs231n_lin import tasks

    try:
        return float(tasks.get(f"written_{stem[:2]}_q{number}").points)
    except KeyError:
        raise ValueError(f"{where}: written answer {number} of notebook {stem[:2]} is not in the task "
                         "table (cs231n_lin/tasks/table.py)") from None


def questions_of(nb: dict, stem: str) -> list[Question]:
    """The written questions of one reference notebook (parsed JSON), in order."""
    found: list[Question] = []
    cells = nb.get("cells", [])
    for i, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown":
            continue
        where = f"{stem}.ipynb, cell {i + 1}"
        regions = _region_text(cell_source(cell), where)
        if not regions:
            continue
        cid = cell.get("id")
        if not cid:
            raise ValueError(f"{where}: a written-answer cell needs a cell id (nbformat >= 4.5) so answers "
                             "can be matched")
        points = _table_points(stem, len(found) + 1, where)
        prompt = ""
        if i > 0 and cells[i - 1].get("cell_type") == "markdown":
            prompt = cell_source(cells[i - 1]).strip()
        found.append(Question(f"{stem}/{cid}", stem, str(cid), len(found) + 1, prompt, float(points),
                              "\n\n".join(r.strip() for r in regions)))
    return found


def reference_questions(notebooks_dir: str | Path | None) -> list[Question]:
    """Every written question of the reference notebooks in ``notebooks_dir`` (sorted by notebook)."""
    if notebooks_dir is None or not Path(notebooks_dir).is_dir():
        return []
    out: list[Question] = []
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        out += questions_of(json.loads(path.read_text(encoding="utf-8")), path.stem)
    return out


def answer_of(student_cell: dict | None, question: Question, reference_cell: dict) -> str:
    """The student's answer text in ``student_cell`` ("" when missing or left as the placeholder)."""
    if student_cell is None or student_cell.get("cell_type") != "markdown":
        return ""
    text = cell_source(student_cell)
    try:
        parts = _region_text(text, question.id)
    except ValueError:                     # markers damaged: fall back to the text around them
        parts = []
    if not parts:
        around = set(cell_source(reference_cell).splitlines())
        kept = [ln for ln in text.splitlines() if ln not in around and ln.strip() not in (BEGIN_MD, END_MD)]
        parts = ["\n".join(kept)]
    answer = "\n\n".join(p.strip() for p in parts if p.strip())
    return "" if is_empty_answer(answer) else answer


def collect_answers(student_notebooks: Mapping[str, dict | None], notebooks_dir: str | Path
                    ) -> dict[str, str]:
    """Question id -> answer for one submission.

    Parameters
    ----------
    student_notebooks : dict
        Reference notebook file name (``"01_x.ipynb"``) -> the student's parsed notebook or ``None``
        (what :func:`cs231n_lin.grading.records.nbgrade.read_student_notebooks` returns first).
    notebooks_dir : path
        The reference notebooks.
    """
    answers: dict[str, str] = {}
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        reference = json.loads(path.read_text(encoding="utf-8"))
        questions = questions_of(reference, path.stem)
        if not questions:
            continue
        by_id = {c.get("id"): c for c in reference.get("cells", [])}
        mine = student_notebooks.get(path.name)
        listed = mine.get("cells") if isinstance(mine, dict) else None
        cells = {c.get("id"): c for c in listed if isinstance(c, dict)} if isinstance(listed, list) else {}
        for q in questions:
            try:
                answers[q.id] = answer_of(cells.get(q.cell_id), q, by_id[q.cell_id])
            except (TypeError, AttributeError):      # a cell source that is not text: no answer
                answers[q.id] = ""
    return answers


def collect_from_submission(submission_dir: str | Path, notebooks_dir: str | Path) -> dict[str, str]:
    """:func:`collect_answers` for a submission folder (only read; ``notebooks/<name>.ipynb``)."""
    found: dict[str, dict | None] = {}
    for path in sorted(Path(notebooks_dir).glob("*.ipynb")):
        mine = Path(submission_dir) / "notebooks" / path.name
        try:
            found[path.name] = json.loads(mine.read_text(encoding="utf-8")) if mine.is_file() else None
        except (ValueError, UnicodeDecodeError):
            found[path.name] = None
    return collect_answers(found, notebooks_dir)


# ------------------------------------------------------------------------------ written.csv

def csv_text(names: list[str], question_ids: list[str], previous: str | None = None) -> str:
    """``written.csv`` for the instructor: one row per submission, one column per question id.

    Points already typed into ``previous`` (an earlier ``written.csv``) are carried over.
    """
    kept: dict[tuple[str, str], str] = {}
    if previous:
        for row in csv.DictReader(io.StringIO(previous)):
            for col, value in row.items():
                if col and col != SUBMISSION_COLUMN and value and value.strip():
                    kept[(row.get(SUBMISSION_COLUMN) or "", col)] = value.strip()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([SUBMISSION_COLUMN, *question_ids])
    for name in names:
        w.writerow([name, *(kept.get((name, q), "") for q in question_ids)])
    return buf.getvalue()


def _parse_points(text: str, where: str, question: Question) -> float | None:
    value = text.strip()
    if not value:
        return None
    try:
        points = float(value)
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not a number of points") from None
    if not math.isfinite(points) or points < 0:
        raise ValueError(f"{where}: points must be a number >= 0; got {value!r}")
    if points > question.max_points + 1e-9:
        raise ValueError(f"{where}: {points:g} points is above this question's maximum of "
                         f"{question.max_points:g}")
    return points


def _cell_count_error(path: Path, r: int, row: list[str], header: list[str]) -> str:
    """Why a row whose cell count differs from the header's is refused (a deleted or inserted cell
    would move every mark after it onto another question)."""
    if len(row) < len(header):
        missing = header[len(row):]
        where = f"column {missing[0]!r}"
        if len(missing) > 1:
            where += f" and the {len(missing) - 1} after it"
        return (f"{path}, row {r}, {where}: the row has {len(row)} cells but the header has {len(header)} "
                f"columns. A cell was deleted or the row was cut short, which would shift the marks after "
                f"it onto other questions; give every column a cell (leave it empty for 'not marked yet'). "
                f"Nothing was changed.")
    return (f"{path}, row {r}, after column {header[-1]!r}: the row has {len(row)} cells but the header "
            f"has {len(header)} columns. A cell was inserted (or a mark typed one column too far right), "
            f"which would shift marks onto other questions. Nothing was changed.")


def read_points(csv_path: str | Path, grades_dir: str | Path, questions: list[Question]
                ) -> dict[str, dict[str, float]]:
    """Submission -> {question id: points} from a filled ``written.csv``; every cell is checked first.

    Raises
    ------
    ValueError
        Naming the file, row (as a spreadsheet numbers it, header = row 1) and column of the first
        problem: unknown submission or question, a non-number, points below 0 or above the maximum.
    """
    path = Path(csv_path)
    by_id = {q.id: q for q in questions}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"--written: cannot read {path}: {exc.strerror or exc}") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not rows[0] or rows[0][0].strip() != SUBMISSION_COLUMN:
        raise ValueError(f"{path}, row 1: the first column must be {SUBMISSION_COLUMN!r} "
                         "(write the file with `cs231n-lin report`)")
    header = [h.strip() for h in rows[0]]
    for col in header[1:]:
        if col not in by_id:
            raise ValueError(f"{path}, row 1, column {col!r}: not a written question of the reference "
                             f"notebooks (known: {', '.join(by_id) or 'none'})")
    points: dict[str, dict[str, float]] = {}
    for r, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        name = row[0].strip()
        if not name or not (Path(grades_dir) / name / "results.json").is_file():
            raise ValueError(f"{path}, row {r}, column {SUBMISSION_COLUMN!r}: unknown submission {name!r} "
                             f"(no {name or '<empty>'}/results.json in {grades_dir})")
        if name in points:
            raise ValueError(f"{path}, row {r}, column {SUBMISSION_COLUMN!r}: submission {name!r} "
                             "appears twice")
        if len(row) != len(header):
            raise ValueError(_cell_count_error(path, r, row, header))
        got = {}
        for col, cell in zip(header[1:], row[1:], strict=False):
            value = _parse_points(cell, f"{path}, row {r}, column {col!r}", by_id[col])
            if value is not None:
                got[col] = value
        points[name] = got
    return points


def _written_tests(result: SubmissionResult, marks: Mapping[str, float], questions: list[Question]
                   ) -> tuple[list[TestResult], list[str]]:
    """Every question's test for one submission (marked, kept from an earlier merge, or unmarked),
    and the ids of the questions still unmarked."""
    earlier = {t.name: t for t in result.tests if t.output.startswith(MARKED)}
    out, unmarked = [], []
    for q in questions:
        if q.id in marks:
            out.append(TestResult(q.test_name, marks[q.id], q.max_points, MARKED, "visible"))
        elif q.test_name in earlier:
            out.append(earlier[q.test_name])
        else:
            out.append(TestResult(q.test_name, 0.0, q.max_points, UNMARKED.format(points=q.max_points),
                                  "visible"))
            unmarked.append(q.id)
    return out, unmarked


def _in_place(current: list[TestResult], written: list[TestResult]) -> list[TestResult]:
    """``current`` with each written test replaced where it stands (same name), and the written
    tests it did not hold appended at the end in question order; every other test keeps its place."""
    by_name = {t.name: t for t in written}
    placed: set[str] = set()
    out: list[TestResult] = []
    for t in current:
        if t.name not in by_name:
            out.append(t)
        elif t.name not in placed:          # a duplicate of a written test is dropped
            out.append(by_name[t.name])
            placed.add(t.name)
    return out + [t for t in written if t.name not in placed]


def summary_output(output: str, tests: Sequence[TestResult | Mapping], unmarked: int | None = None) -> str:
    """``output`` with its summary lines recomputed from ``tests``: the ``Graded N tests`` count and
    the written-answers line (added when ``unmarked`` is given, replaced when already there)."""
    lines = [ln for ln in output.splitlines() if not ln.startswith(WRITTEN_LINE)]
    lines = [_GRADED.sub(f"Graded {len(tests)} tests", ln, count=1) for ln in lines]
    if unmarked is not None:
        written = [t for t in tests if ": written answer " in _name(t)]
        done = len(written) - unmarked
        lines.append(f"{WRITTEN_LINE} {done} of {len(written)} marked by hand"
                     + (f"; {unmarked} not marked yet (they count 0 until they are)." if unmarked else "."))
    return "\n".join(lines)


def _name(test: TestResult | Mapping) -> str:
    return str(test.get("name", "")) if isinstance(test, Mapping) else test.name


def _has_answers(grades: Path, name: str) -> bool:
    try:
        data = json.loads((grades / name / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("extra_data"), dict) and \
        "written" in data["extra_data"]


def merge_points(grades_dir: str | Path, csv_path: str | Path, notebooks_dir: str | Path | None,
                 echo=print) -> int:
    """Merge a filled ``written.csv`` into ``grades_dir/<name>/results.json`` (and ``summary.csv``).

    Every submission of the CSV, and every graded submission with collected answers, then has one
    test per written question of the reference notebooks: the CSV's mark, else a mark merged
    earlier, else 0 points marked ``not marked yet`` (so the maximum stays the assignment's). The
    ``Graded N tests`` line of each ``output`` is recounted and a ``Written answers:`` line says
    how many are marked. Everything is checked and every new file written beside its target before
    any target is replaced (all or nothing). Returns the number of submissions updated.
    """
    grades = Path(grades_dir)
    questions = reference_questions(notebooks_dir)
    if not questions:
        raise ValueError(f"--written: no written questions found in the reference notebooks "
                         f"({notebooks_dir})")
    points = read_points(csv_path, grades, questions)
    names = sorted(set(points) | {p.parent.name for p in grades.glob("*/results.json")
                                  if _has_answers(grades, p.parent.name)})
    updated: dict[str, SubmissionResult] = {}
    unmarked: dict[str, list[str]] = {}
    for name in names:
        res_path = grades / name / "results.json"
        try:
            result = SubmissionResult.from_gradescope(json.loads(res_path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{res_path}: cannot read these results ({exc}); nothing was changed") from None
        tests, missing = _written_tests(result, points.get(name, {}), questions)
        result.tests = _in_place(result.tests, tests)
        result.output = summary_output(result.output, result.tests, len(missing))
        updated[name] = result
        unmarked[name] = missing
    files = {grades / name / "results.json": json.dumps(r.to_gradescope(), indent=2)
             for name, r in updated.items()}
    files[grades / "summary.csv"] = _summary_csv(grades, updated)
    _replace_all(files)
    left = {n: m for n, m in unmarked.items() if m}
    echo(f"written points merged into {len(updated)} submission(s) in {grades}")
    if left:
        total = sum(len(m) for m in left.values())
        shown = ", ".join(f"{n} ({len(m)})" for n, m in list(left.items())[:10])
        echo(f"not marked yet: {total} answer(s) of {len(left)} submission(s): {shown}"
             + (" ..." if len(left) > 10 else "") + "; they count 0 points until marked")
    return len(updated)


def _replace_all(files: Mapping[Path, str]) -> None:
    """Write every file beside its target first, then rename them all into place (nothing is
    replaced unless every new file was written)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, text in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            staged.append((Path(tmp), target))
            Path(tmp).write_text(text, encoding="utf-8")
            mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
            os.chmod(tmp, mode)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _summary_csv(grades: Path, updated: Mapping[str, SubmissionResult]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["submission", "score", "max_score", "execution_time"])
    for res_path in sorted(grades.glob("*/results.json")):
        name = res_path.parent.name
        try:
            r = updated.get(name) or SubmissionResult.from_gradescope(
                json.loads(res_path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        w.writerow([name, f"{r.score:g}", f"{r.max_score:g}", f"{r.execution_time:.2f}"])
    return buf.getvalue()


__all__ = ["DEFAULT_POINTS", "Question", "answer_of", "collect_answers", "collect_from_submission",
           "csv_text", "merge_points", "summary_output", "questions_of", "read_points", "reference_questions"]
