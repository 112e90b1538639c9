"""The explorer in a Chinese copy: every word a student reads is Chinese (numbers, symbols and
identifiers aside), and the same numbers as in English."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

from cs231n_lin.data import make_blobs_2d
from cs231n_lin.explore import Explorer, ExplorerState, explore, loss_report_html
from cs231n_lin.explore.text import LOSS_LABELS_ZH, TEXT
from cs231n_lin.i18n import using_lang
from cs231n_lin.vis.boundaries import plot_decision_regions

X, Y = make_blobs_2d(20, 4, seed=0)
#: What may stay Latin in Chinese text: symbols, identifiers and abbreviations of the course.
ALLOWED = {"SVM", "L2", "softmax", "Li", "w", "x", "b", "N", "sub", "nbsp", "gt", "div", "br", "style",
           "font", "family", "monospace", "line", "height", "overflow", "wrap", "anywhere"}


def english_words(text: str) -> list[str]:
    """Latin words of two letters or more that are not allowed identifiers or HTML."""
    text = re.sub(r"\{\w+\}", " ", re.sub(r"<[^>]*>", " ", text))        # no tags, no {fields}
    words = re.findall(r"[A-Za-z]{2,}", text)
    return [w for w in words if w not in ALLOWED]


def test_every_explorer_text_has_a_chinese_twin_without_english():
    for key, (en, zh) in TEXT.items():
        assert zh != en, key
        assert not english_words(zh), (key, zh)
        assert set(re.findall(r"\{(\w+)\}", en)) == set(re.findall(r"\{(\w+)\}", zh)), key
    for name, label in LOSS_LABELS_ZH.items():
        assert not english_words(label), (name, label)


def test_read_out_is_chinese_with_the_same_numbers():
    state = ExplorerState(X, Y, seed=3, reg=0.02)
    en = loss_report_html(state)
    with using_lang("zh"):
        zh = loss_report_html(state)
        summary = state.summary()
    assert "total loss" in en and "总损失" in zh and "数据损失" in zh and "准确率" in zh
    assert not english_words(zh), zh
    assert not english_words(summary), summary
    assert re.findall(r"\d+\.\d+", en) == re.findall(r"\d+\.\d+", zh)     # the same numbers, same order


def test_widget_controls_are_chinese():
    pytest.importorskip("ipywidgets")
    with using_lang("zh"):
        app = Explorer(ExplorerState(X, Y, seed=3), resolution=30)
    words = [app.loss_menu.description, app.delta_slider.description, app.reg_slider.description,
             app.lr_text.description, app.steps_text.description,
             *[label for label, _ in app.loss_menu.options], *[b.description for b in app.buttons.values()],
             app.widget.children[1].value, app.loss_html.value]
    for text in words:
        assert not english_words(text), text
    assert app.lr_text.description == "学习率" and app.buttons["run N steps"].description == "走 N 步"
    assert app.buttons["reset"].description == "重置"
    plt.close("all")


def _figure_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_static_explorer_figure_and_legend_are_chinese(capsys):
    with using_lang("zh"):
        result = explore(X, Y, seed=0, display=False)
    capsys.readouterr()
    texts = _figure_texts(result.figure)
    assert "类别 0" in texts and "类别 3" in texts, texts
    for text in texts:
        assert not english_words(text), text
    plt.close("all")


def test_decision_regions_legend_names_classes_in_the_current_language():
    W = [[1.0, -1.0, 0.0, 0.5], [0.0, 1.0, -1.0, 0.5]]
    for lang, name in (("en", "class 2"), ("zh", "类别 2")):
        with using_lang(lang):
            ax = plot_decision_regions(W, X, Y, resolution=30)
        legend = ax.get_legend()
        assert name in [t.get_text() for t in legend.get_texts()], lang
        plt.close(ax.figure)
