"""Gradescope autograder zip (``cs231n-lin gradescope OUT.zip``).

The zip holds, at its root, Gradescope's two entry points and the grader's copy of the
instructor repository (hidden tests included)::

    setup.sh          run once when Gradescope builds the image: a venv with the package installed
    run_autograder    run per submission: grades $AG/submission into $AG/results/results.json
    cs231n-lin/       the instructor repository (without .git, .venv, build/, caches)

where ``AG=${AUTOGRADER_ROOT:-/autograder}`` (Gradescope unpacks the zip into ``$AG/source``).
``run_autograder`` runs ``$CS231N_LIN_GRADE_CMD`` (default: the venv's
``python -m cs231n_lin grade``) as ``<cmd> "$AG/submission" --json "$AG/results/results.json"``;
if that writes nothing, it writes a zero-score ``results.json`` saying the grader failed, so a
student never sees a silent crash or a made-up score.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from cs231n_lin._io import atomic_write
from cs231n_lin.grading.release.release import HIDDEN, find_source, walk

#: Folder of the zip (and of ``$AG/source``) holding the instructor repository.
REPO_DIR = "cs231n-lin"

SETUP_SH = f"""#!/usr/bin/env bash
# Gradescope runs this once, as root, while building the autograder image.
set -euo pipefail
AG="${{AUTOGRADER_ROOT:-/autograder}}"
PYTHON="${{PYTHON:-python3}}"
if ! "$PYTHON" -m venv "$AG/venv"; then
    # Ubuntu images may lack venv/pip; install them and try again.
    if command -v apt-get >/dev/null 2>&1; then
        apt-get update -y && apt-get install -y python3 python3-venv python3-pip
    fi
    rm -rf "$AG/venv"
    "$PYTHON" -m venv "$AG/venv"
fi
"$AG/venv/bin/python" -m pip install --upgrade pip
"$AG/venv/bin/python" -m pip install -e "$AG/source/{REPO_DIR}"
# The grader's strong sandbox (bubblewrap); if it cannot run in this image, the grader falls back
# to a weaker mode and says so in every result.
if ! command -v bwrap >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    apt-get install -y bubblewrap || (apt-get update -y && apt-get install -y bubblewrap) || true
fi
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grade $AG/submission, write $AG/results/results.json.
set -u
AG="${AUTOGRADER_ROOT:-/autograder}"
RESULTS="$AG/results/results.json"
mkdir -p "$AG/results"
rm -f "$RESULTS"
if [ -n "${CS231N_LIN_GRADE_CMD:-}" ]; then
    GRADE_CMD="$CS231N_LIN_GRADE_CMD"
elif [ -x "$AG/venv/bin/python" ]; then
    GRADE_CMD="$AG/venv/bin/python -m cs231n_lin grade"
else
    GRADE_CMD="python3 -m cs231n_lin grade"
fi
read -r -a GRADE <<< "$GRADE_CMD"
start=$(date +%s)
"${GRADE[@]}" "$AG/submission" --json "$RESULTS"
status=$?
if [ ! -s "$RESULTS" ]; then
    elapsed=$(( $(date +%s) - start ))
    message="The autograder stopped (exit code $status) before writing results, so nothing was graded."
    message="$message Please tell the course staff."
    printf '{"score": 0, "execution_time": %d, "output": "%s", "tests": []}\\n' "$elapsed" "$message" \\
        > "$RESULTS"
fi
exit 0
"""

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _add(zf: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.external_attr = (0o100000 | (mode & 0o777)) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def build_zip(*, source: Path, out_zip: Path) -> list[str]:
    """Write the autograder zip (deterministic: same source, same bytes); returns its member names.

    Raises
    ------
    ValueError
        If ``source`` has no ``tests/hidden/`` (a student version cannot grade).
    """
    source = Path(source).resolve()
    if not (source / HIDDEN).is_dir():
        raise ValueError(
            f"{source} has no {HIDDEN}/: build the autograder from the instructor repository "
            "(a student version has no hidden tests)"
        )
    released, grader_only = walk(source)
    files = sorted(released + grader_only)
    names = ["setup.sh", "run_autograder"] + [f"{REPO_DIR}/{rel}" for rel in files]

    def write(tmp: str) -> None:
        with zipfile.ZipFile(tmp, "w") as zf:
            _add(zf, "setup.sh", SETUP_SH.encode(), 0o755)
            _add(zf, "run_autograder", RUN_AUTOGRADER.encode(), 0o755)
            for rel in files:
                path = source / rel
                _add(zf, f"{REPO_DIR}/{rel}", path.read_bytes(), path.stat().st_mode)

    atomic_write(out_zip, write)
    return names


def main(*, out_zip: str | os.PathLike, source: str | os.PathLike | None = None) -> int:
    """``cs231n-lin gradescope OUT.zip [--source DIR]``."""
    src = Path(source) if source is not None else find_source()
    names = build_zip(source=src, out_zip=Path(out_zip))
    hidden = sum(n.startswith(f"{REPO_DIR}/{HIDDEN}/") for n in names)
    print(f"autograder zip written to {out_zip}: setup.sh, run_autograder and {len(names) - 2} files of "
          f"{src} under {REPO_DIR}/ ({hidden} in {HIDDEN}/)")
    print("upload it as the assignment's autograder on Gradescope (Configure Autograder -> Zip file upload)")
    return 0
