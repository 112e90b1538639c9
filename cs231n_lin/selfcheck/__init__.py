"""``cs231n-lin check``: the student's self-check, every task of the table judged as its check cell judges it.

:mod:`~cs231n_lin.selfcheck.plan` finds each task in the student's copy and runs the checks in a
subprocess (:mod:`~cs231n_lin.selfcheck.runner`, also used by the grader inside its sandbox);
:mod:`~cs231n_lin.selfcheck.printout` scores them on the task table's one scale and prints one screen.
"""

from cs231n_lin.selfcheck.plan import main

__all__ = ["main"]
