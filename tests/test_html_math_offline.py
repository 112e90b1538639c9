"""The exported HTML renders its formulas with no network: MathJax from the package, in Chromium.

A tiny notebook with inline and display math is exported by ``export_notebooks``; headless
Chromium opens the HTML from disk with every host name unresolvable (so a CDN could not be
reached), and MathJax must have typeset the formulas with its TeX fonts: no ``$...$`` source left
in the text, the rendered math elements present, the TeX font metrics (``fontdata.js``) and web
fonts (``MathJax_*.woff``) loaded from the copy. The TeX fonts come from Debian's libjs-mathjax
and fonts-mathjax (:mod:`cs231n_lin.mathjax_offline`). Skips only when Chromium is missing and
``CI`` is not set.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from _browser import chromium, require_browser

from cs231n_lin import mathjax_offline
from cs231n_lin.mathjax_offline import INSTALL_HINT, MATHJAX_CONFIG, tex_fonts_source
from cs231n_lin.notebook_run import MATHJAX_DIRNAME, export_notebooks, install_mathjax

FONTS_JS = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => done({
  inUse: MathJax.OutputJax["HTML-CSS"].fontInUse,
  log: MathJax.Message.Log().split("\\n"),
  scripts: Object.keys(MathJax.Ajax.loaded).filter(k => MathJax.Ajax.loaded[k]),
  loaded: Array.from(document.fonts).filter(f => f.status === "loaded").map(f => f.family.replace(/"/g, "")),
}));
"""
TEX_INLINE = r"$\Delta$"
TEX_DISPLAY = r"$$L_i = \sum_{j \neq y_i} \max(0,\; s_j - s_{y_i} + \Delta)$$"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# Math\n\nThe margin {TEX_INLINE} and\n\n{TEX_DISPLAY}\n"),
                nbformat.v4.new_code_cell("print(6 * 7)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, src / "math.ipynb")
    out = tmp_path_factory.mktemp("out")
    export_notebooks(out, src_dir=src)
    return out / "math.html"


def test_html_loads_mathjax_from_the_export_folder_not_a_cdn(exported):
    html = exported.read_text()
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    mathjax = [s for s in scripts if "MathJax" in s or "mathjax" in s]
    assert mathjax == [f"{MATHJAX_DIRNAME}/MathJax.js?config={MATHJAX_CONFIG}"], scripts
    assert not any(s.startswith(("http:", "https:", "//")) for s in scripts), scripts
    assert (exported.parent / MATHJAX_DIRNAME / "MathJax.js").is_file()
    for name in MATHJAX_CONFIG.split(","):
        assert (exported.parent / MATHJAX_DIRNAME / "config" / f"{name}.js").is_file(), name


def _require_tex_fonts() -> None:
    if tex_fonts_source() is not None:
        return
    message = f"MathJax's TeX fonts not found; install them with `{INSTALL_HINT}`"
    if os.environ.get("CI"):
        pytest.fail("CI is set, so the TeX fonts must be there, but " + message)
    pytest.skip(message)


def test_the_copy_holds_mathjax_tex_fonts_and_uses_them(exported):
    _require_tex_fonts()
    mathjax = exported.parent / MATHJAX_DIRNAME
    assert (mathjax / "jax/output/HTML-CSS/fonts/TeX/fontdata.js").is_file()
    for font in ("Main-Regular", "Math-Italic", "Size1-Regular", "Script-Regular"):
        assert (mathjax / f"fonts/HTML-CSS/TeX/woff/MathJax_{font}.woff").stat().st_size > 1000, font
        assert (mathjax / f"fonts/HTML-CSS/TeX/otf/MathJax_{font}.otf").stat().st_size > 1000, font
    assert not any(p.is_symlink() for p in mathjax.rglob("*")), "the copy must not point into /usr"
    assert 'webFont: "TeX"' in (mathjax / "config/cs231n-fonts.js").read_text()


def test_without_the_tex_fonts_the_shipped_stix_fonts_are_configured(tmp_path, monkeypatch):
    monkeypatch.setattr(mathjax_offline, "TEX_FONT_SOURCES", (tmp_path / "none",))
    with pytest.warns(UserWarning, match="TeX fonts were not found.*apt-get install libjs-mathjax"):
        install_mathjax(tmp_path / "out")
    config = (tmp_path / "out" / MATHJAX_DIRNAME / "config/cs231n-fonts.js").read_text()
    assert 'webFont: "STIX-Web"' in config
    assert (tmp_path / "out" / MATHJAX_DIRNAME / "jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js").is_file()


def test_install_mathjax_reuses_an_identical_copy(tmp_path):
    url = install_mathjax(tmp_path)
    marker = tmp_path / MATHJAX_DIRNAME / "kept"
    marker.write_text("x")
    assert install_mathjax(tmp_path) == url and marker.exists(), "an identical copy was replaced"
    (tmp_path / MATHJAX_DIRNAME / "MathJax.js").write_text("// damaged")
    install_mathjax(tmp_path)
    assert not marker.exists(), "a damaged copy must be replaced whole"
    assert "MathJax" in (tmp_path / MATHJAX_DIRNAME / "MathJax.js").read_text()[:2000]
    assert not list(tmp_path.glob(f".{MATHJAX_DIRNAME}.*")), "the staging folder was left behind"


@pytest.mark.slow
@pytest.mark.browser
def test_formulas_render_offline_in_chromium(exported, tmp_path):
    require_browser()
    _require_tex_fonts()
    from selenium.webdriver.support.ui import WebDriverWait

    with chromium(tmp_path / "profile", offline=True, script_timeout=60) as driver:
        driver.get(exported.as_uri())
        WebDriverWait(driver, 60).until(lambda d: d.execute_script(
            "return !!(window.MathJax && MathJax.Hub && MathJax.Hub.queue"
            " && MathJax.Hub.queue.pending === 0 && MathJax.Hub.queue.running === 0"
            " && document.querySelectorAll('script[type^=\"math/tex\"]').length >= 2)"))
        rendered = driver.execute_script(
            "return document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_SVG').length")
        text = driver.execute_script("return document.body.innerText")
        failed = driver.execute_script("return document.querySelectorAll('.MathJax_Error, merror').length")
        fonts = driver.execute_async_script(FONTS_JS)
    assert rendered >= 2, "MathJax did not typeset the formulas"
    assert failed == 0, "MathJax reported an error in a formula"
    assert "\\Delta" not in text and "$$" not in text, f"raw LaTeX is still visible:\n{text[:500]}"
    assert "42" in text
    # MathJax's TeX fonts, from the copy: the font metrics and the web fonts loaded, none missing
    assert fonts["inUse"] == "TeX", fonts
    assert not [m for m in fonts["log"] if "fail" in m.lower() or "not found" in m.lower()], fonts["log"]
    assert any(n.endswith(f"{MATHJAX_DIRNAME}/jax/output/HTML-CSS/fonts/TeX/fontdata.js")
               for n in fonts["scripts"]), fonts["scripts"]
    # (document.fonts holds the @font-face web fonts, not the fonts installed on the machine)
    assert {"MathJax_Main", "MathJax_Math-italic"} <= set(fonts["loaded"]), fonts["loaded"]
