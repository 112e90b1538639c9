"""Every word the explorer shows, in English and in Chinese (the student's language: :mod:`cs231n_lin.i18n`).

:func:`text` gives the words of the current language; :func:`loss_label` a loss's menu label.
Numbers, symbols (Δ, λ, L\\ :sub:`i`) and identifiers stay as they are.
"""

from __future__ import annotations

from cs231n_lin.i18n import current_lang

__all__ = ["LOSS_LABELS_ZH", "TEXT", "loss_label", "text"]

#: ``{key: (English, Chinese)}``.
TEXT: dict[str, tuple[str, str]] = {
    "class": ("class {c}", "类别 {c}"),
    "loss": ("loss", "损失"),
    "delta": ("Δ (margin)", "Δ（间隔）"),
    "reg": ("λ (reg)", "λ（正则化）"),
    "learning_rate": ("learning rate", "学习率"),
    "steps": ("N steps", "步数 N"),
    "one_step": ("1 gradient step", "走 1 步梯度"),
    "run_steps": ("run N steps", "走 N 步"),
    "randomize": ("randomize", "随机权重"),
    "reset": ("reset", "重置"),
    "weights": ("<b>weights</b> (score of a class = w₁·x₁ + w₂·x₂ + b)",
                "<b>权重</b>（一个类别的得分 = w₁·x₁ + w₂·x₂ + b）"),
    "total_loss": ("total loss", "总损失"),
    "data_loss": ("data loss", "数据损失"),
    "reg_loss": ("reg loss", "正则化损失"),
    "accuracy": ("accuracy", "准确率"),
    "steps_taken": ("steps taken", "已走步数"),
    "per_point": ("per-point L<sub>i</sub>: min {lo}, median {mid}, max {hi}; {n} of {total} points &gt; 0",
                  "各点的 L<sub>i</sub>：最小 {lo}，中位数 {mid}，最大 {hi}；{total} 个点中有 {n} 个 &gt; 0"),
    "largest": ("largest: ", "损失最大的点："),
    "list_sep": (", ", "，"),
    "none": ("none", "无"),
    "worst_item": ("#{i} (class {c}): {loss}", "#{i}（类别 {c}）：{loss}"),
    "title": ("predicted class (background), margin lines (dashed),\nper-point loss (rings)",
              "预测类别（背景），间隔线（虚线），\n各点的损失（圆圈）"),
    "summary": ("{label}{margin}, λ = {reg}: total loss {loss} = data {data} + reg {regl}; accuracy {acc}",
                "{label}{margin}，λ = {reg}：总损失 {loss} = 数据 {data} + 正则化 {regl}；准确率 {acc}"),
}
#: Chinese menu labels of the registered losses (a loss not named here keeps its own label).
LOSS_LABELS_ZH = {
    "hinge": "合页损失 (SVM)",
    "squared_hinge": "平方合页损失 (L2-SVM)",
    "softmax": "softmax（交叉熵）",
}


def text(key: str, **fields: object) -> str:
    """The explorer's words for ``key`` in the current language, with ``fields`` filled in."""
    en, zh = TEXT[key]
    words = zh if current_lang() == "zh" else en
    return words.format(**fields) if fields else words


def loss_label(spec) -> str:
    """The menu label of a registered loss (a :class:`~cs231n_lin.classifiers.registry.LossSpec`)."""
    if current_lang() == "zh":
        return LOSS_LABELS_ZH.get(spec.name, spec.label)
    return spec.label
