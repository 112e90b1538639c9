import io

import pytest

from cs231n_lin.progress import download_bar, progress


def test_progress_yields_every_item_and_ends_with_the_full_bar():
    out = io.StringIO()
    assert list(progress("abc", desc="x", width=3, file=out)) == ["a", "b", "c"]
    frames = out.getvalue().split("\r")
    assert frames[-1] == "x: [###] 3/3\n"                    # the finished bar stays, on its own line
    assert "x: [   ] 0/3" in frames                           # drawn from the start
    assert out.getvalue().count("\n") == 1


def test_progress_needs_total_for_generators_and_can_be_silent():
    with pytest.raises(ValueError, match="total="):
        list(progress(i for i in range(3)))
    with pytest.raises(ValueError, match="total must be >= 0"):
        list(progress([], total=-1))
    assert list(progress((i for i in range(3)), total=3, file=None)) == [0, 1, 2]


def test_progress_can_show_the_elapsed_time():
    out = io.StringIO()
    list(progress(range(2), file=out, show_time=True))
    assert out.getvalue().rstrip("\n").endswith("2/2 00:00")


def test_download_bar_counts_bytes_from_a_resumed_offset():
    out = io.StringIO()
    bar = download_bar("data.tar.gz", 2_000_000, initial=500_000, file=out)
    bar.update(1_500_000)
    bar.close()
    last = out.getvalue().split("\r")[-1]
    assert last.startswith("data.tar.gz: 100%") and "2.00M/2.00M" in last and last.endswith("\n")


def test_download_bar_without_a_size_or_a_stream():
    out = io.StringIO()
    bar = download_bar("x", None, file=out)
    bar.update(3_000_000)
    bar.close()
    assert "3.00MB" in out.getvalue()  # no total: bytes and rate only
    silent = download_bar("x", 10, file=None)
    silent.update(10)
    silent.close()
