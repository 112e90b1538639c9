"""Which notebook cells the grader runs: the ones that carry points or feedback, and what they need.

Grading keeps what nbval does -- the student's cells and the check cells run in a kernel, the check
cells' outputs are compared -- but nothing else of a lesson is re-run (no training runs, sweeps or
searches): those cells are read from the notebook as submitted, for feedback only.

The cells a required cell needs are found from the names each code cell binds and reads, with the
standard library's :mod:`symtable` (Python's own scoping rules: a function's parameters and locals
are not global names; the globals a function body reads are). For every name a selected cell reads,
the selection takes the last cell above it that binds the name unconditionally, every cell between
the two that may bind or modify it (a binding inside ``if``/``for``/``try``, an assignment to one of
its attributes or items, a method call on it as a statement such as ``model.fit(...)``), and, if no
unconditional binding is found, every cell above that may bind it; then the same for those cells,
until nothing is added. A cell the analysis cannot read (shell or ``%run`` magics, ``exec``,
``globals()``, a star import) is taken with every cell above it; a cell that does not compile runs
nothing, so it needs nothing.

Not seen (documented limits): state passed through files, or module state changed by a call that is
not a statement of the forms above (a check cell's output never depends on such state in the
shipped lessons; ``tests/grading/test_nb_select.py`` runs the selection on them).
"""

from __future__ import annotations

import ast
import re
import symtable
from collections.abc import Sequence
from dataclasses import dataclass

#: IPython line magics that run no code of the notebook and bind no name.
HARMLESS_MAGICS = re.compile(r"^\s*%(load_ext|autoreload|matplotlib|config|precision|reload_ext)\b")
#: Cell magics whose cell body is ordinary Python (no output name bound).
CELL_MAGICS = re.compile(r"^\s*%%(time|timeit|capture)\s*$")
#: Calls on an imported module that change its global state (``np.random.seed(0)``,
#: ``np.set_printoptions(...)``, ``warnings.simplefilter(...)``, ``plt.style.use(...)``).
STATE_CALLS = re.compile(r"^(seed|set_\w*|setdefault|filterwarnings|simplefilter|use|rc|rcdefaults)$")
#: Names whose use means the cell reads or writes globals the analysis cannot see.
OPAQUE_NAMES = frozenset({"exec", "eval", "globals", "vars", "locals", "get_ipython", "__import__"})


@dataclass(frozen=True)
class CellNames:
    """What one code cell binds and reads.

    Attributes
    ----------
    binds : frozenset of str
        Names bound on every run of the cell (top-level assignments, imports, ``def``, ``class``).
    may_bind : frozenset of str
        Names bound conditionally, or modified in place (attribute/item assignment, a method call
        as a statement, ``global`` in a function).
    uses : frozenset of str
        Global names read anywhere in the cell, function and class bodies included.
    opaque : bool
        The cell cannot be analysed; it may read and bind anything.
    """

    binds: frozenset[str]
    may_bind: frozenset[str]
    uses: frozenset[str]
    opaque: bool = False


OPAQUE = CellNames(frozenset(), frozenset(), frozenset(), True)
NOTHING = CellNames(frozenset(), frozenset(), frozenset())


def _base_name(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _nested_globals(table: symtable.SymbolTable, uses: set[str], binds: set[str]) -> None:
    for child in table.get_children():
        for sym in child.get_symbols():
            if sym.is_global() and sym.is_referenced():
                uses.add(sym.get_name())
            if sym.is_declared_global() and sym.is_assigned():
                binds.add(sym.get_name())
        _nested_globals(child, uses, binds)


def _definite(tree: ast.Module) -> set[str]:
    """Names bound by the cell's top-level simple statements (bound whenever the cell runs)."""
    out: set[str] = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(stmt.name)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in stmt.names)
        elif isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and getattr(stmt, "value", None):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, (ast.Name, ast.Tuple, ast.List)):
                    out.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name)
                               and isinstance(n.ctx, ast.Store))
    return out


def _modified(tree: ast.Module, modules: set[str]) -> set[str]:
    """Names changed in place by the cell's module-level statements (not inside functions)."""
    out: set[str] = set()
    todo: list[ast.AST] = list(tree.body)
    while todo:
        stmt = todo.pop()
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = list(stmt.targets)
        elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
            targets = [stmt.target]
        elif isinstance(stmt, ast.Delete):
            targets = list(stmt.targets)
        for target in targets:
            for node in ast.walk(target):
                stored = isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del))
                if isinstance(node, (ast.Attribute, ast.Subscript)) and stored:
                    name = _base_name(node)
                    if name:
                        out.add(name)
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call) \
                and isinstance(stmt.value.func, ast.Attribute):
            name = _base_name(stmt.value.func)
            if name and (name not in modules or STATE_CALLS.match(stmt.value.func.attr)):
                out.add(name)
        todo.extend(n for n in ast.iter_child_nodes(stmt) if isinstance(n, ast.stmt))
    return out


def cell_names(source: str) -> CellNames:
    """The names a code cell binds and reads (see :class:`CellNames`)."""
    lines = []
    body = source.splitlines()
    if body and CELL_MAGICS.match(body[0]):      # %%time, %%timeit, %%capture: the rest is Python
        body = body[1:]
    for line in body:
        if line.lstrip().startswith(("%", "!")):
            if not HARMLESS_MAGICS.match(line):
                return OPAQUE
            line = ""
        lines.append(line)
    code = "\n".join(lines)
    try:
        tree = ast.parse(code)
        table = symtable.symtable(code, "<cell>", "exec")
    except (SyntaxError, ValueError):
        return NOTHING      # IPython runs none of a cell that does not compile
    if any(isinstance(n, ast.ImportFrom) and any(a.name == "*" for a in n.names) for n in ast.walk(tree)):
        return OPAQUE
    uses, assigned = set(), set()
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    modules = {(a.asname or a.name).split(".")[0] for n in imports for a in n.names}
    for sym in table.get_symbols():
        if sym.is_referenced():
            uses.add(sym.get_name())
        if sym.is_assigned() or sym.is_imported():
            assigned.add(sym.get_name())
    nested_binds: set[str] = set()
    _nested_globals(table, uses, nested_binds)
    if uses & OPAQUE_NAMES:
        return OPAQUE
    binds = _definite(tree)
    may = (assigned - binds) | nested_binds | _modified(tree, modules)
    return CellNames(frozenset(binds), frozenset(may), frozenset(uses))


def needed_cells(sources: Sequence[str], required: set[int]) -> set[int]:
    """Indices of the code cells to run: ``required`` and every cell they need (module docstring).

    Parameters
    ----------
    sources : sequence of str
        The notebook's code cells, in order.
    required : set of int
        Indices (into ``sources``) that must run: check cells and the student's cells.

    Returns
    -------
    set of int
        ``required`` and the cells it needs, transitively.
    """
    names = [cell_names(s) for s in sources]
    chosen: set[int] = set()
    todo = sorted(i for i in required if 0 <= i < len(sources))
    while todo:
        i = todo.pop()
        if i in chosen:
            continue
        chosen.add(i)
        if names[i].opaque:
            todo.extend(j for j in range(i) if j not in chosen)
            continue
        for name in names[i].uses:
            for j in range(i - 1, -1, -1):
                cell = names[j]
                if cell.opaque or name in cell.may_bind:
                    todo.append(j)
                elif name in cell.binds:
                    todo.append(j)
                    break
    return chosen
