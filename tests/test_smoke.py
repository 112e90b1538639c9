import numpy as np

from cs231n_lin.classifiers import softmax_loss_vectorized, svm_loss_vectorized


def test_zero_weights_give_known_losses():
    X = np.ones((4, 3))
    y = np.array([0, 1, 2, 3])
    W = np.zeros((3, 4))
    assert svm_loss_vectorized(W, X, y, 0.0)[0] == 3.0
    assert np.isclose(softmax_loss_vectorized(W, X, y, 0.0)[0], np.log(4))
