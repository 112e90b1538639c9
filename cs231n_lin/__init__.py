"""cs231n-lin: linear classifiers (multiclass SVM and softmax) as a course assignment.

The student-facing code lives in :mod:`cs231n_lin.classifiers`; the grading tools live in
:mod:`cs231n_lin.grading`.
"""

__version__ = "0.1.0"
