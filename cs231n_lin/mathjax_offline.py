"""MathJax for exported HTML with no network, typeset with MathJax's own TeX fonts.

MathJax 2 comes from the ``jupyter-server-mathjax`` package, which ships only the STIX-Web fonts.
MathJax's TeX fonts (the look of formulas served from a CDN) come from Debian's ``libjs-mathjax``
(the font metrics, ``jax/output/HTML-CSS/fonts/TeX/*.js``) and ``fonts-mathjax`` (the
``MathJax_*.woff``/``.otf`` files), of the same MathJax version; :func:`install_mathjax` copies
both into ``OUT_DIR/_mathjax/`` and writes a configuration (``config/cs231n-fonts.js``) that uses
those web fonts and never the fonts installed on the reader's machine, so a page looks the same
everywhere. Without the Debian packages it configures the shipped STIX-Web fonts instead (so no
font file is asked for that is not there) and says how to get the TeX fonts.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

__all__ = ["MATHJAX_CONFIG", "MATHJAX_DIRNAME", "TEX_FONT_PARTS", "TEX_FONT_SOURCES", "install_mathjax",
           "mathjax_source", "tex_fonts_source"]

#: MathJax's folder inside an export folder.
MATHJAX_DIRNAME = "_mathjax"
#: The configurations the HTML asks for: TeX and MathML input, HTML-CSS output, the Safe
#: extension (files of jupyter-server-mathjax), then the font choice written by :func:`install_mathjax`.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe,cs231n-fonts"
#: Where a MathJax 2 with the TeX fonts may be found (Debian: libjs-mathjax + fonts-mathjax).
TEX_FONT_SOURCES = (Path("/usr/share/javascript/mathjax"),)
#: The TeX-font parts copied from there, relative to MathJax's folder.
TEX_FONT_PARTS = ("jax/output/HTML-CSS/fonts/TeX", "fonts/HTML-CSS/TeX/woff", "fonts/HTML-CSS/TeX/otf")
INSTALL_HINT = "sudo apt-get install libjs-mathjax fonts-mathjax"
_FONT_CONFIG = """\
/* Written by cs231n-lin: {what} */
MathJax.Hub.Config({{"HTML-CSS": {{availableFonts: [], preferredFont: null, webFont: "{font}",
                                  imageFont: null}}}});
MathJax.Ajax.loadComplete("[MathJax]/config/cs231n-fonts.js");
"""


def mathjax_source() -> Path:
    """The folder holding ``MathJax.js`` in the installed ``jupyter-server-mathjax`` package.

    Raises
    ------
    ModuleNotFoundError
        When the package is missing, with the command that installs it.
    """
    import importlib.util

    # found, not imported: importing the package starts loading jupyter_server (seconds)
    spec = importlib.util.find_spec("jupyter_server_mathjax")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            "exporting notebooks to HTML needs MathJax from the package jupyter-server-mathjax; "
            "install it with `pip install jupyter-server-mathjax` (it is a dependency of cs231n-lin)",
            name="jupyter_server_mathjax")
    folder = Path(spec.origin).resolve().parent / "static"
    if not (folder / "MathJax.js").is_file():
        raise FileNotFoundError(f"no MathJax.js in {folder}; reinstall jupyter-server-mathjax")
    return folder


def _version(mathjax_js: Path) -> str | None:
    with open(mathjax_js, encoding="utf-8", errors="replace") as fh:
        m = re.search(r'MathJax\.version="([0-9.]+)"', fh.read())
    return m.group(1) if m else None


def tex_fonts_source(base: Path | None = None) -> Path | None:
    """A MathJax folder of :data:`TEX_FONT_SOURCES` with all :data:`TEX_FONT_PARTS` and the same
    MathJax version as ``base`` (default: :func:`mathjax_source`), or None."""
    base = mathjax_source() if base is None else base
    want = _version(base / "MathJax.js")
    for folder in TEX_FONT_SOURCES:
        if not all((folder / part).is_dir() for part in TEX_FONT_PARTS) or \
                not (folder / "MathJax.js").is_file():
            continue
        if not (folder / TEX_FONT_PARTS[0] / "fontdata.js").is_file() or \
                not (folder / TEX_FONT_PARTS[1] / "MathJax_Main-Regular.woff").is_file():
            continue
        if _version(folder / "MathJax.js") == want:
            return folder
    return None


def _font_config(tex: Path | None) -> str:
    if tex is not None:
        return _FONT_CONFIG.format(what=f"MathJax's TeX web fonts, copied from {tex}", font="TeX")
    return _FONT_CONFIG.format(what=f"STIX-Web (MathJax's TeX fonts were not found: {INSTALL_HINT})",
                               font="STIX-Web")


def install_mathjax(out_dir: str | os.PathLike) -> str:
    """Copy MathJax (with the TeX fonts when found) into ``out_dir/_mathjax`` and return its relative URL.

    A copy already there is kept when it is the same (same ``MathJax.js`` and font configuration).
    The copy is made in a temporary folder beside the target and renamed into place, so a reader
    never sees half a MathJax.
    """
    source = mathjax_source()
    tex = tex_fonts_source(source)
    if tex is None:
        warnings.warn(f"MathJax's TeX fonts were not found in {', '.join(map(str, TEX_FONT_SOURCES))}; "
                      f"the exported formulas use the STIX-Web fonts ({INSTALL_HINT} for the TeX fonts)",
                      stacklevel=2)
    config = _font_config(tex)
    out = Path(out_dir)
    target = out / MATHJAX_DIRNAME
    url = f"{MATHJAX_DIRNAME}/MathJax.js?config={MATHJAX_CONFIG}"
    kept = target / "config" / "cs231n-fonts.js"
    if (target / "MathJax.js").is_file() and kept.is_file() and kept.read_text(encoding="utf-8") == config \
            and (target / "MathJax.js").read_bytes() == (source / "MathJax.js").read_bytes():
        return url
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{MATHJAX_DIRNAME}.", dir=out))
    try:
        copy = staging / "copy"
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"),
                        copy_function=shutil.copyfile)   # files get the umask, not site-packages modes
        if tex is not None:
            for part in TEX_FONT_PARTS:                  # Debian's files are symbolic links: copy contents
                shutil.copytree(tex / part, copy / part, copy_function=shutil.copyfile, dirs_exist_ok=True)
        (copy / "config" / "cs231n-fonts.js").write_text(config, encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        os.replace(copy, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return url
