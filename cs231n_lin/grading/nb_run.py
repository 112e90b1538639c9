"""Runs pytest (with nbval) inside the sandbox; copied there by ``nbgrade``. Standard library + pytest."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pytest  # noqa: E402

sys.exit(pytest.main(["-p", "nbval"] + sys.argv[1:]))
