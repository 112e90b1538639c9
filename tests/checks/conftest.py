"""Helpers of the named-check tests: the reference package edited by a mutant, loaded as a module."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_catalogue() -> types.ModuleType:
    name = "_mutant_catalogue"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "grading" / "mutants.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


mutants = _load_catalogue()


def load_mutant(mutant) -> types.ModuleType:
    """The edited file of ``mutant`` executed as a fresh module (the package is untouched)."""
    text = (ROOT / mutant.file).read_text()
    for old, new in mutant.edits:
        assert text.count(old) == 1, f"stale mutant {mutant.name}"
        text = text.replace(old, new)
    module = types.ModuleType(f"_mutant_{mutant.name}")
    module.__file__ = str(ROOT / mutant.file)
    exec(compile(text, str(ROOT / mutant.file), "exec"), module.__dict__)
    return module

