"""Cell predicates of cs231n_lin.checks.cells: what `check`, release and the grader call a check cell."""

from __future__ import annotations

from cs231n_lin.checks.cells import is_check_cell, is_solution_cell, named_check_call, section_heading


def code(src: str, tags=()) -> dict:
    return {"cell_type": "code", "source": src, "metadata": {"tags": list(tags)}}


def md(src: str) -> dict:
    return {"cell_type": "markdown", "source": src, "metadata": {}}


def test_check_cell_by_tag_or_legacy_comment():
    assert is_check_cell(code("checks.svm_naive_loss(svm_loss_naive)", tags=["nbval-check-output"]))
    assert is_check_cell(code("# NBVAL_CHECK_OUTPUT\nprint(1)\n"))
    assert not is_check_cell(code("checks.svm_naive_loss(svm_loss_naive)"))      # untagged: not compared
    assert not is_check_cell(md("# NBVAL_CHECK_OUTPUT"))


def test_solution_cell_needs_a_marker_line():
    assert is_solution_cell(code("def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n"))
    assert not is_solution_cell(code("print('# BEGIN SOLUTION is a marker')"))
    assert is_solution_cell(md("Q?\n<!-- BEGIN SOLUTION -->\nA\n<!-- END SOLUTION -->"))


def test_named_check_call_is_the_last_call_of_the_cell():
    assert named_check_call(code("checks.softmax(softmax)")) == "softmax"
    assert named_check_call(code("r = checks.sgd_step(LinearSVM)\nr")) == "sgd_step"
    assert named_check_call(code("x = 1\nchecks.a(f)\nchecks.b(g)\n")) == "b"
    assert named_check_call(code("print('checks.x(y)')")) is None
    assert named_check_call(md("checks.softmax(softmax)")) is None


def test_section_heading_is_the_last_heading_above():
    cells = [md("# Title\n\nText"), code("x = 1"), md("## Your code: the loss\nwrite it"), code("y = 2"),
             md("Some text, no heading"), code("z = 3")]
    assert section_heading(cells, 1) == "Title"
    assert section_heading(cells, 5) == "Your code: the loss"
    assert section_heading(cells, 0) == ""
