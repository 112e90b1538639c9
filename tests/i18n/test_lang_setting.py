"""Choosing the language: set_lang, the environment variable, a cs231n-lin.cfg file, English."""

from __future__ import annotations

from pathlib import Path

import pytest

from cs231n_lin import i18n

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    i18n.set_lang(None)
    yield
    i18n.set_lang(None)


def test_default_is_english(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert i18n.current_lang() == "en"
    assert i18n.tr("loss", "损失") == "loss"


def test_a_settings_file_above_the_working_directory_selects_chinese(tmp_path, monkeypatch):
    i18n.write_settings(tmp_path, "zh")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert i18n.current_lang() == "zh"
    assert i18n.tr("loss", "损失") == "损失"
    monkeypatch.setenv(i18n.LANG_ENV, "en")            # the environment wins over the file
    assert i18n.current_lang() == "en"
    with i18n.using_lang("zh"):                         # and set_lang over both
        assert i18n.current_lang() == "zh"
    assert i18n.current_lang() == "en"


def test_the_chinese_notebooks_folder_selects_chinese_and_the_english_one_does_not():
    assert i18n.lang_of_folder(ROOT / "notebooks" / "zh") == "zh"
    assert i18n.lang_of_folder(ROOT / "notebooks") in (None, "en")


def test_unknown_languages_are_refused_naming_where(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="lang: 'fr' is not a language of this course"):
        i18n.set_lang("fr")
    monkeypatch.setenv(i18n.LANG_ENV, "de")
    with pytest.raises(ValueError, match="CS231N_LIN_LANG: 'de'"):
        i18n.current_lang()
    monkeypatch.delenv(i18n.LANG_ENV)
    (tmp_path / i18n.SETTINGS_NAME).write_text("[cs231n-lin]\nlang = jp\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lang in .*cs231n-lin.cfg: 'jp'"):
        i18n.lang_of_folder(tmp_path)


def test_settings_file_respects_the_umask(tmp_path):
    import os
    old = os.umask(0o027)
    try:
        path = i18n.write_settings(tmp_path, "zh")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o640
