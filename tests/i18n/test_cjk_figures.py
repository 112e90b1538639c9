"""Chinese figure text renders with a real CJK font: no missing-glyph warning, no tofu boxes."""

from __future__ import annotations

import io
import warnings

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from cs231n_lin import i18n  # noqa: E402


@pytest.fixture
def restore_rc():
    saved = matplotlib.rcParams.copy()
    yield
    matplotlib.rcParams.update(saved)
    plt.close("all")


def _render(title: str, caplog=None) -> list[str]:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [1, 0], label="合页损失 (hinge loss)")
    ax.set_title(title)
    ax.set_xlabel("间隔 (margin) m = $s_j - s_{y_i} + \\Delta$")
    ax.set_ylabel("损失 −1.5")
    ax.legend()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    if caplog is not None:       # mathtext reports a missing glyph through logging
        missing += [r.getMessage() for r in caplog.records if "does not have a glyph" in r.getMessage()]
    return missing


def test_a_chinese_figure_renders_without_missing_glyphs(restore_rc, caplog):
    try:
        family = i18n.use_cjk_font()
    except RuntimeError as exc:          # not a skip: a fresh machine must have the font
        pytest.fail(f"{exc} (Chinese figures would show empty boxes)")
    assert "CJK" in family
    assert _render("训练损失：合页损失与交叉熵 (cross-entropy)", caplog) == []


def test_without_the_cjk_font_the_same_figure_warns(restore_rc):
    # The oracle that the check above can fail: the default font has no Chinese glyphs.
    matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    missing = _render("训练损失")
    assert missing and "DejaVu Sans" in missing[0]


def test_configure_figures_uses_the_cjk_font_only_in_chinese(restore_rc, monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "en")
    assert i18n.configure_figures() is None
    monkeypatch.setenv(i18n.LANG_ENV, "zh")
    assert "CJK" in i18n.configure_figures()
    assert "CJK" in matplotlib.rcParams["font.family"][0]


def _texts(fig) -> str:
    from matplotlib.text import Text
    return " ".join(t.get_text() for t in fig.findobj(Text))


def test_lesson_figures_speak_the_current_language_and_render_in_chinese(restore_rc, caplog):
    import numpy as np

    from cs231n_lin.vis import plot_loss_history, plot_margin_loss_and_slope, plot_margin_number_line

    def margin_loss(m, squared=False):
        pos = np.maximum(0.0, m)
        return (pos**2, 2 * pos) if squared else (pos, (m > 0).astype(float))

    def draw():
        figs = [plot_margin_loss_and_slope(margin_loss),
                plot_loss_history({"svm": np.linspace(9, 1, 100)}).figure,
                plot_margin_number_line([13, -7, 11], 0, 10).figure]
        text = " ".join(_texts(f) for f in figs)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for f in figs:
                f.savefig(io.BytesIO(), format="png")
        plt.close("all")
        missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
        missing += [r.getMessage() for r in caplog.records if "does not have a glyph" in r.getMessage()]
        return text, missing

    with i18n.using_lang("en"):
        text, missing = draw()
    assert "Training loss" in text and "训练损失" not in text and missing == []
    with i18n.using_lang("zh"):
        i18n.use_cjk_font()
        text, missing = draw()
    assert "训练损失" in text and "单个间隔的损失" in text and "Training loss" not in text
    assert missing == []


def test_titles_set_by_the_lessons_code_cells_are_translated_when_shown(restore_rc):
    from types import SimpleNamespace

    from IPython.core.events import EventManager, available_events
    from IPython.core.formatters import PNGFormatter
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from cs231n_lin.vis import figure_text_zh

    assert figure_text_zh.translate_text("SVM training loss on digits") == "digits 上的 SVM 训练损失"
    assert figure_text_zh.translate_text("hinge（最近 20 步的平均）") == "合页（最近 20 步的平均）"
    assert figure_text_zh.translate_text("squared hinge") == "平方合页"
    assert figure_text_zh.translate_text("an unknown title") == "an unknown title"

    seen = []
    png = PNGFormatter()
    png.for_type(Figure, lambda fig: seen.append(sorted(t.get_text() for t in fig.findobj(Text))) or b"png")
    shell = SimpleNamespace(display_formatter=SimpleNamespace(formatters={"image/png": png}),
                            events=EventManager(None, available_events))
    assert figure_text_zh.install(shell)
    fig, ax = plt.subplots()
    ax.set_title("Training loss on digits: hinge vs squared hinge")
    png(fig)
    assert "digits 上的训练损失：合页与平方合页" in seen[-1]
    # something re-registers the plain formatter (matplotlib-inline does after its first cell):
    png.for_type(Figure, lambda fig: seen.append(["plain"]) or b"png")
    shell.events.trigger("pre_execute")              # the next cell: wrapped again
    ax.set_title("both boundaries")
    png(fig)
    assert seen[-1] == ["plain"] and ax.get_title() == "两条边界"
    assert figure_text_zh.install() is False            # outside IPython: nothing to hook
