"""The worker sandbox: what student code can and cannot do, and how results come back."""

from __future__ import annotations

import json
import os
import sys
import textwrap

import numpy as np
import pytest

from cs231n_lin.grading.run import sandbox, worker
from cs231n_lin.grading.run.sandbox import Limits
from cs231n_lin.grading.run.worker import Opaque, Task

sys.path.insert(0, os.path.dirname(__file__))
from grading_subs import REPO, make_submission  # noqa: E402

PROBE = textwrap.dedent("""
    import json, os, socket, sys
    out = {"uid": os.getuid()}
    def attempt(name, fn):
        try:
            fn(); out[name] = "ok"
        except BaseException as exc:
            out[name] = type(exc).__name__
    attempt("open_hidden", lambda: open(HIDDEN).read())
    attempt("open_reference", lambda: open(REFERENCE).read())
    def import_reference():
        sys.path.insert(0, REPO)
        import cs231n_lin.grading.grade
    attempt("import_reference", import_reference)
    def connect():
        s = socket.create_connection(("1.1.1.1", 53), timeout=2)
    attempt("network", connect)
    attempt("write_root", lambda: open("/evil.txt", "w").write("x"))
    attempt("write_repo", lambda: open(os.path.join(REPO, "evil.txt"), "w").write("x"))
    attempt("write_sandbox", lambda: open("written.txt", "w").write("x"))
    print(json.dumps(out))
""")


def _run(tmp_path, code, limits=None, mode=None):
    box = worker.make_sandbox_dir(tmp_path)
    sub = box / "submission"
    sub.mkdir()
    if os.geteuid() == 0:
        os.chown(sub, sandbox.sandbox_uid(), sandbox.sandbox_uid())
    mode = mode or sandbox.detect_mode()
    res = sandbox.run_sandboxed(
        [sandbox.python_paths()["executable"], "-I", "-c", code], sandbox_dir=str(box),
        cwd=sandbox.inside(str(sub), str(box), mode), limits=limits or Limits(wall=20),
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"}, hide=worker.hidden_paths(), mode=mode)
    return res, sub


STRONG_MODES = ["bwrap"] if sandbox.bwrap_works() else []


@pytest.mark.skipif(not STRONG_MODES, reason="bubblewrap does not work here")
@pytest.mark.parametrize("mode", STRONG_MODES)
def test_strong_sandbox_hides_secrets_and_network(tmp_path, mode):
    hidden = REPO / "tests" / "hidden" / "cases.py"
    reference = REPO / "cs231n_lin" / "classifiers" / "linear_svm.py"
    assert hidden.is_file() and reference.is_file()      # they exist for the grader...
    code = f"HIDDEN={str(hidden)!r}; REFERENCE={str(reference)!r}; REPO={str(REPO)!r}\n" + PROBE
    res, sub = _run(tmp_path, code, mode=mode)
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["uid"] == (sandbox.sandbox_uid() if os.geteuid() == 0 else os.getuid())
    assert out["uid"] != 0                                # ...but not for the student's code
    assert out["open_hidden"] in ("FileNotFoundError", "PermissionError")
    assert out["open_reference"] in ("FileNotFoundError", "PermissionError")
    assert out["import_reference"] == "ModuleNotFoundError"
    assert out["network"] != "ok"
    assert out["write_root"] != "ok" and out["write_repo"] != "ok"
    assert out["write_sandbox"] == "ok" and (sub / "written.txt").is_file()
    assert not (REPO / "evil.txt").exists()


def test_time_limit_kills_an_infinite_loop(tmp_path):
    res, _ = _run(tmp_path, "while True: pass", limits=Limits(wall=2, cpu=10))
    assert res.timed_out and res.seconds < 10


def test_memory_and_output_limits(tmp_path):
    code = textwrap.dedent("""
        try:
            b = bytearray(50 * 1024**3)
            print("allocated")
        except MemoryError:
            print("MemoryError")
        import sys
        try:
            sys.stdout.write("x" * (8 * 1024**2)); sys.stdout.flush()
        except OSError as e:
            print("capped", file=sys.stderr)
    """)
    res, _ = _run(tmp_path, code, limits=Limits(wall=20, memory=1024**3, fsize=1024**2, output_cap=1000))
    assert "allocated" not in res.stdout
    assert len(res.stdout) < 1100 and "truncated" in res.stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="process limit needs a uid to drop to")
def test_fork_bomb_is_contained(tmp_path):
    code = textwrap.dedent("""
        import os
        n = 0
        try:
            for _ in range(1000):
                if os.fork() == 0:
                    import time; time.sleep(30); os._exit(0)
                n += 1
        except OSError:
            pass
        print(n)
    """)
    res, _ = _run(tmp_path, code, limits=Limits(wall=10, nproc=20))
    assert int(res.stdout.strip()) < 20


def _tasks():
    rng = np.random.default_rng(0)
    W, X, y = rng.standard_normal((5, 3)), rng.standard_normal((8, 5)), rng.integers(0, 3, 8)
    return [Task("t0", "call", "cs231n_lin.classifiers.linear_svm", "svm_loss_vectorized",
                 arrays={"W": W, "X": X, "y": y}, scalars={"reg": 0.1}),
            Task("t1", "call", "cs231n_lin.classifiers.softmax", "softmax", arrays={"scores": X})], (W, X, y)


@pytest.mark.parametrize("mode", sorted({sandbox.detect_mode(), "none"}))
def test_worker_returns_plain_values(tmp_path, mode):
    src = make_submission(tmp_path / "sub")
    tasks, (W, X, y) = _tasks()
    box = worker.make_sandbox_dir(tmp_path)
    sub = worker.prepare_scratch(src, box)
    outcomes, notes = worker.run_tasks(sub, box, tasks, limits=Limits(wall=30), mode=mode)
    from cs231n_lin.classifiers import svm_loss_vectorized
    from cs231n_lin.classifiers.softmax import softmax

    loss, dW = outcomes["t0"].value
    ref_loss, ref_dW = svm_loss_vectorized(W, X, y, 0.1)
    assert isinstance(loss, float) and loss == pytest.approx(ref_loss)
    assert isinstance(dW, np.ndarray) and np.allclose(dW, ref_dW)
    assert np.array_equal(outcomes["t0"].inputs_after["W"], W)
    assert np.allclose(outcomes["t1"].value, softmax(X))
    assert notes == []


def test_worker_survives_a_crash_and_runs_the_rest(tmp_path):
    src = make_submission(tmp_path / "sub", replace={"svm_loss_vectorized": """
        def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
            import os
            os._exit(3)
    """, "softmax": """
        def softmax(scores, axis=-1):
            class Liar:
                def __eq__(self, other):
                    return True
            return Liar()
    """})
    tasks, _ = _tasks()
    tasks.insert(1, Task("t0b", "call", tasks[0].module, tasks[0].name, arrays=tasks[0].arrays,
                         scalars=tasks[0].scalars))
    box = worker.make_sandbox_dir(tmp_path)
    sub = worker.prepare_scratch(src, box)
    outcomes, notes = worker.run_tasks(sub, box, tasks, limits=Limits(wall=30))
    assert outcomes["t0"].crash and "exit code 3" in outcomes["t0"].error
    assert "not run: an earlier call of svm_loss_vectorized" in outcomes["t0b"].error   # no second crash
    assert outcomes["t1"].ok and isinstance(outcomes["t1"].value, Opaque)
    assert outcomes["t1"].value.type_name == "Liar"
    assert any("exit code 3" in n for n in notes)


def test_prepare_scratch_replaces_instructor_files_and_keeps_student_ones(tmp_path):
    src = make_submission(tmp_path / "sub", files={
        "cs231n_lin/gradient_check.py": "def rel_error(a, b):\n    return -12345.0\n",
        "cs231n_lin/classifiers/helpers.py": "X = 1\n",
    })
    box = worker.make_sandbox_dir(tmp_path)
    sub = worker.prepare_scratch(src, box)
    assert "-12345.0" not in (sub / "cs231n_lin" / "gradient_check.py").read_text()
    assert (sub / "cs231n_lin" / "classifiers" / "helpers.py").read_text() == "X = 1\n"
    assert not (sub / "cs231n_lin" / "grading").exists()
    assert set(worker.student_files()) >= {"classifiers/linear_svm.py", "classifiers/softmax.py"}


def test_prepare_scratch_rejects_a_tree_without_the_package(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(worker.SubmissionError, match="cs231n_lin/__init__.py"):
        worker.prepare_scratch(tmp_path / "empty", tmp_path / "box")


def test_sandbox_mode_is_reported():
    assert sandbox.detect_mode() in sandbox.MODES
    assert sys.executable


@pytest.mark.skipif(os.geteuid() != 0, reason="needs a uid to switch to")
def test_readable_by_reports_what_the_sandbox_uid_could_read():
    import tempfile

    d = tempfile.mkdtemp()
    try:
        os.chmod(d, 0o755)
        open_file, private = os.path.join(d, "open.txt"), os.path.join(d, "private.txt")
        for path, mode in ((open_file, 0o644), (private, 0o600)):
            with open(path, "w") as f:
                f.write("x")
            os.chmod(path, mode)
        assert sandbox.readable_by(sandbox.sandbox_uid(), [open_file, private]) == [open_file]
    finally:
        import shutil

        shutil.rmtree(d)


def test_every_run_starts_from_a_fresh_read_only_copy(tmp_path):
    """What one run writes (into its package or its working folder) is not there in the next run:
    each run gets its own read-only copy of the code, whose pristine copy stays untouched."""
    src = make_submission(tmp_path / "sub", replace={"svm_loss_vectorized": """
        def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):
            import os
            here = os.path.dirname(os.path.abspath(__file__))
            for p in (os.path.join(here, "planted.py"), "planted.txt"):
                try:
                    with open(p, "w") as f:
                        f.write("x = 1")
                except OSError:
                    pass
            os._exit(3)                       # a crash: the next call runs in a new worker run
    """, "softmax": """
        def softmax(scores, axis=-1):
            import os
            import numpy as np
            here = os.path.dirname(os.path.abspath(__file__))
            seen = os.path.exists(os.path.join(here, "planted.py")) or os.path.exists("planted.txt")
            return np.array([float(seen)])
    """})
    tasks, _ = _tasks()
    box = worker.make_sandbox_dir(tmp_path)
    sub = worker.prepare_scratch(src, box)
    outcomes, _ = worker.run_tasks(sub, box, tasks, limits=Limits(wall=30))
    assert outcomes["t0"].crash and "exit code 3" in outcomes["t0"].error
    assert outcomes["t1"].ok and outcomes["t1"].value.tolist() == [0.0]
    assert not (sub / "cs231n_lin" / "classifiers" / "planted.py").exists()
    assert not (sub / "planted.txt").exists()


def test_results_are_capped_across_tasks_not_only_each(tmp_path, monkeypatch):
    """Many results each under the per-task cap cannot add up past the total cap."""
    src = make_submission(tmp_path / "sub")
    big = np.zeros((400, 400))                       # 1.28 MB returned by each softmax call
    tasks = [Task(f"s{i}", "call", "cs231n_lin.classifiers.softmax", "softmax", arrays={"scores": big})
             for i in range(6)]
    monkeypatch.setattr(worker, "MAX_TOTAL_RESULT_BYTES", 8 * 1024**2)
    box = worker.make_sandbox_dir(tmp_path)
    sub = worker.prepare_scratch(src, box)
    outcomes, _ = worker.run_tasks(sub, box, tasks, limits=Limits(wall=30))
    ok = [t.id for t in tasks if outcomes[t.id].ok]
    assert 1 <= len(ok) < 6                          # each fits alone; together they do not
    refused = outcomes[tasks[-1].id]
    assert not refused.ok and "could not be read" in refused.error


def test_timed_runs_look_like_judged_runs(tmp_path):
    """Code cannot tell a timed run from a judged one by its surroundings: the same arguments,
    environment, working folder, file paths, import path and uid."""
    from cs231n_lin.grading.run import speed

    probe = """
        import json, os, sys


        def look(W, X, y, reg):
            seen = [sys.argv, os.getcwd(), sorted(os.environ.items()), __file__, sys.path, os.getuid(),
                    sorted(os.listdir(os.path.dirname(sys.argv[0])))]
            return json.dumps(seen), W
    """
    src = make_submission(tmp_path / "sub", files={"cs231n_lin/classifiers/look.py": probe})
    box = worker.make_sandbox_dir(tmp_path)
    sub = worker.prepare_scratch(src, box)
    (W, X, y) = _tasks()[1]
    module = "cs231n_lin.classifiers.look"
    judged, _ = worker.run_tasks(sub, box, [Task("j", "call", module, "look", arrays={"W": W, "X": X, "y": y},
                                                 scalars={"reg": 0.1})], limits=Limits(wall=30))
    case = {"module": module, "function": "look", "perf": {"N": 50, "D": 8, "C": 3}}
    _, timed = speed._timed_run(sub, box, case, 2, Limits(wall=30), sandbox.detect_mode(), cpu=30.0)
    assert judged["j"].ok, judged["j"]
    seen = judged["j"].value[0]
    assert seen == timed["t0"].value[0] == timed["t1"].value[0]
    assert "repeat" not in seen and "timed" not in seen
