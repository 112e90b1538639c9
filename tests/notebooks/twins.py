"""Record of the lessons' English/Chinese markdown pairs, so that a pair never changes on one side.

Every markdown cell of ``notebooks/src/NN_*.py`` has a Chinese twin. ``twins.json`` (next to this
file) stores, per notebook, the SHA-256 of every pair's English and Chinese text. A pair whose
English text is recorded with another Chinese text (or the reverse) was changed on one side only:
the translation no longer says what the English says. ``test_lesson_twins.py`` fails then, and when
a pair is not recorded at all.

After editing a lesson, record the pairs::

    python tests/notebooks/twins.py            # refuses a one-sided change, naming the cell
    python tests/notebooks/twins.py --accept 01-055 --reason "zh wording only"

``--accept`` records a deliberate one-sided change (a Chinese wording fix, a stray space) with its
reason, which stays in the record.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "notebooks" / "src"
RECORD = Path(__file__).resolve().parent / "twins.json"


def _build_module():
    spec = importlib.util.spec_from_file_location("_nb_build_twins", ROOT / "notebooks" / "_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def current_pairs() -> dict[str, list[dict]]:
    """Notebook stem -> its markdown pairs in order: ``{"id", "en", "zh"}`` (text digests)."""
    build = _build_module()
    pairs: dict[str, list[dict]] = {}
    for src in sorted(SRC.glob("[0-9][0-9]_*.py")):
        en, zh = build.build_notebook(src, "en"), build.build_notebook(src, "zh")
        pairs[src.stem] = [{"id": a.id, "en": _digest(a.source), "zh": _digest(b.source)}
                           for a, b in zip(en.cells, zh.cells, strict=True) if a.cell_type == "markdown"]
    return pairs


def load_record(path: Path = RECORD) -> dict[str, list[dict]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def one_sided(record: dict[str, list[dict]], pairs: dict[str, list[dict]]) -> list[tuple[str, dict, str]]:
    """The current pairs not in ``record`` whose English or Chinese side is recorded with another twin.

    Returns ``(notebook, pair, what)`` for each, ``what`` saying which side changed alone. A pair
    recorded with ``accepted`` (a reason) is not reported.
    """
    found = []
    for name, current in pairs.items():
        old = record.get(name, [])
        known = {(p["en"], p["zh"]) for p in old}
        zh_of = {p["en"]: p["zh"] for p in old}
        en_of = {p["zh"]: p["en"] for p in old}
        for pair in current:
            if (pair["en"], pair["zh"]) in known:
                continue
            if pair["en"] in zh_of:
                found.append((name, pair, "the Chinese text changed, the English did not"))
            elif pair["zh"] in en_of:
                found.append((name, pair, "the English text changed, the Chinese did not"))
    return found


def _dumps(pairs: dict[str, list[dict]]) -> str:
    """JSON with one pair per line (small diffs when a lesson changes)."""
    def lines(ps: list[dict]) -> str:
        return ",\n".join(f"    {json.dumps(p, ensure_ascii=False)}" for p in ps)

    blocks = [f"  {json.dumps(name)}: [\n{lines(ps)}\n  ]" for name, ps in pairs.items()]
    return "{\n" + ",\n".join(blocks) + "\n}\n"


def update(accept: dict[str, str], path: Path = RECORD) -> list[str]:
    """Record the current pairs; returns the problems (nothing is written when there are any)."""
    record, pairs = load_record(path), current_pairs()
    accepted_before = {(p["en"], p["zh"]): p["accepted"] for ps in record.values() for p in ps
                       if "accepted" in p}
    problems = []
    for name, pair, what in one_sided(record, pairs):
        if pair["id"] in accept:
            pair["accepted"] = accept[pair["id"]]
        else:
            problems.append(f"{pair['id']} ({name}): {what}; revise its twin, or pass "
                            f"--accept {pair['id']} --reason '...' if that is deliberate")
    for ps in pairs.values():
        for pair in ps:
            if (pair["en"], pair["zh"]) in accepted_before and "accepted" not in pair:
                pair["accepted"] = accepted_before[(pair["en"], pair["zh"])]
    if not problems:
        path.write_text(_dumps(pairs), encoding="utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accept", action="append", default=[], metavar="CELL_ID",
                        help="record a deliberate one-sided change of this cell (repeatable)")
    parser.add_argument("--reason", default="", help="why the change is one-sided (required with --accept)")
    args = parser.parse_args(argv)
    if args.accept and not args.reason.strip():
        parser.error("--accept needs --reason")
    problems = update({cell: args.reason.strip() for cell in args.accept})
    for line in problems:
        print(line, file=sys.stderr)
    if not problems:
        print(f"recorded the pairs in {RECORD.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
