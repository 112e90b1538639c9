"""Notebook grading units: what enters the sandbox, which names a check cell is judged by, the
comparison of returned data, and the shipped notebooks staying gradable outside the kernel."""

from __future__ import annotations

import json
import os
import sys

import numpy as np

from cs231n_lin.grading.judge import nbcases
from cs231n_lin.grading.records import nbgrade
from cs231n_lin.grading.run.worker import Opaque

sys.path.insert(0, os.path.dirname(__file__))
import grading_nbfixtures as nbf  # noqa: E402
from grading_subs import REPO  # noqa: E402

ANSWER = "<!-- BEGIN SOLUTION -->\nThe instructor's answer.\n<!-- END SOLUTION -->"


def _reference():
    return nbf.notebook(extra=[{"cell_type": "markdown", "id": "q1", "metadata": {}, "source": ANSWER}])


def test_rebuilt_notebook_has_no_outputs_and_no_instructor_answers():
    student = nbf.notebook("def double(x):\n    return x + x", out1="FAKE\n")
    student["cells"].insert(3, {"cell_type": "markdown", "id": "q1", "metadata": {}, "source": "my answer"})
    nb = nbgrade.rebuild(_reference(), student)
    text = json.dumps(nb)
    assert "instructor's answer" not in text and "my answer" in text
    assert "return x + x" in text and "FAKE" not in text and "42" not in text.replace("double(21)", "")
    assert all(c["outputs"] == [] for c in nb["cells"] if c["cell_type"] == "code")


def test_a_missing_solution_cell_raises_in_the_run_naming_its_id():
    nb = nbgrade.rebuild(_reference(), None)
    src = [c["source"] for c in nb["cells"] if c.get("id") == "sol1"][0]
    assert src.startswith("raise NotImplementedError") and "sol1" in src and "missing" in src


def test_same_value_compares_structure_shape_and_values():
    want = (np.array([1.0, 2.0]), 3.0)
    assert nbcases.same_value((np.array([1.0, 2.0 + 1e-12]), 3.0), want)
    assert not nbcases.same_value((np.array([1.0, 2.1]), 3.0), want)
    assert not nbcases.same_value((np.array([[1.0, 2.0]]), 3.0), want)      # shape
    assert not nbcases.same_value([np.array([1.0, 2.0])], want)              # length
    assert not nbcases.same_value((Opaque("Liar"), 3.0), want)
    assert not nbcases.same_value((np.array(["a", "b"]), 3.0), want)


def test_notebook_case_inputs_are_seeded_and_validated():
    case = {"function": "f", "seed": 4, "args": {"x": {"normal": [3], "scale": 2.0}, "y": 1,
                                                 "k": {"int": 5, "shape": [2]}}}
    a1, s1 = nbcases.case_inputs(case)
    a2, _ = nbcases.case_inputs(case)
    assert np.array_equal(a1["x"], a2["x"]) and s1 == {"y": 1} and a1["k"].max() < 5
    try:
        nbcases.case_inputs({"function": "f", "seed": 1, "args": {"x": "nope"}})
    except ValueError as exc:
        assert "'x'" in str(exc)
    else:
        raise AssertionError("an unknown argument spec must be refused")


def test_reference_value_runs_the_reference_solution_cells():
    case = {"function": "notebook:double", "seed": 1, "args": {"x": 21}}
    assert nbcases.reference_value(case, _reference(), "tiny.ipynb") == 42


def test_every_notebook_case_runs_on_its_reference_notebook():
    """The hidden notebook cases stay in line with the shipped notebooks."""
    from cs231n_lin import tasks
    from cs231n_lin.grading.judge import taskcases

    refs = nbgrade.reference_notebooks(REPO / "notebooks")
    for task_id, cases in taskcases.load_cases(REPO / "tests" / "hidden").items():
        nb = tasks.get(task_id).notebook
        for case in cases:
            if case["function"].startswith("notebook:") and "args" in case:
                assert nbcases.reference_value(case, refs[nb], nb) is not None, case
