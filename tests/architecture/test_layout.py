"""The package reads at a glance: no import cycle, small folders, small modules, no private cross-imports."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "cs231n_lin"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path, name: str, known: set[str]) -> set[tuple[str, str]]:
    """``(module imported, name taken from it)`` for every import of a cs231n_lin module in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {(a.name, "") for a in node.names if a.name.startswith("cs231n_lin")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if not base.startswith("cs231n_lin"):
                continue
            for a in node.names:
                sub = f"{base}.{a.name}"
                out.add((sub, "") if sub in known else (base, a.name))
    return out


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    return {name: {m for m, _ in _imports(path, name, known) if m in known and m != name}
            for name, path in mods.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                found.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    return found


def test_no_import_cycle_between_modules():
    """Package ``__init__`` files count as modules; an import inside a function counts too."""
    graph = _graph()
    # importing a package's submodule runs the package's __init__: an edge to it, unless it is an ancestor
    for name in list(graph):
        for m in list(graph[name]):
            parent = m.rsplit(".", 1)[0]
            if parent in graph and not name.startswith(parent + ".") and parent != name:
                graph[name].add(parent)
    assert _cycles(graph) == []


def test_no_private_name_imported_across_modules():
    mods = _modules()
    known = set(mods)
    bad = [(name, f"{m}.{n}") for name, path in mods.items() for m, n in _imports(path, name, known)
           if n.startswith("_") and not n.startswith("__") and m != name]
    assert bad == []


def test_folders_and_modules_are_small():
    for folder in [PACKAGE, *[p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__"]]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= 15, f"{folder}: {len(modules)} modules"
    big = {p.relative_to(PACKAGE).as_posix(): n for p in PACKAGE.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 430}
    assert big == {}
