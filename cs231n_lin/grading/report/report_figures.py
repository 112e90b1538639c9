"""The report's figures, drawn with matplotlib's object API and returned as base64 PNG strings.

Each function takes the :func:`cs231n_lin.grading.report.report.summarize` dictionary and returns the
PNG of one figure encoded for an ``<img src="data:image/png;base64,...">`` (or ``None`` when
there is nothing to draw). No pyplot: figures are never registered globally, so nothing leaks
between calls and no display is needed.
"""

from __future__ import annotations

import base64
import io
import math
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

DPI = 100
# boxplot's `vert` is deprecated from matplotlib 3.10, which has `orientation` instead
_HORIZONTAL = ({"orientation": "horizontal"} if tuple(int(x) for x in matplotlib.__version__.split(".")[:2])
               >= (3, 10) else {"vert": False})
BLUE, ORANGE, RED, GREY = "#3b6ea8", "#d9822b", "#b83a3a", "#888888"


def _png(fig: Figure) -> str:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def total_histogram(summary: dict[str, Any]) -> str | None:
    """Histogram of the total scores with the mean and median marked."""
    scores = np.array(list(summary["scores"].values()), dtype=float)
    if scores.size == 0:
        return None
    top = max(float(summary["max_score"]), float(scores.max()), 1.0)
    fig = Figure(figsize=(7.5, 3.0), layout="constrained")
    ax = fig.add_subplot()
    bins = np.linspace(0, top, min(40, max(10, int(top) + 1)) + 1)
    ax.hist(scores, bins=bins, color=BLUE, edgecolor="white")
    mean, median = summary["total"]["mean"], summary["total"]["median"]
    ax.axvline(mean, color=ORANGE, lw=2, label=f"mean {mean:.1f}")
    ax.axvline(median, color=RED, lw=2, ls="--", label=f"median {median:.1f}")
    ax.set_xlim(0, top)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"total score (out of {summary['max_score']:g})")
    ax.set_ylabel("submissions")
    ax.legend(frameon=False, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def parts_boxplot(summary: dict[str, Any]) -> str | None:
    """Per part: distribution of the fraction of its points earned (box), mean as a dot."""
    parts = [p for p in summary["parts"] if p["max_score"] > 0]
    if not parts:
        return None
    per = summary["per_submission_parts"]
    data = []
    for p in parts:
        name = p["part"]
        data.append([s / m for s, m in (per[n][name] for n in per if name in per[n]) if m > 0] or [0.0])
    fig = Figure(figsize=(7.5, 0.34 * len(parts) + 1.1), layout="constrained")
    ax = fig.add_subplot()
    pos = np.arange(len(parts))[::-1]
    ax.boxplot(data, positions=pos, **_HORIZONTAL, widths=0.6, showfliers=False, patch_artist=True,
               boxprops={"facecolor": "#dbe6f3", "edgecolor": BLUE}, medianprops={"color": RED})
    ax.plot([float(np.mean(d)) for d in data], pos, "o", color=ORANGE, ms=4, label="mean")
    ax.set_yticks(pos, [f"{p['part']} ({p['max_score']:g} pts)" for p in parts], fontsize=8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("fraction of the part's points earned")
    ax.legend(frameon=False, loc="lower left", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def diagnoses_bars(summary: dict[str, Any], top: int = 12) -> str | None:
    """The most common diagnosed mistakes, as the share of the class they hit."""
    rows = [r for r in summary["diagnoses"] if not r.get("unfinished")][:top]
    if not rows:
        return None
    fig = Figure(figsize=(7.5, 0.32 * len(rows) + 0.9), layout="constrained")
    ax = fig.add_subplot()
    pos = np.arange(len(rows))[::-1]
    shares = [100 * r["share"] for r in rows]
    ax.barh(pos, shares, color=RED, height=0.65)
    for y, r, s in zip(pos, rows, shares, strict=True):
        ax.text(s, y, f" {r['count']}", va="center", fontsize=8)
    ax.set_yticks(pos, [_short(f"{r['function']}: {r['label']}") for r in rows], fontsize=8)
    ax.set_xlabel("% of submissions")
    ax.set_xlim(0, max(shares) * 1.15)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def pass_rate_bars(summary: dict[str, Any], top: int = 15) -> str | None:
    """Pass rates of the tests and check cells that failed most (written answers left out)."""
    rows = [r for r in summary["tests"] if r["kind"] != "written" and r["pass_rate"] < 1.0][:top]
    if not rows:
        return None
    fig = Figure(figsize=(7.5, 0.3 * len(rows) + 0.9), layout="constrained")
    ax = fig.add_subplot()
    pos = np.arange(len(rows))[::-1]
    colors = [ORANGE if r["kind"] == "notebook" else BLUE for r in rows]
    ax.barh(pos, [100 * r["pass_rate"] for r in rows], color=colors, height=0.65)
    labels = [r["name"] if len(r["name"]) <= 60 else r["name"][:57] + "..." for r in rows]
    ax.set_yticks(pos, labels, fontsize=7)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of submissions passing (blue: hidden test, orange: notebook check cell)")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def perf_histogram(summary: dict[str, Any]) -> str | None:
    """Distribution of each vectorized loss's time over the two matrix products (log scale)."""
    perf = summary["perf"]
    funcs = {fn: list(row["ratios"].values()) for fn, row in perf["functions"].items() if row["ratios"]}
    if not funcs:
        return None
    fig = Figure(figsize=(7.5, 2.6 * len(funcs) / 2 + 1.0 if len(funcs) > 2 else 3.0), layout="constrained")
    axes = fig.subplots(1, len(funcs), sharey=True, squeeze=False)[0]
    every = [r for rs in funcs.values() for r in rs if r > 0]
    lo = min(1.0, min(every)) if every else 1.0
    hi = max(30.0, max(every)) if every else 30.0
    bins = np.logspace(math.log10(lo * 0.9), math.log10(hi * 1.1), 30)
    for ax, (fn, ratios) in zip(axes, funcs.items(), strict=True):
        ax.hist([r for r in ratios if r > 0], bins=bins, color=BLUE, edgecolor="white")
        ax.set_xscale("log")
        ticks = [t for t in (1, 3, 10, 30, 100, 300, 1000) if bins[0] <= t <= bins[-1]]
        ax.set_xticks(ticks, [f"{t}x" for t in ticks])
        ax.minorticks_off()
        ax.set_title(fn, fontsize=9)
        ax.set_xlabel("time / (X @ W + X.T @ G)")
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_ylabel("submissions")
    return _png(fig)


def all_figures(summary: dict[str, Any]) -> dict[str, str | None]:
    """Every figure by name (``total``, ``parts``, ``diagnoses``, ``tests``, ``perf``)."""
    return {"total": total_histogram(summary), "parts": parts_boxplot(summary),
            "diagnoses": diagnoses_bars(summary), "tests": pass_rate_bars(summary),
            "perf": perf_histogram(summary)}


__all__ = ["all_figures", "diagnoses_bars", "parts_boxplot", "pass_rate_bars", "perf_histogram",
           "total_histogram"]
