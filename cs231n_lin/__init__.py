"""cs231n-lin: linear classifiers (multiclass SVM and softmax) as a course assignment.

The code you write lives in :mod:`cs231n_lin.classifiers`; :mod:`cs231n_lin.checks` checks it
(``cs231n-lin check``), and :mod:`cs231n_lin.explore` is the interactive explorer.
"""

__version__ = "0.1.0"
