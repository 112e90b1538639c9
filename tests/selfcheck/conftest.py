"""The self-check tests use the mutant catalogue and repository root of the named-check tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_name = "_checks_conftest"
if _name not in sys.modules:
    _path = Path(__file__).parents[1] / "checks" / "conftest.py"
    _spec = importlib.util.spec_from_file_location(_name, _path)
    sys.modules[_name] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_name])

ROOT = sys.modules[_name].ROOT
mutants = sys.modules[_name].mutants
