"""The parts of ``cs231n-lin check`` and their points: the one place points of visible checks live.

A part's points are shared equally by its checks. Package parts list their checks here (each
with the student's function or class it is applied to); a notebook part holds the checks of
notebook-cell functions found in that notebook's check cells. Hidden tests carry their own
points and run only at grading.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NOTEBOOK_POINTS", "PACKAGE_PARTS", "PackageCheck", "Part", "part_for_notebook"]


@dataclass(frozen=True)
class PackageCheck:
    """A named check applied to one student object, e.g. ``svm_vectorized`` on ``svm_loss_vectorized``."""

    check: str            # name in cs231n_lin.checks
    target: str           # "module:attribute" of the student's function or class
    id: str = ""          # unique id in the report (default: the check's name)

    @property
    def key(self) -> str:
        return self.id or self.check


@dataclass(frozen=True)
class Part:
    """A part of the assignment with points; ``checks`` is empty for a notebook part (found at run time)."""

    name: str
    title: str
    points: float
    checks: tuple[PackageCheck, ...] = ()
    notebook: str | None = None     # file name under notebooks/ for a notebook part


_SVM = "cs231n_lin.classifiers.linear_svm"
_SM = "cs231n_lin.classifiers.softmax"
_LC = "cs231n_lin.classifiers.linear_classifier"

PACKAGE_PARTS: tuple[Part, ...] = (
    Part("svm", "SVM losses (cs231n_lin/classifiers/linear_svm.py)", 20.0, (
        PackageCheck("svm_naive_loss", f"{_SVM}:svm_loss_naive"),
        PackageCheck("svm_naive_gradient", f"{_SVM}:svm_loss_naive"),
        PackageCheck("svm_vectorized", f"{_SVM}:svm_loss_vectorized"),
        PackageCheck("svm_squared", f"{_SVM}:svm_loss_vectorized"),
    )),
    Part("softmax", "Softmax (cs231n_lin/classifiers/softmax.py)", 20.0, (
        PackageCheck("softmax_naive", f"{_SM}:softmax_loss_naive"),
        PackageCheck("softmax_vectorized", f"{_SM}:softmax_loss_vectorized"),
        PackageCheck("softmax", f"{_SM}:softmax"),
        PackageCheck("log_softmax", f"{_SM}:log_softmax"),
    )),
    Part("sgd", "SGD step and predict (cs231n_lin/classifiers/linear_classifier.py)", 10.0, (
        PackageCheck("sgd_step", f"{_LC}:LinearSVM"),
        PackageCheck("predict", f"{_LC}:LinearSVM"),
    )),
)

#: Points of the checks of notebook-cell functions, per notebook (file name under notebooks/).
NOTEBOOK_POINTS: dict[str, float] = {
    "01_svm_hinge_loss.ipynb": 10.0,
    "02_squared_hinge.ipynb": 5.0,
    "03_softmax_cross_entropy.ipynb": 10.0,
    "04_numeric_stability.ipynb": 5.0,
    "05_svm_vs_softmax.ipynb": 10.0,
}


def part_for_notebook(filename: str) -> Part:
    """The notebook part of ``notebooks/<filename>``; its name is the two-digit prefix ("01")."""
    return Part(filename[:2], f"notebook {filename}", NOTEBOOK_POINTS.get(filename, 0.0), notebook=filename)
