"""How a failed notebook check cell is described in the grade's feedback."""

from __future__ import annotations

from cs231n_lin.grading.nbgrade import _cell_message

CODE = "# NBVAL_CHECK_OUTPUT\n" + "x = 1\n" * 400


def test_a_long_report_keeps_the_exception_and_names_it_first():
    text = f"Cell 9: Cell execution caused an exception\nInput:\n{CODE}\nTraceback:\n" + "  frame\n" * 300 + (
        "NameError: name 'hinge_of_scores' is not defined\n")
    msg = _cell_message(text)
    assert msg.splitlines()[0] == "NameError: name 'hinge_of_scores' is not defined"
    assert msg.rstrip().endswith("NameError: name 'hinge_of_scores' is not defined")
    assert "[...]" in msg and len(msg) < 1700


def test_a_differing_output_is_named_by_its_first_fail_line():
    text = ("Cell 11: Cell outputs differ\nInput:\nprint('PASS' if ok else 'FAIL: no')\nTraceback:\n"
            " mismatch 'stdout'\n  - reg=0.0: loss FAIL (naive 1.5, vectorized 15)\n  + reg=0.0: loss PASS\n")
    msg = _cell_message(text)
    assert msg.splitlines()[0] == "reg=0.0: loss FAIL (naive 1.5, vectorized 15)"
    assert msg.endswith(text)                       # short reports are kept whole
