"""Where the package and the checkout it runs from are: the one place that computes them.

Everything that needs the repository (the data cache, the notebooks folder, the instructor's
release and grader) asks here instead of counting ``parents`` of its own ``__file__``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PACKAGE_DIR", "package_dir", "repo_root"]

#: The ``cs231n_lin`` package directory of this installation.
PACKAGE_DIR = Path(__file__).resolve().parent


def package_dir() -> Path:
    """The installed ``cs231n_lin`` package directory (the instructor's, in the grader)."""
    return PACKAGE_DIR


def repo_root() -> Path | None:
    """The checkout this package runs from, else ``None`` (e.g. installed into site-packages).

    A checkout is the package's parent folder when it holds the project's ``pyproject.toml``
    (``name = "cs231n-lin"``): the instructor's repository or a student's copy of the release.
    """
    root = PACKAGE_DIR.parent
    pyproject = root / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        return None
    return root if 'name = "cs231n-lin"' in text else None
