"""The task table is the one definition of every task: nothing else defines a point, a case or a title."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from cs231n_lin import checks, tasks
from cs231n_lin.checks.cells import cell_source, is_check_cell, is_solution_cell
from cs231n_lin.grading.judge import taskcases
from cs231n_lin.tasks import locate

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks" / "zh").glob("[0-9][0-9]_*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT / "notebooks").as_posix())
def test_every_check_cell_is_one_task_and_every_task_has_its_cell(path: Path):
    cells = _cells(path)
    found = [tasks.for_call(path.name, cell_source(c)) for c in cells if is_check_cell(c)]
    assert None not in found, "a check cell whose call is not a task of cs231n_lin/tasks/table.py"
    expected = [t for t in tasks.of_notebook(path.name) if t.kind == "code"]
    assert sorted(t.id for t in found) == sorted(t.id for t in expected)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT / "notebooks").as_posix())
def test_written_answers_and_solution_cells_match_the_table(path: Path):
    cells = _cells(path)
    answers = locate.answer_cells(cells)
    written = [t for t in tasks.of_notebook(path.name) if t.kind == "written"]
    assert [t.cell for t in written] == [f"Q{k}" for k in range(1, len(answers) + 1)]
    solution_ids = {c.get("id") for c in cells if c.get("cell_type") == "code" and is_solution_cell(c)}
    for t in tasks.of_notebook(path.name):
        cells_written = {w for w in t.writes if ":" not in w}
        assert cells_written <= solution_ids, f"{t.id}: {cells_written - solution_ids} are not solution cells"


def test_no_points_outside_the_table():
    """No ``points`` in notebook metadata or sources, no points in the hidden cases, no points module."""
    for path in NOTEBOOKS:
        assert all("points" not in c.get("metadata", {}) for c in _cells(path)), path
    for src in (ROOT / "notebooks" / "src").glob("*.py"):
        assert not re.search(r"^# %%.*\bpoints\s*=", src.read_text(encoding="utf-8"), re.MULTILINE), src
    hidden = (ROOT / "tests" / "hidden" / "cases.py").read_text()
    assert not re.search(r"[\"'](points|checks)[\"']\s*:", hidden)
    assert not (ROOT / "cs231n_lin" / "checks" / "points.py").exists()
    py = [p for p in (ROOT / "cs231n_lin").rglob("*.py") if "tasks" not in p.parts]
    for p in py:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):       # {"points": 3} or {..., "max_points": 2.5}
                for k, v in zip(node.keys, node.values, strict=True):
                    number = (isinstance(v, ast.Constant) and isinstance(v.value, (int, float))
                              and not isinstance(v.value, bool) and v.value != 0)
                    key = isinstance(k, ast.Constant) and "points" in str(k.value)
                    assert not (key and number), f"{p}: points outside the table"
            if isinstance(node, ast.keyword) and node.arg and "points" in node.arg:
                value = node.value
                assert not (isinstance(value, ast.Constant) and isinstance(value.value, (int, float))
                            and value.value), f"{p}: points={value.value} outside the table"


def test_no_check_title_outside_the_table():
    """Every named check is titled by the task(s) it judges; no other title table exists."""
    from cs231n_lin.checks import messages_zh

    assert not hasattr(messages_zh, "TITLES_ZH")
    names = {t.check_name for t in tasks.of_kind("code")}
    for name in names:
        check = getattr(checks, name)
        assert set(check.task_ids) <= {t.id for t in tasks.TASKS}, name


def test_hidden_cases_cover_every_declared_kind():
    cases = taskcases.load_cases(ROOT / "tests" / "hidden")
    for task in tasks.of_kind("code", "speed"):
        kinds = {c["kind"] for c in cases[task.id]}
        assert kinds == {h.kind for h in task.hidden}, task.id
    assert set(cases) == {t.id for t in tasks.of_kind("code", "speed")}


def test_a_case_of_an_undeclared_kind_is_refused(tmp_path: Path):
    (tmp_path / "cases.py").write_text(
        "CASES = {'margin_loss': [{'kind': 'overflow64', 'function': 'notebook:margin_loss', 'seed': 1,"
        " 'args': {}}]}")
    with pytest.raises(ValueError, match="does not declare"):
        taskcases.load_cases(tmp_path)


def test_named_mistakes_have_sentences_in_both_languages():
    from cs231n_lin.checks import messages, messages_zh

    english = dict(messages.MESSAGES)
    chinese = dict(messages_zh.MESSAGES_ZH)
    for module, table in messages_zh.CAUSES_ZH.items():
        english.update(__import__(f"cs231n_lin.checks.{module}", fromlist=["CAUSES"]).CAUSES)
        chinese.update(table)
    for t in tasks.TASKS:
        for key in t.mistakes:
            assert key in english and key in chinese, f"{t.id}: mistake {key!r} needs both sentences"


def test_titles_and_hidden_sentences_exist_in_both_languages():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for t in tasks.TASKS:
        assert t.title.en and cjk.search(t.title.zh), t.id
        for h in t.hidden:
            assert h.about.en and cjk.search(h.about.zh), (t.id, h.kind)


def test_one_maximum():
    assert tasks.max_points() == 100
    assert sum(t.points for t in tasks.TASKS if t.kind == "written") == 13


def test_release_refuses_notebooks_that_disagree_with_the_table(tmp_path: Path):
    """A check cell of no task (or a task without its cell) stops the release: nothing is written."""
    import shutil

    from cs231n_lin.grading.release.release import LeakError, release

    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv", ".git", "build", "__pycache__"))
    nb = src / "notebooks" / "02_squared_hinge.ipynb"
    data = json.loads(nb.read_text(encoding="utf-8"))
    for cell in data["cells"]:
        if "checks.margin_loss(" in cell_source(cell):
            cell["source"] = "checks.margin_loss(margin_loss, squared=True)"
    nb.write_text(json.dumps(data), encoding="utf-8")
    assert locate.table_problems(src)
    with pytest.raises(LeakError, match="task table"):
        release(source=src, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()
