"""The lessons in two languages: each English/Chinese pair changes together, and inline questions
come before the cells that answer them."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SRC = ROOT / "notebooks" / "src"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


twins = _load("_lesson_twins", HERE / "twins.py")
build = _load("_nb_build_for_twins", ROOT / "notebooks" / "_build.py")

# The released student copy strips the answers from the sources, so its pairs differ from the record.
instructor_sources_only = pytest.mark.skipif(
    not (ROOT / "tests" / "hidden").is_dir(),
    reason="the record is of the instructor's sources, with the answers")


@instructor_sources_only
def test_every_pair_is_recorded_and_none_changed_on_one_side():
    record, pairs = twins.load_record(), twins.current_pairs()
    sided = twins.one_sided(record, pairs)
    assert not sided, "\n".join(f"{p['id']}: {what}" for _, p, what in sided)
    unrecorded = [p["id"] for ps in pairs.values() for p in ps
                  if (p["en"], p["zh"]) not in {(q["en"], q["zh"]) for q in record.get(next(
                      n for n in pairs if p in pairs[n]), [])}]
    assert not unrecorded, (f"pairs not recorded: {unrecorded}; after changing both languages run "
                            "`python tests/notebooks/twins.py`")


@instructor_sources_only
def test_a_recorded_one_sided_change_says_why():
    for ps in twins.load_record().values():
        for pair in ps:
            assert pair.get("accepted", "x").strip(), f"{pair['id']}: accepted without a reason"


def test_one_sided_changes_are_found_on_either_side():
    record = {"nb": [{"id": "nb-001", "en": "e1", "zh": "z1"}, {"id": "nb-002", "en": "e2", "zh": "z2"}]}
    current = {"nb": [{"id": "nb-001", "en": "e1", "zh": "z1-new"},      # Chinese alone
                      {"id": "nb-002", "en": "e2-new", "zh": "z2"},      # English alone
                      {"id": "nb-003", "en": "e3", "zh": "z3"}]}         # a new pair: both sides new
    found = {pair["id"]: what for _, pair, what in twins.one_sided(record, current)}
    assert found == {"nb-001": "the Chinese text changed, the English did not",
                     "nb-002": "the English text changed, the Chinese did not"}


def test_the_record_script_refuses_a_one_sided_change_unless_accepted(tmp_path, monkeypatch):
    pairs = {"nb": [{"id": "nb-001", "en": "e1", "zh": "z1"}]}
    record = tmp_path / "twins.json"
    monkeypatch.setattr(twins, "current_pairs", lambda: pairs)
    assert twins.update({}, record) == [] and record.is_file()
    pairs["nb"][0]["zh"] = "z1-reworded"
    problems = twins.update({}, record)
    assert len(problems) == 1 and "nb-001" in problems[0] and "--accept" in problems[0]
    assert twins.update({"nb-001": "zh wording only"}, record) == []
    assert twins.load_record(record)["nb"][0]["accepted"] == "zh wording only"


# ---------------------------------------------------------------------------------------------
# Inline questions before their answers.

#: notebook -> [(question number, texts that answer it)]. No cell before the question may contain
#: one of the texts (answer regions aside, since the released copy removes them), in either language.
ANSWERED_BY = {
    "01_svm_hinge_loss": [
        (2, ["kink", "折点", "= 0$ exactly", "恰好是 $11 - 13 + 2 = 0$"]),
        (6, ["widen the grid", "扩大网格", "best_on_grid_edge(", "**test** accuracy once", "测试**准确率"]),
    ],
    "02_squared_hinge": [
        (1, ["worst 5%", "最差的 5%"]),
    ],
    "04_numeric_stability": [
        (1, ["-\\max_j f_j", "f_j - \\max_k f_k"]),
    ],
}


def _cells(name: str, lang: str):
    return build.build_notebook(SRC / f"{name}.py", lang).cells


def _question_index(cells, number: int) -> int:
    pattern = re.compile(rf"\*\*(Inline question|随堂问题) {number}\*\*")
    return next(k for k, c in enumerate(cells) if c.cell_type == "markdown" and pattern.match(c.source))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", sorted(ANSWERED_BY))
def test_inline_questions_come_before_what_answers_them(name, lang):
    cells = _cells(name, lang)
    for number, texts in ANSWERED_BY[name]:
        asked = _question_index(cells, number)
        question = cells[asked].source
        for text in texts:
            assert text not in question, f"{name} question {number} ({lang}) names its answer: {text!r}"
            before = [c.id for c in cells[:asked]
                      if text in c.source and "<!-- BEGIN SOLUTION -->" not in c.source]
            assert not before, f"{name} ({lang}): {before} say {text!r} before question {number} asks"


def test_the_answers_listed_are_still_in_the_lessons():
    """Each listed answer text is found after its question (or the list is out of date)."""
    for name, questions in ANSWERED_BY.items():
        text = {lang: "\n".join(c.source for c in _cells(name, lang)) for lang in ("en", "zh")}
        for number, answers in questions:
            assert any(a in text["en"] or a in text["zh"] for a in answers), (name, number)
            for a in answers:
                assert a in text["en"] or a in text["zh"], f"{name}: {a!r} is in neither language"
