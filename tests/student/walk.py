"""Helpers of the student-walk tests: a real release, its regions written back one at a time.

A package function is "written" by putting the reference's solution regions of that function
back into the released file; a notebook solution cell by giving the released cell the
reference cell's source (cells are matched by id).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat

from cs231n_lin.grading.release.markers import code_regions

ROOT = Path(__file__).resolve().parents[2]
STUB = "raise NotImplementedError("

#: Which package functions a named check asks the student to write (file stem, function names).
WRITES: dict[str, tuple[str, tuple[str, ...]]] = {
    "svm_naive_loss": ("linear_svm", ("svm_loss_naive",)),
    "svm_naive_gradient": ("linear_svm", ("svm_loss_naive",)),
    "svm_vectorized": ("linear_svm", ("svm_loss_vectorized",)),
    "svm_squared": ("linear_svm", ()),
    "softmax_naive": ("softmax", ("softmax_loss_naive",)),
    "softmax_vectorized": ("softmax", ("softmax_loss_vectorized",)),
    "softmax": ("softmax", ("softmax",)),
    "log_softmax": ("softmax", ("log_softmax",)),
    "sgd_step": ("linear_classifier", ("fit",)),
    "predict": ("linear_classifier", ("predict",)),
}
_DEF = re.compile(r"^(?P<indent>\s*)def (?P<name>\w+)\(")


def package_file(root: Path, stem: str) -> Path:
    return root / "cs231n_lin" / "classifiers" / f"{stem}.py"


def _function_of(lines: list[str], line: int) -> str | None:
    indent = len(lines[line]) - len(lines[line].lstrip())
    for i in range(line - 1, -1, -1):
        m = _DEF.match(lines[i])
        if m and len(m["indent"]) < indent:
            return m["name"]
    return None


def unwritten(root: Path, stem: str, function: str) -> bool:
    """Whether a region of ``function`` in the released file is still a stub."""
    text = package_file(root, stem).read_text()
    lines = text.splitlines()
    return any(_function_of(lines, r.begin) == function and STUB in "\n".join(lines[r.begin:r.end])
               for r in code_regions(text, stem))


def write_function(root: Path, stem: str, function: str) -> None:
    """Put the reference's regions of ``function`` into the released ``stem``.py."""
    ref_text = package_file(ROOT, stem).read_text()
    ref_lines = ref_text.splitlines(keepends=True)
    path = package_file(root, stem)
    text = path.read_text()
    lines = text.splitlines(keepends=True)
    ref_regions = code_regions(ref_text, stem)
    regions = code_regions(text, stem)
    assert len(ref_regions) == len(regions), f"{stem}.py: the release has other regions than the reference"
    plain = [ln.rstrip("\n") for ln in lines]
    for r, ref in reversed(list(zip(regions, ref_regions, strict=True))):
        if _function_of(plain, r.begin) == function:
            lines[r.begin:r.end + 1] = ref_lines[ref.begin:ref.end + 1]
    path.write_text("".join(lines))


def write_everything(root: Path) -> None:
    """Every package region and every notebook solution cell written (the solved copy)."""
    for stem, function in sorted({(s, f) for s, fs in WRITES.values() for f in fs}):
        if unwritten(root, stem, function):
            write_function(root, stem, function)
    for nb_path in sorted((root / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        ref = reference_cells(nb_path.name)
        for cell in nb.cells:
            if cell.get("id") in ref and STUB in cell.source and cell.cell_type == "code":
                cell.source = ref[cell["id"]].source
        nbformat.write(nb, nb_path)


def reference_cells(name: str) -> dict[str, nbformat.NotebookNode]:
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return {c["id"]: c for c in nb.cells}


def kernel_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)
    env["MPLBACKEND"] = "Agg"            # the kernel's own environment only
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def cell_text(cell) -> str:
    """What a cell printed (streams, results, errors)."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif out.get("output_type") in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
        elif out.get("output_type") == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "".join(p if isinstance(p, str) else "".join(p) for p in parts)


def errored(cell) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename')}: {out.get('evalue')}"
    return None

