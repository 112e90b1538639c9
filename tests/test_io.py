"""Atomic writes: the target appears complete or not at all, and no temporary file is left."""

import pytest

from cs231n_lin._io import atomic_write, atomic_write_bytes, atomic_write_text


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    assert atomic_write_text(target, "first") == target
    atomic_write_text(target, "second")
    assert target.read_text(encoding="utf-8") == "second"
    atomic_write_bytes(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]


def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def half_write(tmp):
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, half_write)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_respects_the_umask_and_keeps_an_existing_mode(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        new = atomic_write_text(tmp_path / "new.txt", "x")
        assert new.stat().st_mode & 0o777 == 0o644          # not mkstemp's 0600
        os.chmod(new, 0o640)
        atomic_write_text(new, "y")
        assert new.stat().st_mode & 0o777 == 0o640          # replacing keeps the file's mode
    finally:
        os.umask(old)
