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
    p.add_argument("--no-notebooks", dest="notebooks", action="store_false",
                   help="skip executing the lesson notebooks into OUT/notebooks/*.html")
    p.set_defaults(func=lambda a: _demo(a))
    return parser


def _demo(args) -> int:
    from cs231n_lin.demo import main

    return main(out_dir=args.out, dataset=args.dataset, seed=args.seed, notebooks=args.notebooks)


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
