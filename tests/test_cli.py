"""The command line: ``python -m cs231n_lin demo`` runs end to end; bad input is a clean error."""

import os
import subprocess
import sys

import pytest

from cs231n_lin.cli import build_parser, main
from cs231n_lin.data import DATASET_ENV


@pytest.mark.slow
def test_python_m_demo(tmp_path):
    out = tmp_path / "tmp"
    env = {k: v for k, v in os.environ.items() if k != DATASET_ENV}      # the default data: digits
    result = subprocess.run([sys.executable, "-m", "cs231n_lin", "demo", "--out", str(out)],
                            capture_output=True, text=True, timeout=600, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert (out / "demo" / "accuracy.txt").is_file()
    assert "Softmax" in result.stdout
    assert "demo finished" in result.stdout


def test_unknown_dataset_is_a_cli_error(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--dataset", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cs231n-lin demo: error: unknown dataset 'nope'")
    assert not (tmp_path / "demo").exists()


def test_a_command_is_required(capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args([])
    assert exc.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--help"], ["check", "01"]])
def test_output_cut_short_by_a_closed_pipe_ends_quietly(args):
    """`cs231n-lin check | head -3`: the reader goes away; no BrokenPipeError traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "cs231n_lin", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()                            # like `head` exiting before the output ends
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode in (0, 1)
