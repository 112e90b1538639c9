#!/usr/bin/env python3
"""Download, verify and unpack CIFAR-10 into datasets/cache: ``cs231n-lin data fetch cifar10``.

Usage: ``python datasets/get_cifar10.py [--cache DIR] [--url URL]``. Works from a checkout
without installing the package.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cs231n_lin.cli import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main(["data", "fetch", "cifar10", *sys.argv[1:]]))
