"""Result types: Gradescope's results.json schema and validation."""

import json

import pytest

from cs231n_lin.grading.records.results import VISIBILITIES, SubmissionResult, TestResult


def test_gradescope_schema_round_trip():
    res = SubmissionResult([TestResult("a", 1.0, 2.0, "half", "visible"),
                            TestResult("b", 3.0, 3.0, "", "after_published")], "hello", 1.23456)
    data = json.loads(json.dumps(res.to_gradescope()))
    assert set(data) == {"score", "execution_time", "output", "tests"}
    assert data["score"] == 4.0 and data["execution_time"] == 1.235
    assert [set(t) for t in data["tests"]] == [{"name", "score", "max_score", "output", "visibility"}] * 2
    back = SubmissionResult.from_gradescope(data)
    assert back.to_gradescope() == data
    assert res.max_score == 5.0


@pytest.mark.parametrize("kwargs, word", [
    ({"score": 3.0, "max_score": 2.0}, "score"),
    ({"score": -1.0, "max_score": 2.0}, "score"),
    ({"score": float("nan"), "max_score": 2.0}, "score"),
    ({"score": 0.0, "max_score": float("inf")}, "max_score"),
    ({"score": 0.0, "max_score": 1.0, "visibility": "sometimes"}, "visibility"),
])
def test_bad_results_are_rejected(kwargs, word):
    with pytest.raises(ValueError, match=word):
        TestResult("t", **kwargs)


def test_visibilities_are_gradescopes():
    assert set(VISIBILITIES) == {"visible", "hidden", "after_due_date", "after_published"}
