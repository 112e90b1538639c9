"""The code students write: loss functions and the SGD-trained linear classifiers.

:mod:`~cs231n_lin.classifiers.registry` maps loss names to their functions. The softmax
function is imported from its module (``from cs231n_lin.classifiers.softmax import softmax``):
the package attribute ``cs231n_lin.classifiers.softmax`` is that module, not the function.
"""

from cs231n_lin.classifiers.linear_classifier import LinearSVM, Softmax
from cs231n_lin.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from cs231n_lin.classifiers.registry import LossSpec, get_loss, loss_names, register
from cs231n_lin.classifiers.softmax import (
    log_softmax,
    softmax_loss_naive,
    softmax_loss_vectorized,
)

__all__ = [
    "LinearSVM",
    "LossSpec",
    "Softmax",
    "get_loss",
    "log_softmax",
    "loss_names",
    "register",
    "softmax_loss_naive",
    "softmax_loss_vectorized",
    "svm_loss_naive",
    "svm_loss_vectorized",
]
