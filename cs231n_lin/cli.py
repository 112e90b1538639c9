"""The ``cs231n-lin`` command: parses arguments and calls the verbs; no logic lives here."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cs231n-lin", description="Linear classifiers course assignment: run, release, grade."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="train the classifiers on the default data and save figures")
    p.add_argument("--out", default="build", help="output directory (default: build)")
    p.add_argument("--dataset", default=None, help="dataset name (default: $CS231N_LIN_DATASET or digits)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=lambda a: _demo(a))
    _add_grade_parser(sub)
    return parser


def _demo(args) -> int:
    from cs231n_lin.demo import main

    return main(out_dir=args.out, dataset=args.dataset, seed=args.seed)


def _add_grade_parser(sub) -> None:
    p = sub.add_parser("grade", help="grade submissions (directories or zips) with the hidden tests")
    p.add_argument("submissions", nargs="+", metavar="SUBMISSION", help="a directory or a .zip")
    p.add_argument("--json", dest="json_path", default=None,
                   help="write Gradescope's results.json (one submission) or {name: results} (several)")
    p.add_argument("--out", default=None, help="write OUT/<name>/results.json and OUT/summary.csv; resumable")
    p.add_argument("--jobs", type=int, default=1, help="grade this many submissions in parallel")
    p.add_argument("--hidden", default=None, help="folder with the hidden cases (default: tests/hidden)")
    p.add_argument("--notebooks", default=None, help="reference notebooks (default: notebooks/ if present)")
    p.add_argument("--no-notebooks", action="store_true", help="grade the package only")
    p.add_argument("--wall", type=float, default=60.0, help="seconds per sandboxed worker run (default 60)")
    p.add_argument("--memory-mb", type=int, default=3072, help="address-space limit per process, MB")
    p.add_argument("--sandbox", choices=["auto", "namespaces", "user", "none"], default="auto",
                   help="isolation mode (default: the strongest that works here)")
    p.set_defaults(func=lambda a: _grade(a))


def _grade(args) -> int:
    from cs231n_lin.grading.grade import GradeOptions, main
    from cs231n_lin.grading.sandbox import Limits

    limits = Limits(wall=args.wall, cpu=max(1, int(args.wall)), memory=args.memory_mb * 1024**2)
    options = GradeOptions(hidden_dir=args.hidden, notebooks_dir=args.notebooks, limits=limits,
                           mode=None if args.sandbox == "auto" else args.sandbox,
                           notebooks=not args.no_notebooks)
    return main(submissions=args.submissions, json_path=args.json_path, out_dir=args.out, jobs=args.jobs,
                options=options)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError) as exc:
        print(f"cs231n-lin {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
