"""Run every probe on submission copies of ``cs231n_lin``; write the outcomes as JSON.

Usage: ``python _probe_runner.py PROBES_PY SUBMISSION_DIR OUT_JSON [SUBMISSION_DIR OUT_JSON ...]``.
Stands in for the grade helper's worker: numpy and scikit-learn are imported once, then every
submission runs in its own forked child process, which imports the student's package from the
submission directory and the probe module from the grader's file (by path). Only plain data
goes back (JSON, no pickle).
"""

import importlib.util
import json
import os
import sys
import traceback
import warnings
from pathlib import Path

import numpy as np  # noqa: F401
import sklearn.base  # noqa: F401  (imported once, before forking: the slow part)
import sklearn.utils._param_validation  # noqa: F401
import sklearn.utils.multiclass  # noqa: F401
import sklearn.utils.validation  # noqa: F401


def run_one(probes_py: str, submission: str, out_json: str) -> None:
    sys.path.insert(0, submission)
    import cs231n_lin.classifiers as student

    where = Path(student.__file__).resolve()
    if Path(submission).resolve() not in where.parents:
        raise SystemExit(f"imported the wrong package: {where}")
    spec = importlib.util.spec_from_file_location("_grader_probes", probes_py)
    probes = importlib.util.module_from_spec(spec)
    sys.modules["_grader_probes"] = probes
    spec.loader.exec_module(probes)
    results = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for probe in probes.probe_cases():
            outcome = probes.run_probe(student, probe)
            results.append({"name": probe.name, "outcome": probes.outcome_to_json(outcome)})
    Path(out_json).write_text(json.dumps(results))


def main() -> None:
    probes_py, rest = sys.argv[1], sys.argv[2:]
    failed = 0
    for submission, out_json in zip(rest[::2], rest[1::2], strict=True):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                run_one(probes_py, submission, out_json)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        failed += status != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
