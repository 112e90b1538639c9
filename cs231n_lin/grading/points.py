"""Points of the visible checks, per part (a test module or a notebook), for ``cs231n-lin check``.

A part's points are shared equally by its tests (or, for a notebook, its executed cells).
Parts not listed here still run and are reported, as practice without points. The hidden
tests carry their own points and are run only at grading.
"""

from __future__ import annotations

VISIBLE_POINTS: dict[str, float] = {
    "tests/classifiers/test_linear_svm.py": 20.0,
    "tests/classifiers/test_softmax.py": 20.0,
    "tests/classifiers/test_linear_classifier.py": 10.0,
    "notebooks/01_svm_hinge_loss.ipynb": 10.0,
    "notebooks/02_squared_hinge.ipynb": 5.0,
    "notebooks/03_softmax_cross_entropy.ipynb": 10.0,
    "notebooks/04_numeric_stability.ipynb": 5.0,
    "notebooks/05_svm_vs_softmax.ipynb": 10.0,
}
