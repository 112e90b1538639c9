"""A tiny text progress bar for loops in notebooks and scripts (no third-party dependency).

>>> for _ in progress(range(3), desc="demo", file=None):
...     pass
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator, Sized
from typing import TextIO, TypeVar

T = TypeVar("T")


def format_bar(done: int, total: int, width: int = 30, desc: str = "", elapsed: float | None = None) -> str:
    """One line such as ``"search [#########.........]  3/10"`` (plus ``" 1.2s"`` if ``elapsed``).

    Parameters
    ----------
    done : int
        Items finished, ``0 <= done <= total``.
    total : int
        Number of items, ``>= 0`` (a bar of 0 items is shown full).
    width : int, default=30
        Characters between the brackets, ``>= 1``.
    desc : str, default=""
        A label printed before the bar.
    elapsed : float, optional
        Seconds so far; appended when given.
    """
    if total < 0:
        raise ValueError(f"total must be >= 0; got {total}")
    if not 0 <= done <= total:
        raise ValueError(f"done must be between 0 and total={total}; got {done}")
    if width < 1:
        raise ValueError(f"width must be >= 1; got {width}")
    filled = width if total == 0 else (width * done) // total
    digits = len(str(total))
    line = f"[{'#' * filled}{'.' * (width - filled)}] {done:>{digits}}/{total}"
    if desc:
        line = f"{desc} {line}"
    if elapsed is not None:
        line += f" {elapsed:.1f}s"
    return line


def progress(iterable: Iterable[T], total: int | None = None, *, desc: str = "", width: int = 30,
             file: TextIO | None = sys.stdout, show_time: bool = False) -> Iterator[T]:
    """Yield the items of ``iterable`` while redrawing a one-line bar (``\\r``) after each.

    Parameters
    ----------
    iterable : iterable
        What to loop over.
    total : int, optional
        Number of items; taken from ``len(iterable)`` when it has one.
    desc : str, default=""
        Label before the bar.
    width : int, default=30
        Width of the bar in characters.
    file : text stream or None, default=sys.stdout
        Where to draw; ``None`` draws nothing.
    show_time : bool, default=False
        Append the elapsed seconds (off by default so that output is reproducible).

    Yields
    ------
    The items of ``iterable``, unchanged.
    """
    if total is None:
        if not isinstance(iterable, Sized):
            raise ValueError("progress() needs total= for an iterable without len()")
        total = len(iterable)
    start = time.perf_counter()

    def draw(done: int, end: str = "") -> None:
        if file is None:
            return
        elapsed = time.perf_counter() - start if show_time else None
        file.write("\r" + format_bar(min(done, total), total, width, desc, elapsed) + end)
        file.flush()

    draw(0)
    done = 0
    for item in iterable:
        yield item
        done += 1
        draw(done)
    draw(done, end="\n")
