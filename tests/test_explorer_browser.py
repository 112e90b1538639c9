"""End to end: the explorer in a real browser (a JupyterLab server + headless Chromium), in both languages.

The test starts its own JupyterLab on 127.0.0.1 (free port, random token, temporary
config/runtime dirs), opens a notebook that calls ``explore`` in a 1200 px window with the file
browser open, runs it, checks that the read-out, controls and figure fit (no horizontal
scrollbar), drags a weight slider, and checks that the loss read-out and the figure change. It
skips only when Chromium is missing and ``CI`` is not set; under CI a missing browser is a failure
(``tests/_browser.py``).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import numpy as np
import pytest
from _browser import chromium, require_browser

SERVER_START_TIMEOUT = 60      # s until the Jupyter server answers
WIDGET_TIMEOUT = 90            # s until the explorer is on screen (kernel start + first run)
CHANGE_TIMEOUT = 30            # s for a slider move to reach the read-out and the figure

NOTEBOOK_CODE = """\
from cs231n_lin.data import make_blobs_2d
from cs231n_lin.explore import explore

X, y = make_blobs_2d(n_per_class=100, num_classes=3, seed=0)
app = explore(X, y, W=[[1.0, -0.5, 0.0], [0.0, 1.0, -1.0]], b=[0.0, 0.0, 0.5], reg=0.01)
"""
START_W = np.array([[1.0, -0.5, 0.0], [0.0, 1.0, -1.0]])   # the same weights, for the oracle
START_B = np.array([0.0, 0.0, 0.5])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kill_leftover_kernels(runtime_dir: Path) -> None:
    """Kill kernels whose connection file lies in our private runtime dir (they are ours)."""
    marker = str(runtime_dir).encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if marker in cmdline and int(proc.name) != os.getpid():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(proc.name), signal.SIGKILL)


@contextlib.contextmanager
def jupyter_server(root: Path):
    """A JupyterLab server on 127.0.0.1; yields (base_url, token); always stopped."""
    port, token = _free_port(), secrets.token_hex(16)
    private = root / ".jupyter-private"
    env = dict(os.environ)
    for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_RUNTIME_DIR", "runtime"),
                     ("IPYTHONDIR", "ipython"), ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces")]:
        (private / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(private / sub)
    env["MPLBACKEND"] = "Agg"
    # no network from the server: no news feed, no update check, no PyPI extension manager
    config = ('{"LabApp": {"news_url": null, "extension_manager": "readonly", '
              '"check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}}')
    for name in ("jupyter_server_config.json", "jupyter_notebook_config.json", "jupyter_lab_config.json"):
        (private / "config" / name).write_text(config)
    # and no "Would you like to get notified about Jupyter news?" toast over the screenshot
    settings = private / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        "--ServerApp.open_browser=False", "--expose-app-in-browser",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")              # CI containers often run as root
    log_path = private / "server.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"Jupyter server exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Jupyter server not up after {SERVER_START_TIMEOUT} s:\n"
                                   f"{log_path.read_text()}")
            time.sleep(0.3)
        yield base, token
    finally:
        with contextlib.suppress(OSError):      # polite: the server stops its kernels
            req = urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST")
            urllib.request.urlopen(req, timeout=5).close()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        _kill_leftover_kernels(private / "runtime")
        log.close()


def _wait(driver, condition, timeout, what):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.25).until(condition)
    except TimeoutException:
        raise AssertionError(f"timed out after {timeout} s waiting for {what}") from None


IMAGE_DIGEST_JS = """
const done = arguments[arguments.length - 1];
const img = document.querySelector('img.cs231n-figure');
if (!img || !img.src) { done(null); return; }
fetch(img.src).then(r => r.arrayBuffer())
  .then(b => crypto.subtle.digest('SHA-256', b))
  .then(d => done(img.src.slice(0, 40) + ' ' + Array.from(new Uint8Array(d)).map(
      x => x.toString(16).padStart(2, '0')).join('')))
  .catch(e => done('error ' + e));
"""


def _loss_text(driver) -> str:
    elements = driver.find_elements("css selector", ".cs231n-loss")
    return elements[0].text if elements else ""


def _number(text: str) -> float:
    """A slider read-out as a float (ipywidgets writes negative numbers with a Unicode minus)."""
    return float(text.strip().replace("\u2212", "-"))


def _total_loss(text: str, label: str = "total loss") -> float:
    match = re.search(label + r" = ([0-9.]+)", text)
    assert match, f"no '{label} = ...' in the read-out: {text!r}"
    return float(match.group(1))


#: The window of a laptop: 1200 px wide, with JupyterLab's file browser open beside the notebook.
WINDOW = (1200, 900)

#: Parts of the explorer that must be fully visible: read-out, controls, figure, a weight row.
FITS_JS = """
const panel = document.querySelector('.jp-NotebookPanel-notebook');
const out = document.querySelector('.cs231n-loss').closest('.jp-OutputArea-output');
const edge = panel.getBoundingClientRect().right;
const parts = ['.cs231n-loss', '.cs231n-run-N-steps', '.cs231n-reset', '.cs231n-figure', '.cs231n-reg',
               '.cs231n-w-2-2'];
const sticking = parts.filter(s => document.querySelector(s).getBoundingClientRect().right > edge + 1);
const browser = document.querySelector('.jp-FileBrowser');
return {sticking: sticking, overflow: out.scrollWidth - out.clientWidth,
        browser: browser ? browser.getBoundingClientRect().width : 0, panel: panel.clientWidth};
"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.timeout(300, method="signal")   # signal: the finally blocks still stop server and browser
def test_explorer_in_jupyterlab_at_1200px(tmp_path, lang):
    """Drag a weight slider: the read-out and the figure change, and the read-out shows the loss
    computed here. At 1200 px with the file browser open nothing sits behind a scrollbar."""
    require_browser()
    from selenium.webdriver.common.action_chains import ActionChains

    started = time.monotonic()
    work = tmp_path / "nb"
    work.mkdir()
    if lang == "zh":
        from cs231n_lin.i18n import write_settings

        write_settings(work, "zh")                # as notebooks/zh/: the kernel runs in Chinese
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(NOTEBOOK_CODE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, work / "explorer.ipynb")
    total = "总损失" if lang == "zh" else "total loss"

    with jupyter_server(work) as (base, token), \
            chromium(tmp_path / "chrome-profile", size=WINDOW) as driver:
        driver.get(f"{base}/lab/tree/explorer.ipynb?token={token}")
        _wait(driver, lambda d: d.execute_script(
            "const a = window.jupyterapp; const w = a && a.shell.currentWidget;"
            "const k = w && w.sessionContext && w.sessionContext.session"
            " && w.sessionContext.session.kernel;"
            "return !!(k && k.status === 'idle');"), WIDGET_TIMEOUT, "the notebook's kernel to be idle")
        driver.execute_script("window.jupyterapp.commands.execute('filebrowser:activate');")
        driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells');")
        _wait(driver, lambda d: total in _loss_text(d), WIDGET_TIMEOUT, "the explorer's loss read-out")
        _wait(driver, lambda d: d.execute_async_script(IMAGE_DIGEST_JS) not in (None, ""),
              CHANGE_TIMEOUT, "the explorer's figure")
        fit = driver.execute_script(FITS_JS)
        assert fit["browser"] > 150, f"the file browser is not open: {fit}"
        assert not fit["sticking"] and fit["overflow"] <= 1, f"cut off at {WINDOW[0]} px: {fit}"
        text_before = _loss_text(driver)
        image_before = driver.execute_async_script(IMAGE_DIGEST_JS)
        assert not image_before.startswith("error"), image_before
        if lang == "zh":                          # the read-out in Chinese (SVM, L_i aside)
            assert not re.findall(r"[A-Za-z]{3,}", text_before.replace("SVM", "")), text_before

        # Drag the handle of w1 of class 0 to the right with the mouse, as a user would.
        slider = driver.find_element("css selector", ".cs231n-w-0-0")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", slider)
        handle = slider.find_element("css selector", ".noUi-handle")
        readout = slider.find_element("css selector", ".widget-readout")
        value_before = _number(readout.text)
        ActionChains(driver).click_and_hold(handle).move_by_offset(15, 0).pause(0.2).release().perform()
        _wait(driver, lambda d: _number(readout.text) != value_before, CHANGE_TIMEOUT, "the slider to move")
        _wait(driver, lambda d: _loss_text(d) != text_before, CHANGE_TIMEOUT, "the loss text to change")
        _wait(driver, lambda d: d.execute_async_script(IMAGE_DIGEST_JS) != image_before,
              CHANGE_TIMEOUT, "the figure to change")
        _wait(driver,
              lambda d: abs(_total_loss(_loss_text(d), total) - _expected(_number(readout.text))) < 2e-4,
              CHANGE_TIMEOUT, "the read-out to show the loss of the slider's value")
        assert _number(readout.text) > value_before
        driver.execute_script("document.querySelector('.cs231n-figure').scrollIntoView({block: 'start'});")
        shot = tmp_path / f"explorer-{lang}.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        if os.environ.get("CS231N_LIN_SCREENSHOT"):     # maintainers: CS231N_LIN_SCREENSHOT=DIR keeps both
            folder = Path(os.environ["CS231N_LIN_SCREENSHOT"])
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, folder / shot.name)
    print(f"browser test ({lang}) took {time.monotonic() - started:.1f} s")


def _expected(w00: float) -> float:
    """Total loss of the notebook's explorer after setting W[0, 0] = w00, computed in this process."""
    from cs231n_lin.data import make_blobs_2d
    from cs231n_lin.explore import ExplorerState

    X, y = make_blobs_2d(n_per_class=100, num_classes=3, seed=0)
    state = ExplorerState(X, y, W=START_W, b=START_B, reg=0.01)
    state.set_weight(0, 0, w00)
    return state.evaluate().loss


def test_missing_browser_skips_locally_but_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-chromium"):
        require_browser(tmp_path / "no-chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require_browser(tmp_path / "no-chromium")
