"""``python -m cs231n_lin`` is the same as the ``cs231n-lin`` command."""

from cs231n_lin.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
