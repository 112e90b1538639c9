"""Instructor tooling: release the student version, self-check, grade, Gradescope packaging.

Each verb lives in its own module with a ``main(...)`` taking keyword-only arguments;
``cs231n_lin.cli`` only wires them up. Nothing heavy is imported here.
"""
