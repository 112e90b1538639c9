"""Fixtures shared by the grading tests: one graded batch per test session (see ``shared_batch.py``)."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))


@pytest.fixture(scope="session")
def shared_batch(tmp_path_factory):
    """The batch of ``shared_batch.py``, graded once; ``{"out", "refnb", "hidden", "json", "subs"}``.

    Session-scoped: under pytest-xdist every test using it is in one ``xdist_group``
    (``tests/conftest.py``), so it is graded once per run. Tests must not write into ``out``:
    copy what they change (``test_report`` copies its submissions' results to its own folder).
    """
    from shared_batch import grade_shared_batch

    return grade_shared_batch(tmp_path_factory.mktemp("shared_batch"))
