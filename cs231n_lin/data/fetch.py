"""Download, verify and unpack a dataset archive (CIFAR-10) into the local data cache.

The steps, each safe to interrupt:

1. stream the archive to ``<cache>/<file>.part`` with a text progress bar; when a ``.part``
   is already there, resume it with an HTTP ``Range`` request (and start over if the
   server ignores the range);
2. check its MD5 and SHA-256 against the published values; a mismatch deletes the file
   (after one clean re-download if the file was resumed) and raises :class:`ChecksumError`;
3. rename ``.part`` to the archive name (a finished, verified download);
4. unpack into a temporary folder after refusing absolute paths, ``..`` and links, then
   rename the folder into place, so a half-unpacked dataset never looks complete.

Checksums of the official CIFAR-10 archive: the MD5 is the one published on
https://www.cs.toronto.edu/~kriz/cifar.html; the SHA-256 and size are the ones Keras
(``keras.datasets.cifar10``) pins for the same URL.
"""

from __future__ import annotations

import http.client
import os
import re
import sys
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from cs231n_lin._paths import repo_root  # noqa: F401  (kept importable from here)
from cs231n_lin.data.archive import (  # noqa: F401  (the archive's half, kept importable from here)
    CHUNK,
    ChecksumError,
    FetchError,
    RemoteArchive,
    UnsafeArchiveError,
    file_digests,
    is_complete,
    safe_extract,
    verify_file,
)
from cs231n_lin.progress import download_bar

DATA_DIR_ENV = "CS231N_LIN_DATA_DIR"
USER_AGENT = "cs231n-lin (dataset fetch; python urllib)"
RETRY_BACKOFF = 0.5        # seconds before the n-th retry: n * RETRY_BACKOFF (at most 5)


CIFAR10 = RemoteArchive(
    name="cifar10",
    url="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    filename="cifar-10-python.tar.gz",
    folder="cifar-10-batches-py",
    md5="c58f30108f718f92721af3b95e74349a",
    sha256="6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
    size=170498071,
    required=("batches.meta", "data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
              "data_batch_5", "test_batch"),
)
ARCHIVES = {"cifar10": CIFAR10}


class DownloadInterrupted(FetchError):
    """The connection broke off mid-download; the ``.part`` file is kept for resuming."""


def data_dir(cache: str | os.PathLike | None = None) -> Path:
    """The data cache: ``cache``, else ``$CS231N_LIN_DATA_DIR``, else ``datasets/cache``.

    ``datasets/cache`` is the git-ignored folder of the checkout; an installed (not
    editable) package uses ``~/.cache/cs231n-lin`` instead.
    """
    if cache is not None and str(cache) != "":
        return Path(cache).expanduser()
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    root = repo_root()
    if root is not None:
        return root / "datasets" / "cache"
    return Path.home() / ".cache" / "cs231n-lin"


def _say(progress: TextIO | None, message: str) -> None:
    if progress is not None:
        progress.write(message + "\n")
        progress.flush()


def _unreachable(url: str, reason: object, archive: RemoteArchive, cache: Path) -> FetchError:
    return FetchError(
        f"could not reach {url} ({reason}); download the archive by hand from {archive.url} and put it "
        f"in {cache}/ as {archive.filename} (then run this command again to verify and unpack it), "
        f"or set {DATA_DIR_ENV} to a folder that already holds {archive.folder}/"
    )


def _download(url: str, part: Path, *, archive: RemoteArchive, cache: Path, timeout: float,
              progress: TextIO | None) -> bool:
    """Fetch ``url`` into ``part``, resuming it when it exists. Returns whether it resumed.

    Raises :class:`DownloadInterrupted` (``part`` kept) when the connection breaks off, and
    :class:`FetchError` when the server cannot be reached or refuses.
    """
    offset = part.stat().st_size if part.exists() else 0
    if archive.size is not None and offset > archive.size:
        part.unlink()
        offset = 0
    headers = {"User-Agent": USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:        # the range starts past the end: start over
            exc.close()
            part.unlink()
            return _download(url, part, archive=archive, cache=cache, timeout=timeout, progress=progress)
        exc.close()
        raise FetchError(
            f"the server at {url} answered HTTP {exc.code} {exc.reason}; check the URL, or download "
            f"the archive by hand from {archive.url} and put it in {cache}/ as {archive.filename}"
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as exc:
        raise _unreachable(url, getattr(exc, "reason", exc), archive, cache) from None

    with response:
        total = None
        resumed = False
        if offset and response.status == 206:
            m = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+|\*)", response.headers.get("Content-Range", "").strip())
            if m and int(m[1]) == offset:
                resumed = True
                total = int(m[3]) if m[3] != "*" else None
        if offset and not resumed:
            _say(progress, f"the server ignored the resume request; downloading {archive.filename} anew")
            offset = 0
        if total is None and response.headers.get("Content-Length", "").isdigit():
            total = offset + int(response.headers["Content-Length"])
        if offset:
            _say(progress, f"resuming {archive.filename} at {offset / 1e6:.1f} MB")
        bar = download_bar(archive.filename, total, initial=offset, file=progress)
        received = offset
        with open(part, "ab" if offset else "wb") as f:
            while True:
                try:
                    chunk = response.read(CHUNK)
                except (OSError, http.client.HTTPException) as exc:   # reset, timeout, IncompleteRead
                    bar.close()
                    raise DownloadInterrupted(
                        f"the download of {url} broke off after {received / 1e6:.1f} MB "
                        f"({type(exc).__name__}: {exc}); run the command again to resume from there"
                    ) from None
                if not chunk:
                    break
                f.write(chunk)             # a full disk raises OSError here, not a retry
                received += len(chunk)
                bar.update(len(chunk))
        bar.close()
    if total is not None and received < total:
        raise DownloadInterrupted(
            f"the download of {url} broke off after {received / 1e6:.1f} of {total / 1e6:.1f} MB; "
            "run the command again to resume from there"
        )
    return resumed


def fetch(
    archive: RemoteArchive,
    cache: str | os.PathLike | None = None,
    *,
    timeout: float = 30.0,
    retries: int = 3,
    progress: TextIO | None = sys.stderr,
) -> Path:
    """Download (or resume), verify and unpack ``archive`` into the cache; returns its folder.

    Does nothing but report when the folder is already there. An archive file already in
    the cache (e.g. put there by hand) is verified and unpacked without any download.

    Parameters
    ----------
    archive : RemoteArchive
        URL, checksums and layout (e.g. :data:`CIFAR10`, or a copy with another URL).
    cache : path, optional
        See :func:`data_dir`.
    timeout : float, default=30
        Seconds to wait for the server on each connect or read.
    retries : int, default=3
        How many times a broken-off download is resumed before giving up.
    progress : text stream or None, default=sys.stderr
        Where the progress bar and messages go.

    Raises
    ------
    FetchError
        Server unreachable (with how to download by hand), download broken off ``retries``
        times (the ``.part`` is kept for the next run), or an unreadable archive.
    ChecksumError
        The bytes are not the published archive; nothing is left behind.
    UnsafeArchiveError
        A member could write outside the target folder; the archive is deleted.
    """
    if archive.md5 is None and archive.sha256 is None:
        raise ValueError("no checksum given: pass md5 and/or sha256 so the download can be verified")
    if retries < 0:
        raise ValueError(f"retries must be >= 0; got {retries}")
    cache = data_dir(cache)
    final = cache / archive.folder
    if final.exists():
        if is_complete(final, archive):
            _say(progress, f"{archive.name} is already in {final}")
            return final
        raise FetchError(
            f"{final} exists but lacks some of {', '.join(archive.required)}; delete that folder and run "
            "the command again"
        )
    created_cache = not cache.exists()
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / archive.filename
    part = cache / (archive.filename + ".part")

    def clean_up() -> None:
        for p in (part, target):
            p.unlink(missing_ok=True)
        if created_cache:
            try:
                cache.rmdir()                 # only if empty: never delete the user's files
            except OSError:
                pass

    if target.exists():
        try:
            verify_file(target, md5=archive.md5, sha256=archive.sha256)
            _say(progress, f"found {target}; checksum OK")
        except ChecksumError as exc:
            _say(progress, f"{exc}; deleting it and downloading again")
            target.unlink()
    if not target.exists():
        _download_verified(archive, cache, part, timeout=timeout, retries=retries, progress=progress,
                           clean_up=clean_up)
        os.replace(part, target)
    try:
        folder = safe_extract(target, cache, archive)
    except UnsafeArchiveError:
        clean_up()
        raise
    _say(progress, f"{archive.name} is ready in {folder}")
    return folder


def _download_verified(archive: RemoteArchive, cache: Path, part: Path, *, timeout: float, retries: int,
                       progress: TextIO | None, clean_up) -> None:
    """Download into ``part`` until it is whole and passes the checksum (see :func:`fetch`)."""
    broken = 0
    restarted = False
    while True:
        resumed = False
        skip = archive.size is not None and part.exists() and part.stat().st_size == archive.size
        if not skip:
            if not part.exists():
                _say(progress, f"downloading {archive.url} to {cache}")
            try:
                resumed = _download(archive.url, part, archive=archive, cache=cache, timeout=timeout,
                                    progress=progress)
            except DownloadInterrupted as exc:
                if broken >= retries:
                    raise
                broken += 1
                _say(progress, f"{exc}\nretrying ({broken} of {retries})")
                time.sleep(min(RETRY_BACKOFF * broken, 5.0))
                continue
            except FetchError:
                if part.exists() and part.stat().st_size == 0:
                    part.unlink()
                if not part.exists():         # no bytes worth keeping for a resume
                    clean_up()
                raise
        else:
            resumed = True
        try:
            verify_file(part, md5=archive.md5, sha256=archive.sha256)
            return
        except ChecksumError as exc:
            if resumed and not restarted:     # the kept prefix may be stale: one clean try
                _say(progress, f"{exc} after resuming; downloading again from the start")
                part.unlink()
                restarted = True
                continue
            clean_up()
            raise ChecksumError(
                f"the file downloaded from {archive.url} is not the published {archive.filename}: {exc}. "
                "It was deleted. Try again later or from another network; if it keeps failing, the "
                "server or a proxy is serving different bytes."
            ) from None


def fetch_cifar10(
    cache: str | os.PathLike | None = None,
    *,
    url: str | None = None,
    md5: str | None = CIFAR10.md5,
    sha256: str | None = CIFAR10.sha256,
    size: int | None = CIFAR10.size,
    timeout: float = 30.0,
    retries: int = 3,
    progress: TextIO | None = sys.stderr,
) -> Path:
    """Download, verify and unpack the official CIFAR-10 python archive; returns its folder.

    Parameters
    ----------
    cache : path, optional
        Where to put it; default ``$CS231N_LIN_DATA_DIR``, else ``datasets/cache`` of the checkout.
    url : str, optional
        A mirror of the archive (default: the official Toronto URL).
    md5, sha256 : str or None
        Expected digests (default: the official archive's); ``None`` skips one, not both.
    size : int or None
        Expected size in bytes, used to resume safely; ``None`` if unknown.
    timeout, retries, progress
        See :func:`fetch`.

    Returns
    -------
    Path
        ``<cache>/cifar-10-batches-py``, ready for :func:`cs231n_lin.data.load_cifar10`.
    """
    archive = replace(CIFAR10, url=url or CIFAR10.url, md5=md5, sha256=sha256, size=size)
    return fetch(archive, cache, timeout=timeout, retries=retries, progress=progress)
