"""Download -> verify -> unpack -> load, against a local HTTP server (127.0.0.1 only)."""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest
from cifar10_fixture import FOLDER, ArchiveServer, closed_port_url, make_archive, tar_bytes

from cs231n_lin.cli import main as cli_main
from cs231n_lin.data import fetch as fetch_module
from cs231n_lin.data import load_cifar10
from cs231n_lin.data.fetch import (
    CIFAR10,
    DATA_DIR_ENV,
    ChecksumError,
    DownloadInterrupted,
    FetchError,
    UnsafeArchiveError,
    data_dir,
    fetch_cifar10,
    file_digests,
    repo_root,
    safe_extract,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return make_archive(tmp_path_factory.mktemp("src") / "cifar-10-python.tar.gz", per_batch=40, num_test=40)


@pytest.fixture
def server(archive):
    with ArchiveServer(archive["payload"]) as srv:
        yield srv


def _fetch(archive, cache, url, **kwargs):
    kwargs.setdefault("progress", io.StringIO())
    kwargs.setdefault("timeout", 5.0)
    return fetch_cifar10(cache, url=url, md5=archive["md5"], sha256=archive["sha256"],
                         size=archive["size"], **kwargs)


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def _assert_loads(folder: Path, archive) -> None:
    X_train, y_train, X_test, y_test = load_cifar10(folder)
    batches = archive["batches"]
    assert X_train.shape == (200, 32, 32, 3) and X_test.shape == (40, 32, 32, 3)
    assert y_train.tolist() == sum((batches[f"data_batch_{i}"][b"labels"] for i in range(1, 6)), [])
    first = batches["data_batch_1"][b"data"][0]
    np.testing.assert_array_equal(X_train[0, :, :, 1].ravel(), first[1024:2048])   # the green plane


def test_official_checksums_are_pinned():
    assert CIFAR10.url == "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    assert CIFAR10.md5 == "c58f30108f718f92721af3b95e74349a"
    assert len(CIFAR10.sha256) == 64 and CIFAR10.size == 170498071


def test_download_verify_extract_load(archive, server, tmp_path):
    cache = tmp_path / "cache"
    out = io.StringIO()
    folder = _fetch(archive, cache, server.url, progress=out)
    assert folder == cache / FOLDER
    _assert_loads(cache, archive)
    assert (cache / "cifar-10-python.tar.gz").read_bytes() == archive["payload"]
    # No .part and no temporary folder are left.
    assert sorted(p.name for p in cache.iterdir()) == sorted(["cifar-10-python.tar.gz", FOLDER])
    assert server.requests == [None]
    assert "100%" in out.getvalue() and "ready" in out.getvalue()
    # A second run finds the data and does not download again.
    out = io.StringIO()
    assert _fetch(archive, cache, server.url, progress=out) == folder
    assert server.requests == [None] and "already" in out.getvalue()


def test_checksum_mismatch_leaves_nothing(archive, server, tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(ChecksumError, match="not the published cifar-10-python.tar.gz.*MD5") as err:
        fetch_cifar10(cache, url=server.url, md5="0" * 32, sha256=None, progress=io.StringIO())
    assert "deleted" in str(err.value)
    assert not cache.exists()
    # In a cache folder that already held the user's files, only ours are removed.
    cache.mkdir()
    (cache / "notes.txt").write_text("mine")
    with pytest.raises(ChecksumError, match="SHA-256"):
        fetch_cifar10(cache, url=server.url, md5=None, sha256="f" * 64, progress=io.StringIO())
    assert _listing(cache) == ["notes.txt"]


def test_interrupted_download_is_resumed_on_the_next_run(archive, server, tmp_path):
    cache = tmp_path / "cache"
    server.cut_next = 1
    with pytest.raises(DownloadInterrupted, match="run the command again to resume"):
        _fetch(archive, cache, server.url, retries=0)
    part = cache / "cifar-10-python.tar.gz.part"
    assert 0 < part.stat().st_size < archive["size"]
    assert _listing(cache) == ["cifar-10-python.tar.gz.part"]            # nothing looks complete
    with pytest.raises(FileNotFoundError):
        load_cifar10(cache)
    kept = part.stat().st_size
    out = io.StringIO()
    _fetch(archive, cache, server.url, retries=0, progress=out)
    assert server.requests == [None, f"bytes={kept}-"]
    assert "resuming" in out.getvalue()
    _assert_loads(cache, archive)


def test_broken_connection_is_retried_within_one_run(archive, server, tmp_path, monkeypatch):
    monkeypatch.setattr(fetch_module, "RETRY_BACKOFF", 0.01)
    server.cut_next = 2
    _fetch(archive, tmp_path, server.url, retries=2)
    assert server.requests[0] is None and all(r.startswith("bytes=") for r in server.requests[1:])
    assert len(server.requests) == 3
    _assert_loads(tmp_path, archive)


def test_server_ignoring_range_restarts_cleanly(archive, server, tmp_path):
    (tmp_path / "cifar-10-python.tar.gz.part").write_bytes(b"stale bytes from some other file")
    server.ignore_range = True
    out = io.StringIO()
    _fetch(archive, tmp_path, server.url, progress=out)
    assert server.requests == ["bytes=32-"]
    assert "ignored the resume request" in out.getvalue()
    _assert_loads(tmp_path, archive)


def test_stale_partial_file_failing_the_checksum_is_downloaded_again(archive, server, tmp_path):
    (tmp_path / "cifar-10-python.tar.gz.part").write_bytes(b"x" * 1000)      # wrong prefix, honoured range
    out = io.StringIO()
    _fetch(archive, tmp_path, server.url, progress=out)
    assert server.requests == ["bytes=1000-", None]
    assert "downloading again from the start" in out.getvalue()
    _assert_loads(tmp_path, archive)


def test_no_network_gives_the_friendly_message(archive, tmp_path):
    cache = tmp_path / "cache"
    url = closed_port_url()
    with pytest.raises(FetchError) as err:
        _fetch(archive, cache, url)
    message = str(err.value)
    assert message.startswith(f"could not reach {url}")
    assert "download the archive by hand" in message and str(cache) in message and DATA_DIR_ENV in message
    assert not cache.exists()


def test_server_that_never_answers_times_out_with_the_friendly_message(archive, server, tmp_path):
    server.delay = 1.5
    with pytest.raises(FetchError, match="could not reach .*timed out"):
        _fetch(archive, tmp_path / "cache", server.url, timeout=0.3)


def test_http_error_is_reported(archive, server, tmp_path):
    server.status = 404
    with pytest.raises(FetchError, match="answered HTTP 404"):
        _fetch(archive, tmp_path / "cache", server.url)


def test_archive_put_in_the_cache_by_hand_needs_no_network(archive, tmp_path):
    (tmp_path / "cifar-10-python.tar.gz").write_bytes(archive["payload"])
    _fetch(archive, tmp_path, closed_port_url())
    _assert_loads(tmp_path, archive)


def _info(name, kind=tarfile.REGTYPE, size=0, linkname=""):
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname = kind, size, linkname
    return info


@pytest.mark.parametrize("member,problem", [
    (_info("/tmp/evil", size=1), "absolute path"),
    (_info(f"{FOLDER}/../../evil", size=1), r"outside the folder \('\.\.'"),
    (_info(f"{FOLDER}/data_batch_1", tarfile.SYMTYPE, linkname="/etc/passwd"), "link or special file"),
    (_info(f"{FOLDER}/data_batch_1", tarfile.LNKTYPE, linkname="/etc/passwd"), "link or special file"),
    (_info("elsewhere/file", size=1), f"outside {FOLDER}/"),
])
def test_unsafe_archive_members_are_refused(tmp_path, member, problem):
    payload = tar_bytes([(member, b"x" if member.size else None)])
    archive_path = tmp_path / "a.tar.gz"
    archive_path.write_bytes(payload)
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(UnsafeArchiveError, match=problem):
        safe_extract(archive_path, cache, CIFAR10)
    assert _listing(cache) == [] and not (tmp_path / "evil").exists()


def test_unsafe_archive_from_the_server_is_deleted(tmp_path):
    payload = tar_bytes([(_info(f"{FOLDER}/../escape", size=1), b"x")])
    md5, sha = file_digests_of(payload, tmp_path)
    cache = tmp_path / "cache"
    with ArchiveServer(payload) as srv, pytest.raises(UnsafeArchiveError, match="escape"):
        fetch_cifar10(cache, url=srv.url, md5=md5, sha256=sha, size=None, progress=None)
    assert not cache.exists() and not (tmp_path / "escape").exists()


def file_digests_of(payload: bytes, tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "payload.bin"
    path.write_bytes(payload)
    return file_digests(path)


def test_archive_missing_a_batch_never_looks_complete(archive, tmp_path):
    with tarfile.open(archive["path"]) as src:
        members = [(m, src.extractfile(m).read() if m.isfile() else None)
                   for m in src.getmembers() if not m.name.endswith("data_batch_5")]
    path = tmp_path / "short.tar.gz"
    path.write_bytes(tar_bytes(members))
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(FetchError, match="lacks data_batch_5"):
        safe_extract(path, cache, CIFAR10)
    assert _listing(cache) == []


def test_data_dir_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert data_dir(tmp_path / "arg") == tmp_path / "arg"
    assert data_dir() == tmp_path / "env"
    monkeypatch.delenv(DATA_DIR_ENV)
    assert repo_root() == REPO
    assert data_dir() == REPO / "datasets" / "cache"
    ignore = (REPO / ".gitignore").read_text().splitlines()
    assert "datasets/cache/" in ignore


def test_cli_fetch(archive, server, tmp_path, capsys):
    cache = tmp_path / "cache"
    argv = ["data", "fetch", "cifar10", "--cache", str(cache), "--url", server.url,
            "--md5", archive["md5"], "--sha256", archive["sha256"]]
    assert cli_main(argv) == 0
    _assert_loads(cache, archive)
    assert cli_main(["data", "fetch", "cifar10", "--cache", str(tmp_path / "c2"), "--url", closed_port_url(),
                     "--timeout", "2"]) == 1
    err = capsys.readouterr().err
    assert "cs231n-lin data fetch: error: could not reach" in err


def test_get_cifar10_script_is_a_thin_wrapper(tmp_path):
    url = closed_port_url()
    proc = subprocess.run(
        [sys.executable, str(REPO / "datasets" / "get_cifar10.py"), "--cache", str(tmp_path), "--url", url],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1
    assert f"could not reach {url}" in proc.stderr


def test_fetch_refuses_to_run_without_a_checksum(tmp_path):
    with pytest.raises(ValueError, match="no checksum"):
        fetch_cifar10(tmp_path, url="http://127.0.0.1:9/x", md5=None, sha256=None)

