"""The student copy is the student's: no instructor file or verb, no make target that rewrites a notebook."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cs231n_lin.cli import INSTRUCTOR_VERBS
from cs231n_lin.grading.release import release as rel
from cs231n_lin.grading.release.student_makefile import STUDENT_TARGETS, makefile_targets, student_makefile

REPO = Path(__file__).resolve().parents[2]
#: What a command that rewrites notebooks looks like: the lesson build, jupytext, in-place nbconvert.
LAZY_OR_SAID = ("cs231n_lin/cli.py", "cs231n_lin/checks/_data.py")
REWRITES_NOTEBOOKS = re.compile(r"_build\.py|jupytext|--inplace|nbconvert .*--output|notebooks/src")


@pytest.fixture(scope="module")
def copy_zh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "student"
    rel.release(source=REPO, out_dir=out, lang="zh")
    return out


def test_no_instructor_file(copy_zh: Path):
    files = {p.relative_to(copy_zh).as_posix() for p in copy_zh.rglob("*") if p.is_file()}
    for path in ("docs/ARCHITECTURE.md", "docs/CHECKS.md", "notebooks/_build.py", "benchmarks/__init__.py",
                 "benchmarks/bench_grading.py", "tests/benchmarks/test_bench_explorer.py"):
        assert (REPO / path).is_file(), path             # the instructor has it ...
        assert path not in files, path                   # ... the student does not
    assert not any(f.startswith(("notebooks/src/", "benchmarks/", "cs231n_lin/grading/")) for f in files)
    # Nothing left in the copy points to what was left out.
    for f in files:
        if f.endswith((".py", ".md", ".toml", ".cfg")) and f != "README.en.md":
            text = (copy_zh / f).read_text(encoding="utf-8")
            # cli.py imports the instructor verbs lazily (not registered without grading/); _data.py
            # says where its stored values come from
            assert "cs231n_lin.grading" not in text or f in LAZY_OR_SAID, f
            assert "ARCHITECTURE.md" not in text and "benchmarks/" not in text, f


def test_package_docstrings_are_the_students(copy_zh: Path):
    init = (copy_zh / "cs231n_lin/__init__.py").read_text()
    assert "grading" not in init and "cs231n_lin.classifiers" in init
    checks = (copy_zh / "cs231n_lin/checks/__init__.py").read_text()
    doc = checks[:checks.index('"""', 3)]
    assert "fingerprints.py" not in doc and "Writing a check" not in doc
    assert "@named_check(" in (REPO / "docs/CHECKS.md").read_text()          # the how-to moved there


def test_help_of_the_copy_lists_no_instructor_verb(copy_zh: Path):
    proc = subprocess.run([sys.executable, "-m", "cs231n_lin", "--help"], cwd=copy_zh, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    listed = set(re.findall(r"^    (\w+)\b", proc.stdout, flags=re.M))
    assert {"check", "demo"} <= listed
    assert not listed & set(INSTRUCTOR_VERBS), proc.stdout
    here = subprocess.run([sys.executable, "-m", "cs231n_lin", "--help"], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert set(INSTRUCTOR_VERBS) <= set(re.findall(r"^    (\w+)\b", here.stdout, flags=re.M))


def test_makefile_of_the_copy_has_only_the_students_targets(copy_zh: Path):
    text = (copy_zh / "Makefile").read_text()
    public = {t for t in makefile_targets(text) if not t.startswith(("$(", "."))}
    assert public <= STUDENT_TARGETS and {"setup", "check", "lab"} <= public, public
    assert {"notebooks", "test", "bench"} <= set(makefile_targets((REPO / "Makefile").read_text()))
    assert text == student_makefile((REPO / "Makefile").read_text())


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_no_make_target_of_the_copy_rewrites_a_notebook(copy_zh: Path):
    text = (copy_zh / "Makefile").read_text()
    public = [t for t in makefile_targets(text) if not t.startswith(("$(", "."))]
    for target in public:
        proc = subprocess.run(["make", "-n", "-B", target], cwd=copy_zh, capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 0, (target, proc.stderr)
        assert proc.stdout.strip(), target
        assert not REWRITES_NOTEBOOKS.search(proc.stdout), (target, proc.stdout)
    for target in ("notebooks", "test", "bench"):
        proc = subprocess.run(["make", "-n", target], cwd=copy_zh, capture_output=True, text=True, timeout=60)
        # no rule (or, for the folder notebooks/, nothing to do: it exists and no rule makes it)
        assert "No rule to make target" in proc.stderr or "Nothing to be done" in proc.stdout, target
        assert not REWRITES_NOTEBOOKS.search(proc.stdout), (target, proc.stdout)
    # The oracle of the pattern: the instructor's `make notebooks` does rewrite them.
    proc = subprocess.run(["make", "-n", "-B", "notebooks"], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert REWRITES_NOTEBOOKS.search(proc.stdout)


def test_chinese_readme_keeps_json_and_does_not_ask_for_the_settings_file(copy_zh: Path):
    readme = (copy_zh / "README.md").read_text()
    assert "cs231n-lin check --json" in readme
    assert (copy_zh / "cs231n-lin.cfg").is_file()              # the release wrote it
    assert not re.search(r"(放|创建|新建|写)一个 ?`cs231n-lin\.cfg`", readme)


def test_chinese_stub_names_its_heading_in_chinese(copy_zh: Path):
    nb = json.loads((copy_zh / "notebooks/zh/01_svm_hinge_loss.ipynb").read_text(encoding="utf-8"))
    stubs = ["".join(c["source"]) for c in nb["cells"] if "raise NotImplementedError" in "".join(c["source"])]
    assert stubs
    for src in stubs:
        assert "\\u" not in src, src
    assert any(re.search(r'the cell under \\"[^"]*[\u4e00-\u9fff]', s) for s in stubs), stubs


def test_the_copy_passes_its_own_lint(copy_zh: Path):
    """`make lint` in a student copy: stubs (long messages, Chinese headings) keep to the line length."""
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=copy_zh,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_a_test_that_imports_the_grading_package_is_left_out(tmp_path: Path):
    from .fake_source import make_source

    source = make_source(tmp_path / "source")
    (source / "tests/test_uses_grader.py").write_text("from cs231n_lin.grading import release\n")
    (source / "tests/test_mentions_grader.py").write_text('"""Not cs231n_lin.grading: a mention."""\n')
    rel.release(source=source, out_dir=tmp_path / "out")
    assert not (tmp_path / "out/tests/test_uses_grader.py").exists()
    assert (tmp_path / "out/tests/test_mentions_grader.py").is_file()
