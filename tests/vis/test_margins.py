"""The number line of one example's scores, and the margin loss/slope curves from a given function."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cs231n_lin.vis import plot_margin_loss_and_slope, plot_margin_number_line


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_number_line_draws_each_violation_and_keeps_the_correct_class_off_the_loss_zone():
    ax = plot_margin_number_line([13.0, -7.0, 11.0], correct=0, delta=10.0)
    texts = _texts(ax)
    assert "class 2 violates by 8" in texts and not any("class 1 violates" in t for t in texts)
    zone = ax.collections[0].get_paths()[0].vertices
    correct_y = next(ln.get_ydata()[0] for ln in ax.get_lines()
                     if ln.get_marker() == "o" and ln.get_xdata()[0] == 13.0)
    assert correct_y > zone[:, 1].max(), "the correct-class marker must not sit inside the loss zone"
    assert zone[:, 0].min() == pytest.approx(3.0), "the zone starts at s_y - delta"
    bar = next(ln for ln in ax.get_lines() if ln.get_linewidth() == 4)
    assert sorted(bar.get_xdata()) == [3.0, 11.0], "the violation bar runs from s_y - delta to s_j"
    plt.close("all")


def test_number_line_stacks_several_violations():
    ax = plot_margin_number_line([1.0, 3.0, 0.5, -2.0], correct=2, delta=1.0)
    bars = [ln for ln in ax.get_lines() if ln.get_linewidth() == 4]
    assert len(bars) == 2 and len({ln.get_ydata()[0] for ln in bars}) == 2
    plt.close("all")


@pytest.mark.parametrize("args, match", [
    (([1.0], 0, 1.0), "at least 2"), (([1.0, 2.0], 2, 1.0), "correct must be"),
    (([1.0, 2.0], 0, -1.0), "delta must be"), (([1.0, np.nan], 0, 1.0), "finite"),
])
def test_number_line_rejects_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        plot_margin_number_line(*args)


def test_margin_curves_are_drawn_from_the_given_function():
    calls = []

    def fake(m, squared=False):
        calls.append(squared)
        return (m * 0 + (2.0 if squared else 1.0)), m * 0 + (4.0 if squared else 3.0)

    fig = plot_margin_loss_and_slope(fake)
    loss_ax, slope_ax = fig.axes
    assert calls == [False, True]
    assert [ln.get_ydata()[0] for ln in loss_ax.get_lines()[:2]] == [1.0, 2.0]
    assert [ln.get_ydata()[0] for ln in slope_ax.get_lines()[:2]] == [3.0, 4.0]
    with pytest.raises(ValueError, match="low < 0 < high"):
        plot_margin_loss_and_slope(fake, margin_range=(1.0, 2.0))
    plt.close("all")
