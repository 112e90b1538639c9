"""Headless Chromium for the browser tests (Debian's ``chromium`` and ``chromium-driver``), in one place.

Used by ``tests/test_html_math_offline.py`` and ``tests/test_explorer_browser.py``:
:func:`require_browser` skips a test when Chromium is missing (and fails it when ``CI`` is set),
:func:`chromium` starts and always stops one browser.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
#: Flags of every run: headless, no sandbox (containers), nothing fetched in the background.
BASE_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--no-first-run")
#: Flags that leave the browser no network: no host name resolves, so a CDN cannot be reached.
OFFLINE_FLAGS = ("--host-resolver-rules=MAP * ~NOTFOUND", "--allow-file-access-from-files")


def require_browser(chromium: Path | None = None, chromedriver: Path | None = None) -> None:
    """Skip (or, under ``CI``, fail) the calling test when Chromium or its driver is missing."""
    paths = (chromium or CHROMIUM, chromedriver or CHROMEDRIVER)
    missing = [str(p) for p in paths if not p.exists()]
    if not missing:
        return
    message = (f"{' and '.join(missing)} not found; install with "
               "`apt-get install -y chromium chromium-driver` (.ci/run does this)")
    if os.environ.get("CI"):
        pytest.fail("CI is set, so the browser test must run, but " + message)
    pytest.skip(message)


@contextlib.contextmanager
def chromium(profile: Path, *, size: tuple[int, int] = (1200, 900), offline: bool = False,
             script_timeout: float = 30) -> Iterator:
    """A selenium driver of headless Chromium with a window of ``size`` pixels; always quit.

    Selenium is told never to download a browser (``SE_OFFLINE``).
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    flags = [*BASE_FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}"]
    if offline:
        flags += OFFLINE_FLAGS
    for flag in flags:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(script_timeout)
        yield driver
    finally:
        driver.quit()
