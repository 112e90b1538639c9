"""The code students write: loss functions and the SGD-trained linear classifiers."""

from cs231n_lin.classifiers.linear_classifier import LinearSVM, Softmax
from cs231n_lin.classifiers.linear_svm import svm_loss_naive, svm_loss_vectorized
from cs231n_lin.classifiers.softmax import (
    log_softmax,
    softmax,
    softmax_loss_naive,
    softmax_loss_vectorized,
)

__all__ = [
    "LinearSVM",
    "Softmax",
    "log_softmax",
    "softmax",
    "softmax_loss_naive",
    "softmax_loss_vectorized",
    "svm_loss_naive",
    "svm_loss_vectorized",
]
