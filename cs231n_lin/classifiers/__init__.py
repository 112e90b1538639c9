"""The code students write: loss functions and the SGD-trained linear classifiers.

``cs231n_lin.classifiers.softmax`` is the module (``from cs231n_lin.classifiers.softmax import
softmax`` gives the function); the function is not re-exported here, so that its name cannot
hide the module's. :mod:`~cs231n_lin.classifiers.registry` maps loss names to their functions.
"""

from cs231n_lin.classifiers.linear_classifier import LinearSVM, Softmax
from cs231n_lin.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from cs231n_lin.classifiers.registry import LossSpec, get_loss, loss_names, register
from cs231n_lin.classifiers.softmax import log_softmax, softmax_loss_naive, softmax_loss_vectorized

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
