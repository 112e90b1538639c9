"""The scratch copy of a submission: unpacked with caps, instructor files over the student's, on a tmpfs.

:func:`prepare_scratch` copies a submission (directory or zip, opened read-only) into a scratch
directory made by :func:`make_sandbox_dir` (a size-limited tmpfs when the grader is root), with
every package file that students do not write replaced by the instructor's copy.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
import zipfile
from pathlib import Path

from cs231n_lin.checks.cells import BEGIN_CODE as SOLUTION_MARKER

SKIP_DIRS = {".git", "__pycache__", ".venv", "venv", ".ipynb_checkpoints", "node_modules", "__MACOSX",
             ".pytest_cache", "build", "datasets"}
MAX_SUBMISSION_BYTES = 100 * 1024**2
MAX_FILES = 5000
MAX_RESULT_BYTES = 64 * 1024**2  # per task: bytes of the result files, and declared bytes of its arrays
PACKAGE = "cs231n_lin"


class SubmissionError(ValueError):
    """The submission cannot be graded at all (no package, too big, unreadable zip, ...)."""


def _safe_extract(zip_path: Path, dest: Path) -> None:
    try:
        zf = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile as exc:
        raise SubmissionError(f"{zip_path.name} is not a readable zip file ({exc})") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_FILES:
            raise SubmissionError(f"{zip_path.name} has {len(infos)} files; the limit is {MAX_FILES}")
        total = 0
        for info in infos:
            name = info.filename
            parts = Path(name).parts
            if name.startswith("/") or ".." in parts or any(p in SKIP_DIRS for p in parts):
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                continue
            total += info.file_size
            if total > MAX_SUBMISSION_BYTES:
                raise SubmissionError(f"{zip_path.name} unpacks to more than {MAX_SUBMISSION_BYTES} bytes")
            target = dest.joinpath(*parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)


def _copy_tree(src: Path, dest: Path) -> None:
    """Copy regular files only (no symlinks followed, no special files), with size caps."""
    total, count = 0, 0
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS
                             and not os.path.islink(os.path.join(dirpath, d)))
        rel = Path(dirpath).relative_to(src)
        (dest / rel).mkdir(parents=True, exist_ok=True)
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):
                continue
            total += st.st_size
            count += 1
            if total > MAX_SUBMISSION_BYTES or count > MAX_FILES:
                raise SubmissionError(f"the submission is larger than {MAX_SUBMISSION_BYTES} bytes "
                                      f"or {MAX_FILES} files")
            with open(path, "rb") as fin, open(dest / rel / name, "wb") as fout:
                shutil.copyfileobj(fin, fout)


def find_package_root(tree: Path) -> Path:
    """The directory holding ``cs231n_lin/__init__.py``: ``tree`` itself or a folder up to 2 levels down."""
    candidates = [tree] + sorted(p for p in tree.iterdir() if p.is_dir()) if tree.is_dir() else []
    for level in range(3):
        for c in candidates:
            if (c / PACKAGE / "__init__.py").is_file():
                return c
        candidates = sorted(q for c in candidates if c.is_dir() for q in c.iterdir()
                            if q.is_dir() and q.name not in SKIP_DIRS) if level == 0 else []
    raise SubmissionError(f"no {PACKAGE}/__init__.py found in the submission (expected the student "
                          "version's layout: the folder that contains cs231n_lin/)")


def reference_package() -> Path:
    """The instructor's installed ``cs231n_lin`` package directory."""
    from cs231n_lin._paths import package_dir

    return package_dir()


def student_files(reference: Path | None = None) -> list[str]:
    """Package files (relative to the package) that students write: those with solution regions."""
    reference = reference or reference_package()
    out = []
    for path in sorted(reference.rglob("*.py")):
        rel = path.relative_to(reference)
        if rel.parts[0] == "grading" or "__pycache__" in rel.parts:
            continue
        if SOLUTION_MARKER in path.read_text(encoding="utf-8"):
            out.append(rel.as_posix())
    return out


def prepare_scratch(submission: Path, scratch: Path, *, reference: Path | None = None) -> Path:
    """Copy ``submission`` (dir or zip) to ``scratch/submission`` and return that directory.

    The submission is only read. Package files without solution regions are replaced by the
    reference's, ``cs231n_lin/grading/`` is dropped, new student modules are kept.
    """
    submission = Path(submission)
    reference = reference or reference_package()
    if not submission.exists():
        raise SubmissionError(f"submission {submission} does not exist")
    unpacked = scratch / "unpacked"
    unpacked.mkdir(parents=True)
    if submission.is_file():
        _safe_extract(submission, unpacked)
    else:
        _copy_tree(submission, unpacked)
    root = find_package_root(unpacked)
    dest = scratch / "submission"
    root.rename(dest)
    shutil.rmtree(unpacked, ignore_errors=True)
    pkg = dest / PACKAGE
    shutil.rmtree(pkg / "grading", ignore_errors=True)
    written = set(student_files(reference))
    for path in sorted(reference.rglob("*")):
        rel = path.relative_to(reference)
        if not path.is_file() or rel.parts[0] == "grading" or "__pycache__" in rel.parts \
                or rel.as_posix() in written:
            continue
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        if (pkg / rel).is_dir():
            shutil.rmtree(pkg / rel)
        shutil.copyfile(path, pkg / rel)
    return dest


def chown_tree(path: Path, uid: int) -> None:
    os.chown(path, uid, uid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            os.chown(os.path.join(dirpath, name), uid, uid, follow_symlinks=False)


def hidden_paths() -> list[str]:
    """Paths the sandbox must not show even if they sit inside a bound directory."""
    ref = reference_package()
    hidden = [str(ref)]
    repo = ref.parent
    if (repo / "tests" / "hidden").exists():
        hidden.append(str(repo / "tests" / "hidden"))
    return hidden


def make_sandbox_dir(parent: Path | None = None, *, size: int | None = None) -> Path:
    """A fresh scratch directory the sandbox uid can reach (0o711 parent, owned by that uid).

    With ``size`` (bytes) and root, the directory is a tmpfs of that size, so a submission can
    fill only its own space (:func:`scratch_is_limited` says whether that worked).
    """
    base = Path(tempfile.mkdtemp(prefix="cs231n-grade-", dir=parent))
    if size is not None and os.geteuid() == 0 and shutil.which("mount"):
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={int(size)},mode=0711,nosuid,nodev", "tmpfs",
                        str(base)], capture_output=True, check=False)
    base.chmod(0o711)
    box = base / "sandbox"   # root-owned 0755: the student may write only below submission/ and io/out*/
    box.mkdir()
    box.chmod(0o755 if os.geteuid() == 0 else 0o777)
    return box


def scratch_is_limited(box: Path) -> bool:
    """Whether the scratch directory ``box`` sits on its own size-limited tmpfs."""
    return os.path.ismount(box.parent)


def remove_sandbox_dir(box: Path) -> None:
    """Delete a scratch directory made by :func:`make_sandbox_dir` (unmounting its tmpfs)."""
    if os.path.ismount(box.parent):
        subprocess.run(["umount", "-l", str(box.parent)], capture_output=True, check=False)
    shutil.rmtree(box.parent, ignore_errors=True)


