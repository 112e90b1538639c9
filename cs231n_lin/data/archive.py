"""A dataset archive: what it is (:class:`RemoteArchive`), how its bytes are verified (MD5 and
SHA-256) and how it is unpacked safely (no absolute paths, ``..`` or links; into a temporary
folder renamed into place). The download itself is :mod:`cs231n_lin.data.fetch`.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = ["ChecksumError", "FetchError", "RemoteArchive", "UnsafeArchiveError", "file_digests",
           "is_complete", "safe_extract", "verify_file"]

CHUNK = 1 << 20


@dataclass(frozen=True)
class RemoteArchive:
    """Where a dataset archive lives, how to verify it, and what it unpacks to."""

    name: str
    url: str
    filename: str
    folder: str
    md5: str | None
    sha256: str | None
    size: int | None
    required: tuple[str, ...]


class FetchError(RuntimeError):
    """The dataset could not be downloaded or unpacked; the message says what to do."""


class ChecksumError(FetchError, ValueError):
    """The downloaded bytes are not the published archive."""


class UnsafeArchiveError(FetchError, ValueError):
    """The archive holds a member that could write outside its folder (absolute path, ``..``, link)."""


def file_digests(path: str | os.PathLike) -> tuple[str, str]:
    """``(md5, sha256)`` hex digests of a file, read once in 1 MiB chunks."""
    md5, sha = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            md5.update(chunk)
            sha.update(chunk)
    return md5.hexdigest(), sha.hexdigest()


def verify_file(path: str | os.PathLike, *, md5: str | None, sha256: str | None) -> None:
    """Raise :class:`ChecksumError` unless ``path`` has the given digests (``None`` skips one)."""
    if md5 is None and sha256 is None:
        raise ValueError("no checksum given: pass md5 and/or sha256 so the download can be verified")
    got_md5, got_sha = file_digests(path)
    problems = []
    if md5 is not None and got_md5 != md5.lower():
        problems.append(f"MD5 {got_md5} (expected {md5.lower()})")
    if sha256 is not None and got_sha != sha256.lower():
        problems.append(f"SHA-256 {got_sha} (expected {sha256.lower()})")
    if problems:
        raise ChecksumError(f"{path} has " + " and ".join(problems))


def _check_members(tar: tarfile.TarFile, archive_path: Path, folder: str) -> list[tarfile.TarInfo]:
    """Every member, after refusing absolute paths, ``..``, links, devices and strays."""
    members = tar.getmembers()
    for m in members:
        name = m.name
        parts = PurePosixPath(name).parts
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or PurePosixPath(name).is_absolute():
            problem = "has an absolute path"
        elif ".." in parts or "\\" in name:
            problem = "points outside the folder ('..' or a backslash)"
        elif not (m.isfile() or m.isdir()):
            problem = "is a link or special file"
        elif not parts or parts[0] != folder:
            problem = f"lies outside {folder}/"
        else:
            continue
        raise UnsafeArchiveError(
            f"refusing to unpack {archive_path}: member {name!r} {problem}; a genuine archive holds only "
            f"plain files under {folder}/. The file was deleted; fetch it again from the official URL."
        )
    return members


def safe_extract(archive_path: str | os.PathLike, cache: str | os.PathLike, archive: RemoteArchive) -> Path:
    """Unpack ``archive_path`` into ``cache/<archive.folder>`` via a temporary folder.

    Returns the final folder. Raises :class:`UnsafeArchiveError` for a dangerous member and
    :class:`FetchError` for an unreadable archive or a missing required file; in every
    failure nothing is left in ``cache`` but what was there before.
    """
    archive_path, cache = Path(archive_path), Path(cache)
    final = cache / archive.folder
    tmp = Path(tempfile.mkdtemp(prefix=f".{archive.folder}.", suffix=".unpacking", dir=cache))
    try:
        try:
            with tarfile.open(archive_path, "r:*") as tar:
                members = _check_members(tar, archive_path, archive.folder)
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(tmp, members=members, filter="data")
                else:  # pragma: no cover - Python without PEP 706 filters; members were checked above
                    tar.extractall(tmp, members=members)  # noqa: S202
        except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
            if isinstance(exc, UnsafeArchiveError):
                raise
            raise FetchError(f"could not unpack {archive_path} ({type(exc).__name__}: {exc})") from exc
        unpacked = tmp / archive.folder
        missing = [f for f in archive.required if not (unpacked / f).is_file()]
        if missing:
            raise FetchError(f"{archive_path} lacks {', '.join(missing)} under {archive.folder}/")
        os.replace(unpacked, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def is_complete(folder: Path, archive: RemoteArchive) -> bool:
    """Whether ``folder`` holds every file the unpacked archive must have."""
    return folder.is_dir() and all((folder / f).is_file() for f in archive.required)
