"""Adversarial submissions: each is graded correctly, the grader survives, and the batch finishes.

Hidden cases here are the small two-case set (svm_loss_vectorized: loss 1 + grad 1 + unmodified 1;
softmax at scale 1e4: 1). Every submission below breaks (or attacks through) svm_loss_vectorized
and keeps the reference softmax, so it should earn exactly ``EXPECTED`` points.
"""

from __future__ import annotations

import json
import os
import sys
import time

from cs231n_lin.cli import main as cli
from cs231n_lin.grading import sandbox
from cs231n_lin.grading.grade import GradeOptions, grade_submission
from cs231n_lin.grading.sandbox import Limits

sys.path.insert(0, os.path.dirname(__file__))
import grading_nbfixtures as nbf  # noqa: E402
from grading_subs import REPO, make_submission, small_hidden  # noqa: E402

# Only the namespaces mode hides the reference and isolates /tmp; the weaker fallbacks (no
# namespaces, see grading/sandbox.py) protect by file permissions only, as documented.
STRONG = sandbox.detect_mode() == "namespaces"
SIG = "def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):\n"
HIDDEN_CASES = REPO / "tests" / "hidden" / "cases.py"
OUTSIDE = "/tmp/cs231n-adversarial-outside.txt"

# name -> (svm_loss_vectorized replacement or None, extra module-level code for linear_svm.py, expected)
CATALOGUE = {
    "exit_at_import": (None, "import sys\nsys.exit(0)\n", 0),
    "os_exit_in_function": (SIG + "    import os\n    os._exit(0)\n", "", 1),
    "infinite_loop": (SIG + "    while True:\n        pass\n", "", 1),
    "allocate_50gb": (SIG + "    import numpy as np\n    big = np.ones(50 * 1024**3 // 8)\n"
                      "    return float(big.sum()), W\n", "", 1),
    "fork_bomb": (SIG + "    import os\n    while True:\n        os.fork()\n", "", 1),
    "print_100mb": (SIG + "    import sys\n    for _ in range(100):\n"
                    "        sys.stdout.write('x' * 2**20)\n    return 0.0, W * 0\n", "", 1),
    "read_hidden_tests": (SIG + f"    exec(open({str(HIDDEN_CASES)!r}).read(), {{}})\n"
                          "    return 0.0, W * 0\n", "", 1),
    "import_reference": (SIG + "    import importlib.util\n"
                         "    spec = importlib.util.spec_from_file_location('ref', "
                         f"{str(REPO / 'cs231n_lin' / 'classifiers' / 'linear_svm.py')!r})\n"
                         "    ref = importlib.util.module_from_spec(spec)\n    spec.loader.exec_module(ref)\n"
                         "    return ref.svm_loss_vectorized(W, X, y, reg, delta, squared)\n", "",
                         1 if STRONG else 4),
    "monkeypatch_numpy": (SIG + "    return 0.0, W * 0\n",
                          "import numpy\nnumpy.allclose = lambda *a, **k: True\n"
                          "numpy.array_equal = lambda *a, **k: True\n"
                          "numpy.testing.assert_allclose = lambda *a, **k: None\n", 1),
    "tamper_with_driver": (SIG + "    return 0.0, W * 0\n", (
        "import sys, json\n"
        "main = sys.modules.get('__main__')\n"
        "if main is not None and hasattr(main, '_run_task'):\n"
        "    def fake(task, inputs, modules, out_dir, perf, np):\n"
        "        open(out_dir + '/' + task['id'] + '.json', 'w').write(json.dumps(\n"
        "            {'id': task['id'], 'ok': True, 'returned': {'kind': 'other', 'type': 'float'}}))\n"
        "    main._run_task = fake\n"), 0),
    "excepthook": (SIG + "    raise ValueError('hidden by excepthook')\n",
                   "import sys\nsys.excepthook = lambda *a: None\n", 1),
    "write_outside": (SIG + "    for p in [" + repr(OUTSIDE) + ", " + repr(str(REPO / "evil.txt")) + "]:\n"
                      "        try:\n            open(p, 'w').write('pwned')\n        except OSError:\n"
                      "            pass\n    return 0.0, W * 0\n", "", 1),
    "always_equal": (SIG + "    import numpy as np\n"
                     "    class Liar(float):\n        def __eq__(self, o):\n            return True\n"
                     "        __hash__ = float.__hash__\n"
                     "    class LiarArray(np.ndarray):\n"
                     "        def __eq__(self, o):\n            return True\n"
                     "    return Liar(0.0), np.zeros_like(W).view(LiarArray)\n", "", 1),
}


def _build(tmp_path):
    subs = []
    for name, (func, prelude, _) in CATALOGUE.items():
        sub = make_submission(tmp_path / "subs" / name,
                              replace={"svm_loss_vectorized": func} if func else None)
        if prelude:
            path = sub / "cs231n_lin" / "classifiers" / "linear_svm.py"
            text = path.read_text()
            marker = "from cs231n_lin._validation"
            path.write_text(text.replace(marker, prelude + marker, 1))
        subs.append(sub)
    return subs


def test_adversarial_batch(tmp_path):
    if os.path.exists(OUTSIDE):
        os.unlink(OUTSIDE)
    subs = _build(tmp_path)
    hidden = small_hidden(tmp_path)
    out = tmp_path / "out"
    start = time.monotonic()
    rc = cli(["grade", *map(str, subs), "--out", str(out), "--jobs", "2", "--hidden", str(hidden),
              "--no-notebooks", "--wall", "5", "--memory-mb", "2048"])
    elapsed = time.monotonic() - start
    assert rc == 0
    scores = {n: json.loads((out / n / "results.json").read_text())["score"] for n in CATALOGUE}
    expected = {n: e for n, (_, _, e) in CATALOGUE.items()}
    assert scores == expected
    if STRONG:
        assert not os.path.exists(OUTSIDE) and not (REPO / "evil.txt").exists()
    print(f"adversarial batch of {len(subs)} submissions: {elapsed:.1f} s")
    res = json.loads((out / "infinite_loop" / "results.json").read_text())
    assert "ran out of time" in json.dumps(res)


def test_notebook_cannot_hide_exceptions(tmp_path):
    """A solution cell overriding sys.excepthook and IPython's showtraceback hides nothing."""
    ref_dir = tmp_path / "refnb"
    nbf.write(ref_dir / "tiny.ipynb", nbf.notebook(check1=nbf.CHECK1 + "\nraise RuntimeError('boom')"))
    patch = ("import sys\nsys.excepthook = lambda *a: None\n"
             "get_ipython().showtraceback = lambda *a, **k: None\n"
             "get_ipython().showsyntaxerror = lambda *a, **k: None")
    sub = make_submission(tmp_path / "sub")
    nbf.write(sub / "notebooks" / "tiny.ipynb", nbf.notebook("def double(x):\n    return 2 * x\n" + patch))
    opts = GradeOptions(hidden_dir=small_hidden(tmp_path), notebooks_dir=ref_dir, limits=Limits(wall=60))
    res = grade_submission(sub, opts)
    nb = [t for t in res.tests if t.name.startswith("tiny")]
    assert nb[0].score == 0 and "exception" in nb[0].output
    assert nb[1].score == 1
