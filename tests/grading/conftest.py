"""Fixtures shared by the grading tests: one graded batch per test session (see ``shared_batch.py``)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from filelock import FileLock

sys.path.insert(0, os.path.dirname(__file__))

_PATHS = ("out", "refnb", "hidden", "release")


@pytest.fixture(scope="session")
def shared_batch(tmp_path_factory):
    """The batch of ``shared_batch.py``, graded once per run; ``{"out", "refnb", "hidden", "json", "subs"}``.

    Under pytest-xdist (``make test``: ``-n 2 --dist loadscope``) the workers share one copy: the
    first worker to need it grades it under a file lock in the run's common temporary folder and
    writes ``done.json``; the others wait for the lock and read it (the pattern pytest-xdist's
    documentation gives for session fixtures). Tests must not write into ``out``: copy what they
    change (``test_report`` copies its submissions' results to a folder of its own).
    """
    from shared_batch import grade_shared_batch

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return grade_shared_batch(tmp_path_factory.mktemp("shared_batch"))
    root = tmp_path_factory.getbasetemp().parent / "shared_batch"
    done = root / "done.json"
    with FileLock(str(root) + ".lock"):
        if not done.is_file():
            if root.exists():               # left half-built by a worker that crashed
                shutil.rmtree(root)
            root.mkdir()
            batch = grade_shared_batch(root)
            record = {**{k: str(batch[k]) for k in _PATHS}, "json": batch["json"],
                      "seconds": batch["seconds"],
                      "subs": {k: str(v) for k, v in batch["subs"].items()}}
            done.write_text(json.dumps(record))
    record = json.loads(done.read_text())
    return {**{k: Path(record[k]) for k in _PATHS}, "json": record["json"], "seconds": record["seconds"],
            "subs": {k: Path(v) for k, v in record["subs"].items()}}
