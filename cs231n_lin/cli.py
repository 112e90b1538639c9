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
    _add_release(sub)
    _add_check(sub)
    _add_gradescope(sub)
    return parser


def _demo(args) -> int:
    from cs231n_lin.demo import main

    return main(out_dir=args.out, dataset=args.dataset, seed=args.seed)


def _add_release(sub) -> None:
    p = sub.add_parser("release", help="write the student version (solutions stubbed, hidden tests left out)")
    p.add_argument("out_dir", metavar="OUT_DIR", help="new or empty directory for the student version")
    p.add_argument("--source", default=None,
                   help="instructor repository (default: the one this package is installed from)")
    p.set_defaults(func=_release)


def _release(args) -> int:
    from cs231n_lin.grading.release import main

    return main(out_dir=args.out_dir, source=args.source)


def _add_check(sub) -> None:
    p = sub.add_parser("check", help="run inside your copy: visible tests and notebook checks, with points")
    p.add_argument("--root", default=None, help="your copy of the assignment (default: found from here)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds before the run is stopped")
    p.set_defaults(func=_check)


def _check(args) -> int:
    from cs231n_lin.grading.check import main

    return main(root=args.root, timeout=args.timeout)


def _add_gradescope(sub) -> None:
    p = sub.add_parser("gradescope", help="write the Gradescope autograder zip (setup.sh, run_autograder)")
    p.add_argument("out_zip", metavar="OUT.zip", help="the zip file to write")
    p.add_argument("--source", default=None,
                   help="instructor repository (default: the one this package is installed from)")
    p.set_defaults(func=_gradescope)


def _gradescope(args) -> int:
    from cs231n_lin.grading.gradescope import main

    return main(out_zip=args.out_zip, source=args.source)


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
