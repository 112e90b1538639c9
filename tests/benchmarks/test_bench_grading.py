"""The grading benchmark's submissions are what its rows say (no timing asserted: ``make bench`` measures)."""

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.bench_grading import _submission

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import inspect, json
import numpy as np
from cs231n_lin.classifiers import linear_svm as m
rng = np.random.default_rng(0)
W, X, y = rng.standard_normal((5, 3)), rng.standard_normal((7, 5)), rng.integers(0, 3, 7)
fast, naive = m.svm_loss_vectorized(W, X, y, 0.1), m.svm_loss_naive(W, X, y, 0.1)
source = inspect.getsource(m.svm_loss_vectorized)
print(json.dumps({"file": m.__file__, "calls_naive": "svm_loss_naive(" in source,
                  "same": bool(np.isclose(fast[0], naive[0]) and np.allclose(fast[1], naive[1]))}))
"""


def _probe(sub):
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=sub, env={"PYTHONPATH": str(sub)},
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_typical_and_looping_submissions(tmp_path):
    good, looping = _submission(tmp_path / "good"), _submission(tmp_path / "looping", looping=True)
    lessons = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    for sub in (good, looping):                                   # notebooks included
        assert sorted(p.name for p in (sub / "notebooks").glob("*.ipynb")) == lessons
    typical, slow = _probe(good), _probe(looping)
    assert typical["file"].startswith(str(good)) and slow["file"].startswith(str(looping))
    assert not typical["calls_naive"] and slow["calls_naive"]     # the looping one loops, correctly
    assert typical["same"] and slow["same"]
