"""Tests of the per-dataset starting hyper-parameters."""

import pytest

from cs231n_lin.classifiers import LinearSVM, Softmax
from cs231n_lin.data import DATASETS
from cs231n_lin.hyperparams import DEFAULTS, defaults_for


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("model, cls", [("svm", LinearSVM), ("svm_squared", LinearSVM), ("softmax", Softmax)])
def test_defaults_are_valid_estimator_parameters(dataset, model, cls):
    params = defaults_for(dataset, model)
    cls(**params)._check_params()             # every key is a parameter, every value allowed


def test_defaults_for_returns_a_copy():
    params = defaults_for("digits", "softmax")
    params["reg"] = 123.0
    assert DEFAULTS["digits"]["softmax"]["reg"] != 123.0


def test_unknown_model_or_dataset():
    with pytest.raises(ValueError, match=r"no defaults for model 'knn' on dataset 'digits'.*digits/svm"):
        defaults_for("digits", "knn")
    with pytest.raises(ValueError, match=r"dataset 'mnist'"):
        defaults_for("mnist", "svm")
