"""Chinese figure text for the titles and labels that the lessons' code cells write in English.

The lessons' code cells are shared by both languages, so a title set in a cell
(``ax.set_title(f"SVM training loss on {data.name}")``) is English. In a Chinese notebook,
:func:`install` makes IPython translate such known phrases (:data:`PHRASES_ZH`) just before a
figure is rendered for display; the vis functions' own labels are already in the current
language (:func:`cs231n_lin.i18n.tr`). Only IPython's public formatter and event API is used: the
figure formatter in place (matplotlib-inline's) is wrapped, and wrapped again before each cell
runs if something re-registered it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["PHRASES_ZH", "install", "translate_figure", "translate_text"]

#: ``(pattern, replacement)`` applied in order with ``re.sub`` to every text of a figure.
PHRASES_ZH: list[tuple[re.Pattern[str], str]] = [(re.compile(p), r) for p, r in [
    (r"^Scores of one example: correct class (\d+), \$\\Delta\$ = (\S+)$",
     r"一个样本的得分：正确类别为 \1，$\\Delta$ = \2"),
    (r"^expected at the start: C - 1 = (\d+)$", r"开始时的预期值：C - 1 = \1"),
    (r"^SVM training loss on (\S+)$", r"\1 上的 SVM 训练损失"),
    (r"^Softmax training loss on (\S+)$", r"\1 上的 Softmax 训练损失"),
    (r"^Training loss on (\S+): hinge vs squared hinge$", r"\1 上的训练损失：合页与平方合页"),
    (r"^Linear SVM on subsets of (\d+) (\S+) training images$", r"在 \1 张 \2 训练图像的子集上训练线性 SVM"),
    (r"^(LinearSVM|Softmax) weight templates \((\S+)\)$", r"\1 权重模板（\2）"),
    (r"^log C = (\S+): the loss of\nuniform probabilities$", r"log C = \1：均匀分布概率\n对应的损失"),
    (r"^Stronger regularization → smaller weights → more diffuse softmax probabilities$",
     r"正则化越强 → 权重越小 → softmax 概率越分散"),
    (r"^(.+): train accuracy (\S+)$", r"\1：训练准确率 \2"),
    (r"^both boundaries$", r"两条边界"),
    (r"^predicted class \(background\), margin lines \(dashed\),\n"
     r"per-point loss \(rings\)$",
     "预测类别（背景），间隔线（虚线），\n各点的损失（圆圈）"),
    (r"^point loss > (\S+)\n\(bigger ring: larger\)$", r"该点损失 > \1\n（圈越大，损失越大）"),
    (r"^class (\d+)$", r"类别 \1"),
    (r"^inputs are mean-subtracted: a weight says how a pixel brighter than the average image moves "
     r"the class score$", "输入已减去均值：权重表示比平均图像更亮的像素如何改变该类别的得分"),
    (r"^train(?=（)", "训练"),
    (r"^validation(?=（)", "验证"),
    (r"^confident and right(?=：|$)", r"有把握且正确"),
    (r"^least certain(?=：|$)", r"最没把握"),
    (r"^confidently wrong(?=：|$)", r"有把握但错误"),
    (r"^squared hinge(?=（|$| \()", r"平方合页"),
    (r"^hinge(?=（|$| \()", r"合页"),
]]
_MARK = "_cs231n_lin_zh"
_installed: set[int] = set()            # id() of the shells already hooked


def translate_text(text: str) -> str:
    """``text`` with the known English phrases of :data:`PHRASES_ZH` in Chinese."""
    for pattern, repl in PHRASES_ZH:
        text = pattern.sub(repl, text)
    return text


def translate_figure(fig: Any) -> Any:
    """Translate every text artist of the matplotlib figure ``fig`` in place; returns ``fig``."""
    from matplotlib.text import Text

    for artist in fig.findobj(Text):
        old = artist.get_text()
        new = translate_text(old) if old else old
        if new != old:
            artist.set_text(new)
    return fig


def _wrap(render: Callable) -> Callable:
    def render_zh(fig: Any, *args: Any, **kwargs: Any) -> Any:
        return render(translate_figure(fig), *args, **kwargs)

    setattr(render_zh, _MARK, True)
    return render_zh


def install(shell: Any | None = None) -> bool:
    """In a running IPython, translate figures' known English phrases before they are shown.

    Returns False (and does nothing) outside IPython.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    from matplotlib.figure import Figure

    def ensure(*_: Any) -> None:
        for formatter in shell.display_formatter.formatters.values():
            try:
                current = formatter.lookup_by_type(Figure)
            except KeyError:
                continue
            if not getattr(current, _MARK, False):
                formatter.for_type(Figure, _wrap(current))

    ensure()
    if id(shell) not in _installed:
        shell.events.register("pre_execute", ensure)
        _installed.add(id(shell))
    return True
