"""``python -m benchmarks [--quick] [--out PATH]``: see :mod:`benchmarks.run`."""

from benchmarks.run import main

raise SystemExit(main())
