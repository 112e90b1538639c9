import io

import pytest

from cs231n_lin.progress import format_bar, progress


def test_format_bar_fills_in_proportion():
    assert format_bar(0, 4, width=8) == "[........] 0/4"
    assert format_bar(2, 4, width=8, desc="go") == "go [####....] 2/4"
    assert format_bar(4, 4, width=8) == "[########] 4/4"
    assert format_bar(0, 0, width=3) == "[###] 0/0"
    assert format_bar(1, 3, width=10, elapsed=1.25).endswith(" 1/3 1.2s")


@pytest.mark.parametrize("done,total,width", [(5, 4, 8), (-1, 4, 8), (0, -1, 8), (1, 2, 0)])
def test_format_bar_rejects_impossible_counts(done, total, width):
    with pytest.raises(ValueError, match="total|done|width"):
        format_bar(done, total, width=width)


def test_progress_yields_every_item_and_draws_each_step():
    out = io.StringIO()
    assert list(progress("abc", desc="x", width=3, file=out)) == ["a", "b", "c"]
    frames = out.getvalue().split("\r")[1:]
    assert frames == ["x [...] 0/3", "x [#..] 1/3", "x [##.] 2/3", "x [###] 3/3", "x [###] 3/3\n"]


def test_progress_needs_total_for_generators_and_can_be_silent():
    with pytest.raises(ValueError, match="total="):
        list(progress(i for i in range(3)))
    assert list(progress((i for i in range(3)), total=3, file=None)) == [0, 1, 2]
