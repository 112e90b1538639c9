"""Figures about softmax probabilities: examples that teach, cross-entropy against q, confidence.

- :func:`teaching_examples` picks validation images worth looking at (a confident right one, the
  least certain one, a confidently wrong one);
- :func:`plot_probability_bars` shows each picked image beside its class probabilities;
- :func:`plot_cross_entropy_vs_q` draws ``H(p, q)`` for two classes as ``q`` sweeps ``[0, 1]``;
- :func:`plot_max_probability_histograms` compares how peaked the probabilities of several
  models are (step histograms of each image's largest probability).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from cs231n_lin.i18n import tr


def _check_probabilities(P, y) -> tuple[np.ndarray, np.ndarray]:
    P = np.asarray(P, dtype=float)
    y = np.asarray(y)
    if P.ndim != 2 or P.shape[1] < 2:
        raise ValueError(f"P must have shape (N, C) with C >= 2; got {P.shape}")
    if y.shape != (P.shape[0],):
        raise ValueError(f"y must have shape (N,) = ({P.shape[0]},) to match P; got {y.shape}")
    if not np.isfinite(P).all():
        raise ValueError("P contains NaN or infinity")
    return P, y


def teaching_examples(P: np.ndarray, y: np.ndarray) -> dict[str, int]:
    """Indices of three examples that teach something about a classifier's probabilities.

    Parameters
    ----------
    P : ndarray of shape (N, C)
        Class probabilities (rows sum to 1).
    y : ndarray of shape (N,)
        Correct class indices in ``[0, C)``.

    Returns
    -------
    dict
        ``"confident and right"``: the right prediction with the largest ``P[i, y_i]``;
        ``"least certain"``: the example whose largest probability is smallest;
        ``"confidently wrong"``: the wrong prediction with the largest probability (left out when
        every prediction is right). The indices are distinct where possible.
    """
    P, y = _check_probabilities(P, y)
    pred = P.argmax(axis=1)
    right = np.flatnonzero(pred == y)
    wrong = np.flatnonzero(pred != y)
    picked: dict[str, int] = {}
    if right.size:
        picked["confident and right"] = int(right[np.argmax(P[right, y[right]])])
    order = np.argsort(P.max(axis=1), kind="stable")
    picked["least certain"] = int(next((i for i in order if i not in picked.values()), order[0]))
    if wrong.size:
        candidates = [i for i in wrong[np.argsort(-P[wrong].max(axis=1), kind="stable")]
                      if i not in picked.values()]
        if candidates:
            picked["confidently wrong"] = int(candidates[0])
    return picked


def plot_probability_bars(images: np.ndarray, P: np.ndarray, y: np.ndarray, class_names: Sequence[str],
                          *, captions: Sequence[str] | None = None, fig=None):
    """Each image beside a bar chart of its class probabilities (correct class green, prediction red).

    Parameters
    ----------
    images : ndarray of shape (K, H, W) or (K, H, W, 3)
        The input images as a person sees them (add the mean image back before passing them).
    P : ndarray of shape (K, C)
        Their class probabilities.
    y : ndarray of shape (K,)
        Correct class indices.
    class_names : sequence of C str
    captions : sequence of K str, optional
        A word on why each example was picked (e.g. the keys of :func:`teaching_examples`).
    fig : matplotlib Figure, optional

    Returns
    -------
    matplotlib Figure
    """
    import matplotlib.pyplot as plt

    P, y = _check_probabilities(P, y)
    images = np.asarray(images, dtype=float)
    K, C = P.shape
    if images.shape[0] != K:
        raise ValueError(f"images has {images.shape[0]} images but P has {K} rows")
    if len(class_names) != C:
        raise ValueError(f"class_names has {len(class_names)} names but P has {C} columns")
    if captions is not None and len(captions) != K:
        raise ValueError(f"captions has {len(captions)} entries for {K} examples")
    if fig is None:
        fig = plt.figure(figsize=(4.2 * K, 3.4), layout="constrained")
    grid = fig.add_gridspec(1, 2 * K, width_ratios=[1, 2.2] * K)
    long_names = max(len(str(n)) for n in class_names) > 2
    for k in range(K):
        ax_img = fig.add_subplot(grid[0, 2 * k])
        img = images[k]
        lo, hi = img.min(), img.max()
        ax_img.imshow((img - lo) / (hi - lo + 1e-12), cmap="gray_r" if img.ndim == 2 else None)
        ax_img.set_xticks([])
        ax_img.set_yticks([])
        pred = int(P[k].argmax())
        ax_img.set_title(tr(f"true: {class_names[y[k]]}\npredicted: {class_names[pred]}",
                            f"真实：{class_names[y[k]]}\n预测：{class_names[pred]}"), fontsize=10)
        ax = fig.add_subplot(grid[0, 2 * k + 1])
        colors = ["tab:green" if c == y[k] else "tab:red" if c == pred else "0.6" for c in range(C)]
        ax.bar(range(C), P[k], color=colors)
        ax.set_ylim(0, 1)
        ax.set_xticks(range(C))
        ax.set_xticklabels([str(n) for n in class_names], rotation=60 if long_names else 0,
                           ha="right" if long_names else "center", fontsize=9)
        ax.tick_params(axis="y", labelsize=9)
        ax.grid(axis="y", alpha=0.3)
        if captions is not None:
            ax.set_title(tr(f"{captions[k]}: p(true) = {P[k, y[k]]:.2f}",
                            f"{captions[k]}：p(真实) = {P[k, y[k]]:.2f}"),
                         fontsize=10)
        if k == 0:
            ax.set_ylabel(tr("probability", "概率"))
    return fig


def cross_entropy_two_classes(p1: float, q1: np.ndarray) -> np.ndarray:
    """``H(p, q) = -p log q - (1 - p) log(1 - q)`` for ``p = (1 - p1, p1)`` and each ``q = (1 - q1, q1)``."""
    q1 = np.asarray(q1, dtype=float)
    if not 0.0 <= p1 <= 1.0:
        raise ValueError(f"p1 must be a probability in [0, 1]; got {p1}")
    if np.any((q1 <= 0.0) | (q1 >= 1.0)):
        raise ValueError("q1 must lie strictly between 0 and 1 (log 0 is -inf)")
    terms = [(p1, np.log(q1)), (1.0 - p1, np.log1p(-q1))]
    return -sum(w * lg for w, lg in terms if w > 0)


def plot_cross_entropy_vs_q(p1: float, *, ax=None, num: int = 999):
    """``H(p, q)`` against ``q`` for two classes, with ``H(p)`` and the gap ``KL(p || q)`` marked.

    Parameters
    ----------
    p1 : float
        The true distribution is ``p = (1 - p1, p1)``.
    ax : matplotlib Axes, optional
    num : int, default=999
        Points of ``q1`` in ``(0, 1)``.

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 3.8), layout="constrained")
    q1 = np.linspace(0.0, 1.0, num + 2)[1:-1]
    H = cross_entropy_two_classes(p1, q1)
    H_p = float(cross_entropy_two_classes(p1, np.array([p1]))[0]) if 0 < p1 < 1 else 0.0
    ax.plot(q1, H, color="tab:blue", label=tr("cross-entropy H(p, q)", "交叉熵 H(p, q)"))
    ax.axhline(H_p, color="0.3", linestyle=":", label=tr(f"entropy H(p) = {H_p:.3f}", f"熵 H(p) = {H_p:.3f}"))
    ax.axvline(p1, color="tab:green", linestyle="--", linewidth=1, label=f"q = p ({p1:g})")
    q_far = 0.15 if p1 > 0.5 else 0.85
    H_far = float(cross_entropy_two_classes(p1, np.array([q_far]))[0])
    ax.annotate("", xy=(q_far, H_far), xytext=(q_far, H_p),
                arrowprops={"arrowstyle": "<->", "color": "tab:red"})
    ax.text(q_far + 0.02, (H_far + H_p) / 2, "KL(p‖q)", color="tab:red", va="center")
    ax.set_ylim(0, min(3.0, float(H.max())))
    ax.set_xlabel(tr("q₁ (the estimate q = (1 − q₁, q₁))", "q₁（估计分布 q = (1 − q₁, q₁)）"))
    ax.set_ylabel(tr("nats", "奈特 (nats)"))
    ax.set_title(tr(f"H(p, q) for p = ({1 - p1:g}, {p1:g}): lowest exactly at q = p",
                    f"p = ({1 - p1:g}, {p1:g}) 时的 H(p, q)：恰好在 q = p 处最低"), fontsize=10)
    ax.legend(loc="upper center", fontsize=9)
    ax.grid(alpha=0.3)
    return ax


def plot_max_probability_histograms(max_probs: Mapping[str, np.ndarray], num_classes: int, *, ax=None,
                                    bins: int = 25):
    """Step histograms of each example's largest class probability, one per model.

    Parameters
    ----------
    max_probs : mapping of label -> ndarray of shape (N,)
        ``model.predict_proba(X).max(axis=1)`` of each model.
    num_classes : int
        ``1 / num_classes`` (uniform probabilities, the smallest possible maximum) is marked.
    ax : matplotlib Axes, optional
    bins : int, default=25
        Bins over ``[0, 1]``.

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    if num_classes < 2:
        raise ValueError(f"num_classes must be >= 2; got {num_classes}")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.8), layout="constrained")
    edges = np.linspace(0, 1, bins + 1)
    for label, values in max_probs.items():
        ax.hist(np.asarray(values, dtype=float), bins=edges, histtype="step", linewidth=2, label=label)
    ax.axvline(1 / num_classes, color="grey", linestyle=":",
               label=tr(f"1 / C = {1 / num_classes:.2g} (uniform)",
                        f"1 / C = {1 / num_classes:.2g}（均匀分布）"))
    ax.set_xlim(0, 1)
    ax.set_xlabel(tr("largest class probability of a validation image", "一张验证图像的最大类别概率"))
    ax.set_ylabel(tr("number of images", "图像数"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    return ax
