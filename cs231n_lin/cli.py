"""The ``cs231n-lin`` command: parses arguments and calls the verbs; no logic lives here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    instructor = has_instructor_tools()
    parser = argparse.ArgumentParser(
        prog="cs231n-lin", description="Linear classifiers course assignment: "
        + ("run, release, grade." if instructor else "run the demo, check your work.")
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="train the classifiers on the default data and save figures")
    p.add_argument("--out", default="build", help="output directory (default: build)")
    p.add_argument("--dataset", default=None, help="dataset name (default: $CS231N_LIN_DATASET or digits)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-notebooks", dest="notebooks", action="store_false",
                   help="skip executing the lesson notebooks into OUT/notebooks/*.html")
    p.set_defaults(func=lambda a: _demo(a))
    _add_data_parser(sub)
    _add_check(sub)
    if instructor:        # a student copy lists (and has) only the student's verbs
        _add_release(sub)
        _add_gradescope(sub)
        _add_grade_parser(sub)
        _add_report(sub)
    return parser


def _demo(args) -> int:
    from cs231n_lin.demo import main

    try:
        return main(out_dir=args.out, dataset=args.dataset, seed=args.seed, notebooks=args.notebooks)
    except NotImplementedError as exc:
        what = str(exc) or "a function it needs"
        print(f"cs231n-lin demo: the demo trains the classifiers you write, and one part is still to "
              f"write ({what}).\nRun `cs231n-lin check` to see every part still to write, in the order "
              "the notebooks ask for them.", file=sys.stderr)
        return 1


def _add_data_parser(sub) -> None:
    """``cs231n-lin data fetch cifar10 [--cache DIR] [--url URL]``."""
    p = sub.add_parser("data", help="download datasets that are not bundled (CIFAR-10)")
    data_sub = p.add_subparsers(dest="data_command", required=True, metavar="ACTION")
    f = data_sub.add_parser(
        "fetch", help="download, verify and unpack a dataset into the data cache",
        description="Download the official archive (resuming a partial download), check its "
        "MD5 and SHA-256, and unpack it into the cache: --cache, else $CS231N_LIN_DATA_DIR, "
        "else datasets/cache of the checkout.",
    )
    f.add_argument("dataset", choices=["cifar10"])
    f.add_argument("--cache", default=None, metavar="DIR",
                   help="data folder (default: $CS231N_LIN_DATA_DIR, else datasets/cache)")
    f.add_argument("--url", default=None, help="download from this mirror instead of the official URL")
    f.add_argument("--md5", default=None, help=argparse.SUPPRESS)      # for tests with a fixture archive
    f.add_argument("--sha256", default=None, help=argparse.SUPPRESS)
    f.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the server (default 30)")
    f.set_defaults(func=lambda a: _data_fetch(a))


def _data_fetch(args) -> int:
    from cs231n_lin.data.fetch import CIFAR10, FetchError, fetch_cifar10

    custom = args.md5 is not None or args.sha256 is not None
    try:
        fetch_cifar10(
            args.cache, url=args.url, timeout=args.timeout,
            md5=args.md5 if custom else CIFAR10.md5,
            sha256=args.sha256 if custom else CIFAR10.sha256,
            size=None if custom else CIFAR10.size,
        )
    except FetchError as exc:
        print(f"cs231n-lin data fetch: error: {exc}", file=sys.stderr)
        return 1
    return 0


#: The verbs of the instructor's tools (``cs231n_lin/grading/``, which a student copy does not have).
INSTRUCTOR_VERBS = ("release", "gradescope", "grade", "report")


def has_instructor_tools() -> bool:
    """True when the running package has its grading tools (an instructor checkout).

    Judged by the package actually running, so an instructor install elsewhere on the machine
    does not lend a student copy its grading tools.
    """
    import cs231n_lin

    return (Path(cs231n_lin.__file__).resolve().parent / "grading" / "__init__.py").is_file()


def _require_instructor_tools(verb: str) -> None:
    """A clean error for an instructor verb in a student copy (which has no ``cs231n_lin/grading/``)."""
    if not has_instructor_tools():
        raise ValueError(f"{verb} is an instructor tool; it is not part of the student version "
                         "(use `cs231n-lin check` to check your work)")


def _add_release(sub) -> None:
    p = sub.add_parser("release", help="write the student version (solutions stubbed, hidden tests left out)")
    p.add_argument("out_dir", metavar="OUT_DIR", help="new or empty directory for the student version")
    p.add_argument("--source", default=None,
                   help="instructor repository (default: the one this package is installed from)")
    p.add_argument("--lang", choices=["en", "zh"], default="en",
                   help="the students' language: zh makes README.md the Chinese one and selects Chinese "
                        "feedback (both languages' notebooks are released either way)")
    p.set_defaults(func=_release)


def _release(args) -> int:
    _require_instructor_tools("release")
    from cs231n_lin.grading.release.release import main

    return main(out_dir=args.out_dir, source=args.source, lang=args.lang)


def _add_check(sub) -> None:
    p = sub.add_parser("check", help="run inside your copy: the visible checks, points, likely causes")
    p.add_argument("part", nargs="?", default=None, metavar="PART",
                   help="only this part: svm, softmax, sgd, or a notebook (01 ... 05)")
    p.add_argument("--json", dest="as_json", action="store_true",
                   help="print the report as one JSON object (score, max_score, parts, failures)")
    p.add_argument("--root", default=None, help="your copy of the assignment (default: found from here)")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds allowed per check (default 20)")
    p.add_argument("--lang", choices=["en", "zh"], default=None,
                   help="language of the report: en (English) or zh (中文); default: CS231N_LIN_LANG, "
                        "a cs231n-lin.cfg in your copy, or the language of the notebooks you work in")
    p.set_defaults(func=_check)


def _check(args) -> int:
    from cs231n_lin.selfcheck.plan import main

    return main(root=args.root, part=args.part, as_json=args.as_json, per_check=args.timeout, lang=args.lang)


def _add_gradescope(sub) -> None:
    p = sub.add_parser("gradescope", help="write the Gradescope autograder zip (setup.sh, run_autograder)")
    p.add_argument("out_zip", metavar="OUT.zip", help="the zip file to write")
    p.add_argument("--source", default=None,
                   help="instructor repository (default: the one this package is installed from)")
    p.set_defaults(func=_gradescope)


def _gradescope(args) -> int:
    _require_instructor_tools("gradescope")
    from cs231n_lin.grading.records.gradescope import main

    return main(out_zip=args.out_zip, source=args.source)


def _add_grade_parser(sub) -> None:
    p = sub.add_parser("grade", help="grade submissions (directories or zips) with the hidden tests")
    p.add_argument("submissions", nargs="*", metavar="SUBMISSION", help="a directory or a .zip")
    p.add_argument("--json", dest="json_path", default=None,
                   help="write Gradescope's results.json (one submission) or {name: results} (several)")
    p.add_argument("--out", default=None, help="write OUT/<name>/results.json and OUT/summary.csv; resumable")
    p.add_argument("--jobs", type=int, default=1, help="grade this many submissions in parallel")
    p.add_argument("--hidden", default=None, help="folder with the hidden cases (default: tests/hidden)")
    p.add_argument("--notebooks", default=None, help="reference notebooks (default: notebooks/ if present)")
    p.add_argument("--no-notebooks", action="store_true", help="grade the package only")
    p.add_argument("--lang", choices=["en", "zh"], default=None,
                   help="language of the feedback (default: each submission's own, English unless it "
                        "has a cs231n-lin.cfg saying zh or holds the Chinese notebooks)")
    p.add_argument("--wall", type=float, default=60.0,
                   help="CPU seconds per sandboxed worker run after its start-up (default 60); the wall "
                        "clock only stops a run far beyond that, as a safety net")
    p.add_argument("--memory-mb", type=int, default=3072, help="address-space limit per process, MB")
    p.add_argument("--sandbox", choices=["auto", "bwrap", "user", "none"], default="auto",
                   help="isolation mode (default: the strongest that works here)")
    p.add_argument("--budget", type=float, default=85.0,
                   help="CPU seconds for one whole submission (default 85; never less than 10x the "
                        "reference's CPU time on the same calls, measured in the same run)")
    p.add_argument("--unprotected", action="store_true",
                   help="allow the 'none' sandbox mode (student code runs as your user; results unprotected)")
    p.add_argument("--written", default=None, metavar="CSV",
                   help="merge hand-given points for the written answers (the written.csv `report` "
                        "writes, filled in) into OUT/<name>/results.json; needs --out")
    p.set_defaults(func=lambda a: _grade(a))


def _grade(args) -> int:
    _require_instructor_tools("grade")
    from cs231n_lin.grading.batch import main
    from cs231n_lin.grading.grade import GradeOptions
    from cs231n_lin.grading.run.sandbox import Limits

    if args.written and not args.out:
        raise ValueError("--written needs --out DIR (the folder the graded results are in)")
    if not args.submissions and not args.written:
        raise ValueError("give at least one submission (a directory or a .zip), or --written CSV")

    limits = Limits(wall=args.wall, cpu=max(1, int(args.wall)), memory=args.memory_mb * 1024**2)
    options = GradeOptions(hidden_dir=args.hidden, notebooks_dir=args.notebooks, limits=limits,
                           mode=None if args.sandbox == "auto" else args.sandbox,
                           notebooks=not args.no_notebooks, budget=args.budget,
                           allow_unprotected=args.unprotected, lang=args.lang)
    rc = 0
    if args.submissions:
        rc = main(submissions=args.submissions, json_path=args.json_path, out_dir=args.out, jobs=args.jobs,
                  options=options)
    if args.written and rc == 0:
        from cs231n_lin.grading.records.written import merge_points

        # only the reference notebooks' location is needed here (no student code runs)
        notebooks = args.notebooks or GradeOptions(hidden_dir=args.hidden,
                                                   allow_unprotected=True).resolved().notebooks_dir
        merge_points(args.out, args.written, notebooks)
    return rc


def _add_report(sub) -> None:
    p = sub.add_parser("report", help="class report of a graded batch: report.html, report.json, written.csv")
    p.add_argument("grades_dir", metavar="GRADES_DIR", help="the folder `grade --out` wrote")
    p.add_argument("--notebooks", default=None,
                   help="reference notebooks, for the written questions (default: notebooks/ if present)")
    p.set_defaults(func=_report)


def _report(args) -> int:
    _require_instructor_tools("report")
    from cs231n_lin.grading.report.report import main

    return main(grades_dir=args.grades_dir, notebooks_dir=args.notebooks)


def main(argv: list[str] | None = None) -> int:
    """Run one verb; its exit status.

    Output cut short by a closed pipe (``cs231n-lin check | head -3``) ends quietly, as the Python
    documentation advises (the note on SIGPIPE in :mod:`signal`): stdout is pointed at ``os.devnull`` so
    that the interpreter's final flush cannot fail again.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in INSTRUCTOR_VERBS and not has_instructor_tools():
        print(f"cs231n-lin {argv[0]}: error: {argv[0]} is an instructor tool; it is not part of the "
              "student version (use `cs231n-lin check` to check your work)", file=sys.stderr)
        return 2
    try:
        args = build_parser().parse_args(argv)
        try:
            rc = int(args.func(args) or 0)
        except (ValueError, FileNotFoundError) as exc:
            print(f"cs231n-lin {args.command}: error: {exc}", file=sys.stderr)
            rc = 2
        sys.stdout.flush()
        return rc
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
