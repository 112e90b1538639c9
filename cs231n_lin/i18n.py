"""The student's language, English (``en``, the default) or Chinese (``zh``), and CJK figures.

The language of the feedback (check cells, ``cs231n-lin check``, the grader's likely causes) and
of the figures' labels is, first found:

1. the one set by :func:`set_lang` (``cs231n-lin check --lang zh`` sets it);
2. the environment variable ``CS231N_LIN_LANG`` (``en`` or ``zh``);
3. a settings file ``cs231n-lin.cfg`` in the working directory or a folder above it::

       [cs231n-lin]
       lang = zh

   The Chinese notebooks live in ``notebooks/zh/``, which holds such a file, so their check cells
   answer in Chinese with no set-up; a student who wants everything in Chinese puts the same file
   at the top of their copy (``cs231n-lin release --lang zh`` writes it there);
4. English.

Chinese figure text needs a CJK font: :func:`use_cjk_font` puts Noto Sans CJK (Debian package
``fonts-noto-cjk``) into matplotlib's fallback list, and says how to install it when it is missing.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["LANGS", "LANG_ENV", "SETTINGS_NAME", "configure_figures", "current_lang", "lang_of_folder",
           "set_lang", "tr", "use_cjk_font", "using_lang", "validate_lang", "write_settings"]

#: The languages of the course, the default first.
LANGS = ("en", "zh")
LANG_ENV = "CS231N_LIN_LANG"
SETTINGS_NAME = "cs231n-lin.cfg"
_SECTION = "cs231n-lin"
#: Font families tried, in order, for Chinese text (all shipped by Debian's fonts-noto-cjk).
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC")
INSTALL_HINT = ("install a CJK font: `sudo apt-get install fonts-noto-cjk` on Debian/Ubuntu "
                "(the project's .ci/run does this), then restart the kernel")

_override: str | None = None


def validate_lang(lang: str, argument: str = "lang") -> str:
    """``lang`` if it is one of :data:`LANGS`, else a ValueError naming ``argument``."""
    if lang not in LANGS:
        raise ValueError(f"{argument}: {lang!r} is not a language of this course; use one of "
                         f"{', '.join(LANGS)}")
    return lang


def lang_of_folder(folder: str | os.PathLike) -> str | None:
    """The ``lang`` of the nearest ``cs231n-lin.cfg`` in ``folder`` or above it, or None.

    Raises
    ------
    ValueError
        When that file names an unknown language (the message names the file).
    """
    here = Path(folder).resolve()
    for candidate in (here, *here.parents):
        cfg = candidate / SETTINGS_NAME
        if cfg.is_file():
            parser = configparser.ConfigParser()
            try:
                parser.read(cfg, encoding="utf-8")
            except configparser.Error as exc:
                raise ValueError(f"{cfg}: not a settings file ({exc})") from None
            lang = parser.get(_SECTION, "lang", fallback=None)
            return None if lang is None else validate_lang(lang.strip(), f"lang in {cfg}")
    return None


def current_lang() -> str:
    """The language in effect now (see the module docstring for the order)."""
    if _override is not None:
        return _override
    env = os.environ.get(LANG_ENV, "").strip()
    if env:
        return validate_lang(env, LANG_ENV)
    return lang_of_folder(Path.cwd()) or LANGS[0]


def set_lang(lang: str | None) -> None:
    """Use ``lang`` from now on in this process (``None``: back to the environment and files)."""
    global _override
    _override = None if lang is None else validate_lang(lang)


@contextmanager
def using_lang(lang: str | None) -> Iterator[str]:
    """Within the block, :func:`current_lang` is ``lang`` (``None`` changes nothing)."""
    global _override
    saved = _override
    if lang is not None:
        set_lang(lang)
    try:
        yield current_lang()
    finally:
        _override = saved


def tr(en: str, zh: str) -> str:
    """``zh`` when the current language is Chinese, else ``en``."""
    return zh if current_lang() == "zh" else en


def write_settings(folder: str | os.PathLike, lang: str) -> Path:
    """Write ``folder/cs231n-lin.cfg`` selecting ``lang`` (atomically); return its path."""
    from cs231n_lin._io import atomic_write_text

    validate_lang(lang)
    path = Path(folder) / SETTINGS_NAME
    atomic_write_text(path, f"# The language of this copy's feedback and figures: {' or '.join(LANGS)}.\n"
                            f"[{_SECTION}]\nlang = {lang}\n")
    return path


def _cjk_family() -> str | None:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in names:
            return family
    # Installed after matplotlib built its font cache: register the files (public API).
    for path in font_manager.findSystemFonts():
        if "CJK" in Path(path).name:
            font_manager.fontManager.addfont(path)
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in names), None)


def use_cjk_font() -> str:
    """Make matplotlib draw Chinese text with a CJK font.

    The CJK family comes first in ``font.family`` (so that the words of a label with ``$...$``
    math are drawn by it too); glyphs it lacks fall back to the default sans-serif font.

    Returns
    -------
    str
        The CJK family used.

    Raises
    ------
    RuntimeError
        When no CJK font is installed; the message says how to install one.
    """
    import matplotlib as mpl

    family = _cjk_family()
    if family is None:
        raise RuntimeError(f"No CJK font found for Chinese figure text: {INSTALL_HINT}.")
    # The CJK family first: it has Latin glyphs too, and mathtext draws the words outside $...$
    # of a label with the first family only; other glyphs fall back along the list.
    families = [f for f in mpl.rcParams["font.family"] if f not in (family, "sans-serif")]
    mpl.rcParams["font.family"] = [family, *families, mpl.rcParams["font.sans-serif"][0]]
    return family


def configure_figures() -> str | None:
    """In Chinese, set up the CJK font (:func:`use_cjk_font`); returns the family or None."""
    return use_cjk_font() if current_lang() == "zh" else None
