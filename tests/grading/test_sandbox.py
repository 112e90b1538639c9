"""The sandbox's clocks and fallbacks: CPU budgets from outside, private /tmp, the pre-flight."""

from __future__ import annotations

import json
import os
import sys
import textwrap

import pytest

from cs231n_lin.grading.grade import GradeOptions, grade_submission
from cs231n_lin.grading.run import sandbox, worker
from cs231n_lin.grading.run.budget import Budget
from cs231n_lin.grading.run.sandbox import Limits

sys.path.insert(0, os.path.dirname(__file__))
from grading_subs import make_submission, small_hidden  # noqa: E402

MODES = sorted({sandbox.detect_mode(), "none"})


def _run(tmp_path, code, mode, **kwargs):
    tmp_path.mkdir(parents=True, exist_ok=True)
    box = worker.make_sandbox_dir(tmp_path)
    kwargs.setdefault("limits", Limits(wall=60, cpu=60))
    python = sandbox.python_paths()["executable"]
    res = sandbox.run_sandboxed([python, "-I", "-S", "-c", textwrap.dedent(code)],
                                sandbox_dir=str(box), cwd=sandbox.inside(str(box), str(box), mode),
                                env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "MPLCONFIGDIR": "/tmp/mpl"},
                                mode=mode, **kwargs)
    return res, box


@pytest.mark.parametrize("mode", MODES)
def test_cpu_budget_stops_burning_not_waiting(tmp_path, mode):
    """The CPU budget counts CPU time (every process), not wall-clock time: a 3 s sleep with a 1 s CPU
    budget finishes; a loop is stopped near its 1 s of CPU, and says the CPU budget stopped it."""
    sleeper, _ = _run(tmp_path / "a", "import time; time.sleep(3); print('done')", mode, cpu_budget=1.0)
    assert sleeper.returncode == 0 and sleeper.stdout.strip() == "done" and sleeper.stopped is None
    burner, _ = _run(tmp_path / "b", "while True: pass", mode, cpu_budget=1.0)
    assert burner.timed_out and burner.stopped == "cpu"
    assert 0.9 <= burner.cpu_seconds < 3.0, burner.cpu_seconds


@pytest.mark.parametrize("mode", MODES)
def test_cpu_of_a_helper_that_outlives_its_parent_is_counted(tmp_path, mode):
    """A forked helper that does the work and leaves the session is killed, reaped, and its CPU time
    counted (it was lost in the old hand-written namespaces mode)."""
    code = """
        import os, tempfile, time
        flag = os.path.join(tempfile.gettempdir(), "burnt")
        if os.fork() == 0:
            os.setsid()
            end = time.process_time() + 1.5
            while time.process_time() < end:
                pass
            open(flag, "w").close()
            time.sleep(60)
            os._exit(0)
        while not os.path.exists(flag):    # the parent does no work: it waits, then leaves
            time.sleep(0.05)
    """
    res, _ = _run(tmp_path, code, mode)
    assert res.returncode == 0 and res.seconds < 30            # the helper did not keep the run alive
    assert res.cpu_seconds >= 1.4, res.cpu_seconds


@pytest.mark.parametrize("mode", MODES)
def test_private_tmp_and_ipython_and_matplotlib_dirs(tmp_path, mode):
    code = """
        import json, os, tempfile
        print(json.dumps({k: os.environ.get(k) for k in ("TMPDIR", "IPYTHONDIR", "MPLCONFIGDIR", "HOME")}
                         | {"gettempdir": tempfile.gettempdir()}))
    """
    res, box = _run(tmp_path, code, mode)
    env = json.loads(res.stdout.strip().splitlines()[-1])
    if mode == "bwrap":     # bubblewrap gives the run a private /tmp of its own
        assert env["TMPDIR"] == "/tmp" and env["IPYTHONDIR"].startswith("/tmp/")
    else:                   # the fallbacks: a private folder in the run's scratch, never the host's /tmp
        private = os.path.join(os.path.realpath(box), sandbox.PRIVATE_TMP)
        assert env["TMPDIR"] == env["gettempdir"] == private
        for key in ("IPYTHONDIR", "MPLCONFIGDIR", "HOME"):
            assert env[key].startswith(private + "/") or env[key] == private, (key, env[key])


def test_private_env_moves_every_tmp_path():
    env = sandbox.private_env({"HOME": "/tmp", "JUPYTER_RUNTIME_DIR": "/tmp/rt", "PATH": "/usr/bin",
                               "IPYTHONDIR": "/tmp/ipython", "OTHER": "/tmpfoo"}, "/box/.tmp")
    assert env == {"HOME": "/box/.tmp", "JUPYTER_RUNTIME_DIR": "/box/.tmp/rt", "PATH": "/usr/bin",
                   "IPYTHONDIR": "/box/.tmp/ipython", "OTHER": "/tmpfoo", "TMPDIR": "/box/.tmp",
                   "MPLCONFIGDIR": "/box/.tmp/mpl"}


def test_budget_is_relative_to_the_reference():
    assert Budget.for_submission(1.0, 2.5).cpu == pytest.approx(25.0)
    assert Budget.for_submission(85.0, 2.5).cpu == 85.0
    b = Budget(cpu=3.0)
    b.charge(2.0)
    assert b.left() == pytest.approx(1.0)
    b.record("f", "why", "timeout")
    b.record("f", "again", "timeout")
    assert b.stops == [{"function": "f", "why": "why", "kind": "timeout"}]


USER_MODE_STARTS = sandbox.preflight("user") is None


@pytest.mark.skipif(USER_MODE_STARTS, reason="the 'user' mode starts Python here (nothing is broken to test)")
def test_preflight_turns_a_broken_forced_mode_into_a_grader_error(tmp_path):
    """A forced mode that cannot start Python (here: the sandbox uid cannot run this Python, or the
    grader is not root) grades nothing: an error for the instructor, not a zero for the student."""
    why = sandbox.preflight("user")
    assert why and "user" in why
    options = GradeOptions(hidden_dir=small_hidden(tmp_path), notebooks=False, mode="user")
    with pytest.raises(sandbox.GraderError, match="pre-flight"):
        options.resolved()
    res = grade_submission(make_submission(tmp_path / "good"), options)
    assert res.output.startswith("The grader failed on this submission")
    assert "not with your work" in res.output
    assert "instructor" not in res.output.lower().replace("your instructor", "")   # no note to them here
    assert res.tests == [] and "pre-flight" in res.data["instructor_notes"][0]
    from cs231n_lin.cli import main as cli

    rc = cli(["grade", str(tmp_path / "good"), "--hidden", str(small_hidden(tmp_path)), "--no-notebooks",
              "--sandbox", "user"])
    assert rc != 0


@pytest.mark.parametrize("mode", MODES)
def test_code_that_waits_is_stopped_as_idle(tmp_path, mode):
    """A run that neither computes nor waits for a CPU (a sleep) is stopped after ``idle`` seconds,
    long before the wall-clock safety limit; a computing run is not (however loaded the machine)."""
    res, _ = _run(tmp_path / "a", "import time; time.sleep(60)", mode, cpu_budget=30.0, idle=2.0)
    assert res.stopped == "idle" and res.seconds < 20
    busy, _ = _run(tmp_path / "b", "import time\nt = time.process_time()\nwhile time.process_time() < t + 3:"
                   "\n    pass\nprint('done')", mode, cpu_budget=30.0, idle=2.0)
    assert busy.stopped is None and busy.stdout.strip() == "done"


def test_a_budget_stop_is_recorded_shown_and_counted(tmp_path, monkeypatch):
    """A submission that uses up its CPU budget: the stop is in extra_data.limits, the student reads
    what stopped and why (never 'None'), and the class report counts it."""
    from cs231n_lin.grading.report import report
    from cs231n_lin.grading.run import budget

    monkeypatch.setattr(budget, "BUDGET_FACTOR", 0.0)      # the budget is exactly --budget here
    loop = "def svm_loss_vectorized(W, X, y, reg, delta=1.0, squared=False):\n    while True:\n        pass\n"
    sub = make_submission(tmp_path / "loop", replace={"svm_loss_vectorized": loop})
    res = grade_submission(sub, GradeOptions(hidden_dir=small_hidden(tmp_path), notebooks=False, budget=6.0))
    data = res.to_gradescope()
    limits = data["extra_data"]["limits"]
    assert [x["function"] for x in limits] == ["svm_loss_vectorized"], limits
    assert "CPU" in limits[0]["why"] and limits[0]["kind"] == "timeout"
    text = res.output + "".join(t.output for t in res.tests)
    assert "CPU-time" in text and "None" not in text
    counted = report.summarize({"loop": data})["limits"]
    assert [(x["submission"], x["where"], x["kind"]) for x in counted] == [
        ("loop", "svm_loss_vectorized", "timeout")]


@pytest.mark.skipif(os.geteuid() != 0, reason="the 'user' mode needs root")
def test_user_mode_refuses_a_reference_the_sandbox_uid_could_read(tmp_path):
    """The editable-install finder only says where the reference is; in the 'user' mode the files
    themselves must be unreadable to the sandbox uid, or nothing is graded (an instructor error)."""
    import shutil
    import tempfile

    top = tempfile.mkdtemp(prefix="cs231n-exposed-")      # pytest's tmp_path is private to root
    try:
        exposed = os.path.join(top, "reference")
        os.makedirs(os.path.join(exposed, "classifiers"))
        with open(os.path.join(exposed, "classifiers", "linear_svm.py"), "w") as f:
            f.write("ANSWER = 1\n")
        for d in (top, exposed, os.path.join(exposed, "classifiers")):
            os.chmod(d, 0o755)
        why = sandbox.preflight("user", secrets=[exposed])
        assert why and "could read" in why and "chmod -R o-rwx" in why
        os.chmod(exposed, 0o700)
        why = sandbox.preflight("user", secrets=[exposed])
        assert why is None or "could read" not in why
    finally:
        shutil.rmtree(top)


@pytest.mark.skipif(os.geteuid() != 0, reason="the 'user' mode needs root")
def test_user_mode_launcher_drops_privileges_and_reaps_every_process(tmp_path):
    """The 'user' fallback, with a command any uid can run (/bin/sh): the submission's own uid, an empty
    capability bounding set, a private TMPDIR; a daemon that left the session is killed and reaped
    by the launcher when the command ends, and the CPU time it burnt is counted."""
    script = ('id -u; grep CapBnd /proc/self/status; echo "$TMPDIR"; '
              '(setsid sh -c \'i=0; while [ $i -lt 1500000 ]; do i=$((i+1)); done; touch "$TMPDIR/done"; '
              'sleep 100\' &); '
              'while [ ! -e "$TMPDIR/done" ]; do sleep 0.05; done')
    box = worker.make_sandbox_dir()            # under /tmp, reachable by the sandbox uid (tmp_path is not)
    try:
        res = sandbox.run_sandboxed(["/bin/sh", "-c", script], sandbox_dir=str(box), cwd=str(box),
                                    limits=Limits(wall=120, cpu=60), env={"PATH": "/usr/bin:/bin"},
                                    mode="user")
    finally:
        worker.remove_sandbox_dir(box)
    uid, _, caps, tmp = res.stdout.split()
    assert res.returncode == 0 and res.seconds < 100, res       # the sleeping daemon did not hold the run
    assert int(uid) == sandbox.sandbox_uid() and caps == "0000000000000000"
    assert tmp == os.path.join(os.path.realpath(box), sandbox.PRIVATE_TMP), res.stderr
    assert res.cpu_seconds >= 0.8, res.cpu_seconds               # the daemon's CPU time (~1.5 s) counted
    assert not sandbox.processes_of(sandbox.sandbox_uid())
