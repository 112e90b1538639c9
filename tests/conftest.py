"""Run in parallel without doing expensive work twice (``make test`` runs ``pytest -n 2 --dist loadgroup``).

Under pytest-xdist each worker builds its own module- and session-scoped fixtures. A test that
uses such a fixture (a graded batch, executed notebooks, a release) is put in an ``xdist_group``
-- one per module for a module-scoped fixture, one per fixture for a session-scoped one -- so
that ``--dist loadgroup`` sends all its users to the same worker and the fixture is built once;
every other test is spread over the workers one by one. The scoped fixtures are found by reading
the test modules and the ``conftest.py`` files above them (``@pytest.fixture(scope=...)``), so a
new expensive fixture is grouped without a list to keep up to date.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


@functools.cache
def scoped_fixtures(path: Path) -> dict[str, str]:
    """``{fixture name: scope}`` for the module- and session-scoped fixtures defined in ``path``."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return {}
    out = {}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for deco in node.decorator_list:
            if not (isinstance(deco, ast.Call) and ast.unparse(deco.func) in ("pytest.fixture", "fixture")):
                continue
            scope = next((k.value.value for k in deco.keywords if k.arg == "scope"
                          and isinstance(k.value, ast.Constant)), "function")
            name = next((k.value.value for k in deco.keywords if k.arg == "name"
                         and isinstance(k.value, ast.Constant)), node.name)
            if scope in ("module", "package", "session"):
                out[name] = scope
    return out


def xdist_group_of(module: Path, fixturenames: list[str]) -> str | None:
    """The group of a test in ``module`` using ``fixturenames`` (None: no expensive shared fixture)."""
    sources = [module] + [d / "conftest.py" for d in module.parents
                          if d == TESTS or TESTS in d.parents]
    group = None
    for name in fixturenames:
        for source in sources:
            scope = scoped_fixtures(source).get(name)
            if scope is None:
                continue
            if scope == "session":
                return f"session:{name}"
            group = group or f"module:{module.relative_to(TESTS.parent)}"
            break
    return group


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath)).resolve()
        if path.suffix != ".py" or TESTS not in path.parents:
            continue
        group = xdist_group_of(path, list(getattr(item, "fixturenames", [])))
        if group:
            item.add_marker(pytest.mark.xdist_group(name=group))
