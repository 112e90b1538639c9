"""One source, two languages: every markdown cell has its Chinese twin, code cells are shared."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = sorted((NOTEBOOKS / "src").glob("[0-9][0-9]_*.py"))
HAN = re.compile(r"[\u4e00-\u9fff]")
ANSWER_ONLY = re.compile(r"^<!-- BEGIN SOLUTION -->\s*(#\s*)?(Your answer here|在这里写下你的答案)?\s*"
                         r"<!-- END SOLUTION -->$")
# The solved notebooks are the instructor's; the student copy has them with answers blanked.
solved_only = pytest.mark.skipif(
    not (ROOT / "tests" / "hidden").is_dir(),
    reason="compares the solved notebooks, which only the instructor repository has")


def _build_module():
    spec = importlib.util.spec_from_file_location("_nb_build_i18n", NOTEBOOKS / "_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _build_module()


def test_there_are_five_sources():
    assert [s.stem[:2] for s in SOURCES] == ["01", "02", "03", "04", "05"]


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_every_markdown_cell_has_both_languages(src: Path):
    langs = build.split_languages(src.read_text(encoding="utf-8"))     # raises on a missing twin
    en, zh = langs["en"], langs["zh"]
    assert len(en) == len(zh)
    for e, z in zip(en, zh, strict=True):
        assert e.cell_type == z.cell_type and e.metadata == z.metadata
        if e.cell_type == "code":
            assert e is z, "code cells are shared, not copied"
        else:
            assert not HAN.search(e.source), f"Chinese text in an English cell: {e.source[:80]!r}"
            assert HAN.search(z.source) or ANSWER_ONLY.match(z.source.strip()), \
                f"a Chinese twin without Chinese text: {z.source[:80]!r}"


def _math(text: str) -> list[str]:
    return re.findall(r"\$\$.+?\$\$|\$[^$]+\$", text, flags=re.S)


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_twins_keep_solution_regions_and_display_math(src: Path):
    langs = build.split_languages(src.read_text(encoding="utf-8"))
    for e, z in zip(langs["en"], langs["zh"], strict=True):
        if e.cell_type != "markdown":
            continue
        for marker in ("<!-- BEGIN SOLUTION -->", "<!-- END SOLUTION -->"):
            assert (marker in e.source) == (marker in z.source), e.source[:60]
        display = [m for m in _math(e.source) if m.startswith("$$")]
        assert display == [m for m in _math(z.source) if m.startswith("$$")], e.source[:60]


def test_a_markdown_cell_without_its_twin_fails_naming_the_line():
    text = '# %% [markdown]\n# one\n# %% [markdown] lang="zh"\n# 一\n# %% [markdown]\n# two\n# %%\nx = 1\n'
    with pytest.raises(ValueError, match=r"line 5: this markdown cell has no Chinese twin"):
        build.split_languages(text)
    with pytest.raises(ValueError, match=r"line 5: this markdown cell has no Chinese twin"):
        build.split_languages(text.replace("# %%\nx = 1\n", ""))


def test_a_twin_without_its_english_cell_or_on_code_fails():
    with pytest.raises(ValueError, match="line 3: a zh markdown cell must directly follow"):
        build.split_languages('# %%\nx = 1\n# %% [markdown] lang="zh"\n# 一\n')
    with pytest.raises(ValueError, match="line 1: `lang` marks a markdown twin"):
        build.split_languages('# %% lang="zh"\nx = 1\n')
    with pytest.raises(ValueError, match="not a translation language"):
        build.split_languages('# %% [markdown]\n# a\n# %% [markdown] lang="fr"\n# b\n')


def test_wrapped_chinese_lines_are_joined_but_blocks_are_kept():
    text = "第一行的\n后半句。\n\n* 列表\n* 第二项，写到\n一半\n$$x$$\n"
    assert build.join_cjk_lines(text) == "第一行的后半句。\n\n* 列表\n* 第二项，写到一半\n$$x$$\n"
    assert build.join_cjk_lines("English line\nnext") == "English line\nnext"


@solved_only
@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_built_notebooks_match_the_source_in_both_languages(src: Path):
    for lang, folder in build.LANG_DIRS.items():
        path = folder / f"{src.stem}.ipynb"
        assert path.is_file(), f"{path} is missing: run `make notebooks`"
        stored = nbformat.read(path, as_version=4)
        built = build.build_notebook(src, lang)
        assert [(c.id, c.cell_type, c.source) for c in stored.cells] == \
               [(c.id, c.cell_type, c.source) for c in built.cells], f"{path} is stale: run `make notebooks`"


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_ids_tags_and_code_are_identical_in_both_languages(src: Path):
    en = nbformat.read(NOTEBOOKS / f"{src.stem}.ipynb", as_version=4)
    zh = nbformat.read(NOTEBOOKS / "zh" / f"{src.stem}.ipynb", as_version=4)
    assert [c.id for c in en.cells] == [c.id for c in zh.cells]
    assert [c.metadata.get("tags") for c in en.cells] == [c.metadata.get("tags") for c in zh.cells]
    assert [c.source for c in en.cells if c.cell_type == "code"] == \
           [c.source for c in zh.cells if c.cell_type == "code"]

