"""The package's one progress bar: :mod:`tqdm`, set up the same way everywhere.

Used for loops (:func:`progress`) and for downloads (:func:`download_bar`, bytes with a rate).
The bar is plain ASCII (``#``), is drawn in place (``\\r``) and always ends with its final state
on a line of its own, so a log or a notebook keeps the finished bar.

>>> for _ in progress(range(3), desc="demo", file=None):
...     pass
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sized
from typing import TextIO, TypeVar

from tqdm import tqdm

__all__ = ["download_bar", "progress"]

T = TypeVar("T")

_LOOP_FORMAT = "[{bar}] {n_fmt}/{total_fmt}"


def progress(iterable: Iterable[T], total: int | None = None, *, desc: str = "", width: int = 30,
             file: TextIO | None = sys.stdout, show_time: bool = False) -> Iterator[T]:
    """Yield the items of ``iterable`` while a one-line bar (tqdm) shows how many are done.

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
        Append the elapsed time (off by default so that the final line is reproducible).

    Yields
    ------
    The items of ``iterable``, unchanged.

    Raises
    ------
    ValueError
        For an iterable without ``len()`` and no ``total``.
    """
    if total is None:
        if not isinstance(iterable, Sized):
            raise ValueError("progress() needs total= for an iterable without len()")
        total = len(iterable)
    if total < 0:
        raise ValueError(f"total must be >= 0; got {total}")
    fmt = ("{desc}: " if desc else "") + _LOOP_FORMAT + (" {elapsed}" if show_time else "")
    with tqdm(iterable, total=total, desc=desc or None, file=file, disable=file is None, ascii=" #",
              ncols=None, bar_format=fmt.replace("{bar}", f"{{bar:{width}}}"), dynamic_ncols=False,
              leave=True) as bar:
        yield from bar


def download_bar(label: str, total: int | None, *, initial: int = 0,
                 file: TextIO | None = sys.stderr) -> tqdm:
    """A byte-counting bar for a download: ``bar.update(n_bytes)`` after each chunk, then ``close()``.

    Shows the percentage, megabytes done and the rate (and without ``total``, only megabytes and
    rate). On a file that is not a terminal, tqdm redraws at most every few seconds.
    """
    return tqdm(total=total, initial=initial, desc=label, file=file, disable=file is None, ascii=" #",
                unit="B", unit_scale=True, unit_divisor=1000, ncols=100, leave=True,
                mininterval=0.1 if getattr(file, "isatty", lambda: False)() else 5.0)
