"""The exported HTML renders its formulas with no network: MathJax from the package, in Chromium.

A tiny notebook with inline and display math is exported by ``export_notebooks``; headless
Chromium opens the HTML from disk with every host name unresolvable (so a CDN could not be
reached), and MathJax must have typeset the formulas: no ``$...$`` source left in the text, and
the rendered math elements present. Skips only when Chromium is missing and ``CI`` is not set.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from _browser import chromium, require_browser

from cs231n_lin.notebook_run import MATHJAX_DIRNAME, export_notebooks, install_mathjax

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
    assert mathjax == [f"{MATHJAX_DIRNAME}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"], scripts
    assert not any(s.startswith(("http:", "https:", "//")) for s in scripts), scripts
    assert (exported.parent / MATHJAX_DIRNAME / "MathJax.js").is_file()
    assert (exported.parent / MATHJAX_DIRNAME / "config" / "TeX-AMS-MML_HTMLorMML-full.js").is_file()


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
    assert rendered >= 2, "MathJax did not typeset the formulas"
    assert failed == 0, "MathJax reported an error in a formula"
    assert "\\Delta" not in text and "$$" not in text, f"raw LaTeX is still visible:\n{text[:500]}"
    assert "42" in text
