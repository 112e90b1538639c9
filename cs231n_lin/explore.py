"""Interactive explorer: move a linear classifier's weights and watch its loss and boundary.

Three layers, each usable without the next:

- :class:`ExplorerState` — plain numbers: the weights ``W`` (D, C) and bias ``b`` (C,), the
  loss type, Delta, lambda and learning rate. :meth:`ExplorerState.evaluate` calls the package's
  ``svm_loss_vectorized`` / ``softmax_loss_vectorized`` on ``[X, 1]`` and ``[W; b]`` (the bias
  trick), so the numbers shown are exactly what those functions return.
- :class:`ExplorerFigure` — a matplotlib figure (Agg, no display needed) of the state's decision
  regions, margin lines and per-point losses, rendered to PNG bytes.
- :class:`Explorer` — the ipywidgets layer: sliders, a loss menu, buttons, the loss read-out and
  the figure as an ``Image`` widget. :func:`explore` builds it, or, where widgets cannot be shown
  (no ipywidgets, or not inside a Jupyter kernel), prints why and shows a static figure instead.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cs231n_lin._validation import check_scalar
from cs231n_lin.classifiers.linear_svm import svm_loss_vectorized
from cs231n_lin.classifiers.softmax import softmax_loss_vectorized
from cs231n_lin.vis.boundaries import SOFTMAX_RING_THRESHOLD, DecisionPlot
from cs231n_lin.vis.losses import LOSSES, check_loss_name, per_example_losses

LOSS_LABELS = {"hinge": "hinge (SVM)", "squared_hinge": "squared hinge (L2-SVM)",
               "softmax": "softmax (cross-entropy)"}


@dataclass(frozen=True)
class LossReport:
    """The losses of an :class:`ExplorerState` at its current weights.

    Attributes
    ----------
    loss : float
        Total loss, exactly as returned by the package's vectorized loss function.
    data_loss : float
        ``mean_i L_i``.
    reg_loss : float
        ``reg * sum(W_full * W_full)`` with ``W_full = [W; b]`` (bias trick: the bias is regularized too).
    per_point : ndarray of shape (N,)
        ``L_i`` of each point.
    dW : ndarray of shape (D, C)
        Gradient of ``loss`` with respect to ``W``.
    db : ndarray of shape (C,)
        Gradient of ``loss`` with respect to ``b``.
    accuracy : float
        Fraction of points whose highest score is their class.
    """

    loss: float
    data_loss: float
    reg_loss: float
    per_point: np.ndarray
    dW: np.ndarray
    db: np.ndarray
    accuracy: float


class ExplorerState:
    """Weights, hyperparameters and losses of a linear classifier on a fixed dataset.

    Parameters
    ----------
    X : array-like of shape (N, D)
        Data, without a bias column (it is added here).
    y : array-like of shape (N,)
        Integer labels in ``[0, C)``.
    loss : {"hinge", "squared_hinge", "softmax"}, default="hinge"
    delta : float, default=1.0
        SVM margin (``>= 0``); unused by softmax.
    reg : float, default=0.0
        L2 strength lambda (``>= 0``).
    learning_rate : float, default=0.1
        Step size of :meth:`step` (``> 0``).
    W : array-like of shape (D, C), optional
        Starting weights; random (seeded) when omitted.
    b : array-like of shape (C,), optional
        Starting bias; zeros when omitted and ``W`` is given, random otherwise.
    num_classes : int, optional
        ``C``; defaults to ``W``'s columns or ``max(y) + 1``.
    seed : int, default=0
        Seeds the starting weights and :meth:`randomize`.
    init_scale : float, default=1.0
        Standard deviation of random weights.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[-1.0, 0.0], [1.0, 0.0]]); y = np.array([0, 1])
    >>> state = ExplorerState(X, y, W=np.zeros((2, 2)))
    >>> state.evaluate().loss                    # all scores equal: each margin is delta
    1.0
    >>> state.set_weight(0, 1, 2.0)              # w[x1 -> class 1] = 2
    >>> state.evaluate().loss
    0.0
    """

    def __init__(self, X, y, *, loss: str = "hinge", delta: float = 1.0, reg: float = 0.0,
                 learning_rate: float = 0.1, W=None, b=None, num_classes: int | None = None,
                 seed: int = 0, init_scale: float = 1.0):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[0] == 0:
            raise ValueError(f"X must be a non-empty 2-D array of shape (N, D); got shape {X.shape}")
        if not np.isfinite(X).all():
            raise ValueError("X contains NaN or infinity")
        y = np.asarray(y)
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have shape (N,) = ({X.shape[0]},) to match X; got {y.shape}")
        if not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"y must hold integer class indices 0..C-1; got dtype {y.dtype}")
        if W is not None:
            W = np.asarray(W, dtype=float)
            if W.ndim != 2 or W.shape[0] != X.shape[1]:
                raise ValueError(f"W must have shape (D, C) = ({X.shape[1]}, C) to match X; got {W.shape}")
        if num_classes is None:
            num_classes = W.shape[1] if W is not None else int(y.max()) + 1
        if num_classes < 2:
            raise ValueError(f"need at least 2 classes; got num_classes={num_classes}")
        if W is not None and W.shape[1] != num_classes:
            raise ValueError(f"W has {W.shape[1]} columns but num_classes is {num_classes}")
        if y.min() < 0 or y.max() >= num_classes:
            raise ValueError(f"y must be in [0, {num_classes}); got values {y.min()}..{y.max()}")
        self.X = X
        self.y = y
        self.Xb = np.hstack([X, np.ones((X.shape[0], 1))])       # the bias trick: [x, 1]
        self.num_classes = int(num_classes)
        self.seed = seed
        self.init_scale = check_scalar(init_scale, "init_scale")
        self._rng = np.random.default_rng(seed)
        D = X.shape[1]
        if W is None:
            Wb = self._random_weights(D + 1)
        else:
            Wb = np.vstack([W, np.zeros(num_classes) if b is None else self._check_bias(b)])
        if not np.isfinite(Wb).all():
            raise ValueError("W or b contains NaN or infinity")
        self.Wb = Wb                                                 # (D + 1, C): [W; b]
        self.loss = loss
        self.delta = delta
        self.reg = reg
        self.learning_rate = learning_rate
        self.steps_taken = 0
        self._initial = (self.Wb.copy(), self.loss, self.delta, self.reg, self.learning_rate,
                         self._rng.bit_generator.state)

    # --- parameters -----------------------------------------------------------------------------
    @property
    def W(self) -> np.ndarray:
        """Weights, shape (D, C) (a view into the bias-trick matrix)."""
        return self.Wb[:-1]

    @property
    def b(self) -> np.ndarray:
        """Bias, shape (C,) (a view into the bias-trick matrix)."""
        return self.Wb[-1]

    @property
    def loss(self) -> str:
        """The loss type: "hinge", "squared_hinge" or "softmax"."""
        return self._loss

    @loss.setter
    def loss(self, value: str) -> None:
        self._loss = check_loss_name(value)
        self._report = None

    @property
    def delta(self) -> float:
        return self._delta

    @delta.setter
    def delta(self, value: float) -> None:
        self._delta = check_scalar(value, "delta")
        self._report = None

    @property
    def reg(self) -> float:
        return self._reg

    @reg.setter
    def reg(self, value: float) -> None:
        self._reg = check_scalar(value, "reg")
        self._report = None

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        value = check_scalar(value, "learning_rate")
        if value == 0:
            raise ValueError("learning_rate must be > 0")
        self._learning_rate = value

    def _check_bias(self, b) -> np.ndarray:
        b = np.asarray(b, dtype=float)
        if b.shape != (self.num_classes,):
            raise ValueError(f"b must have shape (C,) = ({self.num_classes},); got {b.shape}")
        return b

    def _random_weights(self, rows: int) -> np.ndarray:
        return self.init_scale * self._rng.standard_normal((rows, self.num_classes))

    def set_weight(self, feature: int, cls: int, value: float) -> None:
        """Set ``W[feature, cls] = value``."""
        D = self.X.shape[1]
        if not (0 <= feature < D and 0 <= cls < self.num_classes):
            raise ValueError(f"no weight W[{feature}, {cls}]: W has shape ({D}, {self.num_classes})")
        self.Wb[feature, cls] = check_scalar(value, "weight", minimum=-np.inf)
        self._report = None

    def set_bias(self, cls: int, value: float) -> None:
        """Set ``b[cls] = value``."""
        if not 0 <= cls < self.num_classes:
            raise ValueError(f"no bias b[{cls}]: there are {self.num_classes} classes")
        self.Wb[-1, cls] = check_scalar(value, "bias", minimum=-np.inf)
        self._report = None

    # --- losses and actions ---------------------------------------------------------------------
    def scores(self, P: np.ndarray) -> np.ndarray:
        """Class scores ``P @ W + b`` of points ``P`` of shape (M, D); returns (M, C)."""
        return P @ self.Wb[:-1] + self.Wb[-1]

    def evaluate(self) -> LossReport:
        """The losses and gradient at the current weights (cached until something changes)."""
        if self._report is not None:
            return self._report
        scores = self.Xb @ self.Wb
        try:
            if self.loss == "softmax":
                loss, dWb = softmax_loss_vectorized(self.Wb, self.Xb, self.y, self.reg)
            else:
                loss, dWb = svm_loss_vectorized(self.Wb, self.Xb, self.y, self.reg, delta=self.delta,
                                                squared=self.loss == "squared_hinge")
            per_point = per_example_losses(scores, self.y, self.loss, self.delta)
        except NotImplementedError as exc:
            raise NotImplementedError(
                f"the explorer computes the {self.loss} loss with your own functions from "
                f"cs231n_lin.classifiers, and one of them is {exc}. Write it first (notebooks 01 "
                "and 03), then come back."
            ) from exc
        self._report = LossReport(
            loss=float(loss), data_loss=float(per_point.mean()),
            reg_loss=float(self.reg * np.sum(self.Wb * self.Wb)), per_point=per_point,
            dW=dWb[:-1], db=dWb[-1], accuracy=float(np.mean(np.argmax(scores, axis=1) == self.y)),
        )
        return self._report

    def step(self, n: int = 1) -> LossReport:
        """Take ``n`` full-batch gradient-descent steps ``[W; b] -= learning_rate * gradient``."""
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"n (number of steps) must be a positive integer; got {n!r}")
        for _ in range(int(n)):
            report = self.evaluate()
            self.Wb -= self.learning_rate * np.vstack([report.dW, report.db])
            self._report = None
            self.steps_taken += 1
        return self.evaluate()

    def randomize(self) -> None:
        """New random weights and bias, ``N(0, init_scale**2)``, from the seeded generator."""
        self.Wb = self._random_weights(self.Wb.shape[0])
        self._report = None

    def reset(self) -> None:
        """Back to how the state was created: weights, loss, Delta, lambda, learning rate, generator."""
        Wb, self.loss, self.delta, self.reg, self.learning_rate, rng_state = self._initial
        self.Wb = Wb.copy()
        self._rng.bit_generator.state = rng_state
        self.steps_taken = 0
        self._report = None

    def summary(self) -> str:
        """One line: loss type and the three loss numbers."""
        r = self.evaluate()
        margin = "" if self.loss == "softmax" else f", Δ = {self.delta:g}"
        return (f"{LOSS_LABELS[self.loss]}{margin}, λ = {self.reg:g}: total loss {r.loss:.4f} = "
                f"data {r.data_loss:.4f} + reg {r.reg_loss:.4f}; accuracy {r.accuracy:.0%}")


class ExplorerFigure:
    """The explorer's matplotlib figure (Agg canvas, never shown by pyplot).

    Parameters
    ----------
    state : ExplorerState
        With 2-D data.
    class_names : sequence of str, optional
    resolution : int, default=120
        Background grid points per axis (lower is faster).
    figsize : (float, float), default=(6.8, 4.4)
    dpi : int, default=90
    figure : matplotlib Figure, optional
        Draw into this figure (e.g. a pyplot one, for a static display) instead of a new one.
    """

    def __init__(self, state: ExplorerState, *, class_names: Sequence[str] | None = None,
                 resolution: int = 120, figsize=(6.8, 4.4), dpi: int = 90, figure=None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        if state.X.shape[1] != 2:
            raise ValueError(f"the explorer draws 2-D data only; X has {state.X.shape[1]} features")
        self.state = state
        self.figure = figure if figure is not None else Figure(figsize=figsize, dpi=dpi)
        if self.figure.canvas is None or type(self.figure.canvas).__name__ == "FigureCanvasBase":
            FigureCanvasAgg(self.figure)
        self.figure.subplots_adjust(left=0.1, right=0.7, bottom=0.12, top=0.88)
        self.ax = self.figure.add_subplot(1, 1, 1)
        self.plot = DecisionPlot(self.ax, state.X, state.y, state.num_classes, resolution=resolution,
                                 class_names=class_names, rgba=True)
        self.ax.set_title("predicted class (background), margin lines (dashed),\n"
                          "per-point loss (rings); numbers on the right", fontsize=9)
        self._grid_b = np.hstack([self.plot.grid, np.ones((len(self.plot.grid), 1))])
        self._background = None

    def _render(self) -> None:
        """Blit: the static frame (title, ticks, labels, legend) is drawn once and restored each
        time; only the regions, margin lines, rings, points and spines are drawn per update."""
        canvas = self.figure.canvas
        if not self.plot.animated:
            self.plot.set_animated(True)
        if self._background is None or self.plot.legend_changed:
            canvas.draw()                       # everything that is not animated
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self.plot.dynamic_artists():
            self.figure.draw_artist(artist)

    def redraw(self, title: str | None = None) -> None:
        """Update the artists from the state (no rendering); ``title`` replaces the static one."""
        s = self.state
        r = s.evaluate()
        self.plot.update(self._grid_b @ s.Wb, delta=None if s.loss == "softmax" else s.delta,
                         point_losses=r.per_point, title=title,
                         ring_threshold=SOFTMAX_RING_THRESHOLD if s.loss == "softmax" else 0.0)

    def to_png(self) -> bytes:
        """Redraw and render the figure to PNG bytes."""
        from PIL import Image

        self.redraw()
        self._render()
        buf = io.BytesIO()
        rgba = np.asarray(self.figure.canvas.buffer_rgba())
        # A 128-colour palette PNG: encodes twice as fast as RGB and is a quarter the size.
        image = Image.fromarray(rgba[..., :3]).quantize(128, method=Image.Quantize.FASTOCTREE)
        image.save(buf, format="png", compress_level=1)
        return buf.getvalue()


def loss_report_html(state: ExplorerState, *, top: int = 5) -> str:
    """The explorer's loss read-out as HTML: totals, accuracy and the largest per-point losses."""
    r = state.evaluate()
    order = np.argsort(-r.per_point, kind="stable")[:top]
    worst = ", ".join(f"#{i} (class {state.y[i]}): {r.per_point[i]:.3f}" for i in order if r.per_point[i] > 0)
    q = np.quantile(r.per_point, [0.0, 0.5, 1.0])
    margin = "" if state.loss == "softmax" else f", Δ = {state.delta:g}"
    return (
        f"<div style='font-family:monospace;line-height:1.45'>"
        f"<b>{html.escape(LOSS_LABELS[state.loss])}</b>{margin}, λ = {state.reg:g}<br>"
        f"<b>total loss = {r.loss:.4f}</b><br>"
        f"data loss = {r.data_loss:.4f} &nbsp; reg loss = {r.reg_loss:.4f}<br>"
        f"accuracy = {r.accuracy:.1%} &nbsp; steps taken = {state.steps_taken}<br>"
        f"per-point L<sub>i</sub>: min {q[0]:.3f}, median {q[1]:.3f}, max {q[2]:.3f}; "
        f"{int(np.sum(r.per_point > 0))} of {len(r.per_point)} points &gt; 0<br>"
        f"largest: {html.escape(worst) if worst else 'none'}</div>"
    )


def widget_unavailable_reason() -> str | None:
    """Why interactive widgets cannot be shown here, or ``None`` if they can."""
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return "ipywidgets is not installed (pip install ipywidgets)"
    try:
        from IPython import get_ipython
    except ImportError:
        return "IPython is not installed"
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return "this is not a Jupyter kernel, so there is no widget frontend to draw on"
    return None


class Explorer:
    """The ipywidgets explorer around an :class:`ExplorerState`; build it with :func:`explore`.

    Attributes
    ----------
    state : ExplorerState
    figure : ExplorerFigure
    widget : ipywidgets.Widget
        The whole app (display it to show the explorer).
    weight_sliders : dict of (feature, class) -> FloatSlider
        ``feature == D`` is the bias.
    """

    def __init__(self, state: ExplorerState, *, class_names: Sequence[str] | None = None,
                 weight_range: float = 5.0, resolution: int = 120):
        import ipywidgets as w

        self.state = state
        self.figure = ExplorerFigure(state, class_names=class_names, resolution=resolution)
        self._syncing = False
        names = class_names or [f"class {c}" for c in range(state.num_classes)]
        D = state.X.shape[1]
        feature_labels = [f"w{chr(0x2081 + d)}" if d < 9 else f"w{d + 1}" for d in range(D)] + ["b"]
        slider_style = {"description_width": "22px"}
        self.weight_sliders: dict[tuple[int, int], w.FloatSlider] = {}
        rows = []
        for c in range(state.num_classes):
            row = [w.HTML(f"<b>{html.escape(str(names[c]))}</b>", layout=w.Layout(width="70px"))]
            for d in range(D + 1):
                slider = w.FloatSlider(
                    value=float(state.Wb[d, c]), min=-weight_range, max=weight_range, step=0.05,
                    description=feature_labels[d], style=slider_style, continuous_update=True,
                    readout_format=".2f", layout=w.Layout(width="250px"),
                )
                slider.add_class(f"cs231n-w-{d}-{c}")
                slider.observe(self._on_weight(d, c), names="value")
                self.weight_sliders[(d, c)] = slider
                row.append(slider)
            rows.append(w.HBox(row))
        wide = {"description_width": "110px"}
        self.loss_menu = w.Dropdown(options=[(LOSS_LABELS[k], k) for k in LOSSES], value=state.loss,
                                    description="loss", style=wide, layout=w.Layout(width="330px"))
        self.delta_slider = w.FloatSlider(value=state.delta, min=0.0, max=3.0, step=0.05,
                                          description="Δ (margin)", style=wide,
                                          layout=w.Layout(width="330px"))
        self.reg_slider = w.FloatSlider(value=state.reg, min=0.0, max=1.0, step=0.005, readout_format=".3f",
                                        description="λ (reg)", style=wide, layout=w.Layout(width="330px"))
        self.lr_text = w.BoundedFloatText(value=state.learning_rate, min=1e-6, max=100.0, step=0.01,
                                          description="learning rate", style=wide,
                                          layout=w.Layout(width="230px"))
        self.steps_text = w.BoundedIntText(value=25, min=1, max=100000, description="N steps", style=wide,
                                           layout=w.Layout(width="230px"))
        for control in (self.loss_menu, self.delta_slider, self.reg_slider, self.lr_text):
            control.observe(self._on_hyper, names="value")
        self.delta_slider.add_class("cs231n-delta")
        self.reg_slider.add_class("cs231n-reg")
        self.delta_slider.disabled = state.loss == "softmax"
        buttons = {
            "1 gradient step": lambda _: self._act(lambda: self.state.step(1)),
            "run N steps": lambda _: self._act(lambda: self.state.step(int(self.steps_text.value))),
            "randomize": lambda _: self._act(self.state.randomize),
            "reset": lambda _: self._act(self.state.reset),
        }
        self.buttons = {}
        for label, callback in buttons.items():
            button = w.Button(description=label, layout=w.Layout(width="120px"))
            button.add_class("cs231n-" + label.replace(" ", "-"))
            button.on_click(callback)
            self.buttons[label] = button
        self.loss_html = w.HTML()
        self.loss_html.add_class("cs231n-loss")
        self.image = w.Image(format="png")
        self.image.add_class("cs231n-figure")
        self.error = w.HTML()
        side = w.VBox([
            self.loss_html, self.loss_menu, self.delta_slider, self.reg_slider, self.lr_text,
            self.steps_text, w.HBox(list(self.buttons.values())[:2]), w.HBox(list(self.buttons.values())[2:]),
            self.error,
        ], layout=w.Layout(min_width="360px"))
        self.widget = w.VBox([w.HBox([self.image, side]),
                              w.HTML("<b>weights</b> (score of a class = w₁·x₁ + w₂·x₂ + b)"), *rows])
        self.refresh()

    # --- callbacks ------------------------------------------------------------------------------
    def _on_weight(self, d: int, c: int):
        def callback(change):
            if self._syncing:
                return
            if d == self.state.X.shape[1]:
                self.state.set_bias(c, float(change["new"]))
            else:
                self.state.set_weight(d, c, float(change["new"]))
            self.refresh()
        return callback

    def _on_hyper(self, change) -> None:
        if self._syncing:
            return
        try:
            self.state.loss = self.loss_menu.value
            self.state.delta = float(self.delta_slider.value)
            self.state.reg = float(self.reg_slider.value)
            self.state.learning_rate = float(self.lr_text.value)
        except ValueError as err:
            self.error.value = f"<span style='color:crimson'>{html.escape(str(err))}</span>"
            return
        self.delta_slider.disabled = self.state.loss == "softmax"
        self.refresh()

    def _act(self, action) -> None:
        action()
        self.sync_controls()
        self.refresh()

    def sync_controls(self) -> None:
        """Move every control to the state's values without triggering redraws."""
        self._syncing = True
        try:
            for (d, c), slider in self.weight_sliders.items():
                value = float(self.state.Wb[d, c])
                if value > slider.max:              # a slider would silently clip: widen it
                    slider.max = float(np.ceil(value))
                if value < slider.min:
                    slider.min = float(np.floor(value))
                slider.value = value
            self.loss_menu.value = self.state.loss
            self.delta_slider.value = self.state.delta
            self.delta_slider.disabled = self.state.loss == "softmax"
            self.reg_slider.value = self.state.reg
            self.lr_text.value = self.state.learning_rate
        finally:
            self._syncing = False

    def refresh(self) -> None:
        """Recompute the losses, redraw the figure and update the read-out."""
        self.error.value = ""
        self.image.value = self.figure.to_png()
        self.loss_html.value = loss_report_html(self.state)

    def __repr__(self) -> str:
        return f"<Explorer: {self.state.summary()}>"

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The live widget, plus a PNG of the figure for viewers without widgets (HTML export, GitHub)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        return bundle


@dataclass
class StaticExplorer:
    """What :func:`explore` returns where widgets cannot be shown: the state and a static figure."""

    state: ExplorerState
    figure: object
    view: ExplorerFigure
    reason: str

    def __repr__(self) -> str:
        return f"<static explorer ({self.reason}): {self.state.summary()}>"


def explore(X, y, *, loss: str = "hinge", delta: float = 1.0, reg: float = 0.0, learning_rate: float = 0.1,
            W=None, b=None, seed: int = 0, class_names: Sequence[str] | None = None,
            weight_range: float = 5.0, resolution: int = 120, interactive: bool | None = None,
            display: bool = True):
    """Explore a linear classifier on 2-D data: weights, bias, Delta, lambda and loss type, live.

    Parameters
    ----------
    X : array-like of shape (N, 2)
    y : array-like of shape (N,)
        Integer labels in ``[0, C)``.
    loss : {"hinge", "squared_hinge", "softmax"}, default="hinge"
    delta, reg, learning_rate : float
        Starting Delta (SVM margin), lambda (L2 strength) and gradient step size.
    W : array-like of shape (2, C), optional
    b : array-like of shape (C,), optional
        Starting weights and bias (random, seeded by ``seed``, when omitted).
    seed : int, default=0
    class_names : sequence of C str, optional
    weight_range : float, default=5.0
        Weight sliders go from ``-weight_range`` to ``weight_range`` (widened when needed).
    resolution : int, default=120
        Background grid points per axis.
    interactive : bool or None, default=None
        ``None``: widgets when possible, else the static figure; ``False``: always the static
        figure; ``True``: widgets or a ``RuntimeError`` saying why they cannot be shown.
    display : bool, default=True
        Display the widget (or static figure) right away.

    Returns
    -------
    Explorer or StaticExplorer
        Both have ``.state`` (an :class:`ExplorerState`); ``Explorer.widget`` is the ipywidgets app.
    """
    state = ExplorerState(X, y, loss=loss, delta=delta, reg=reg, learning_rate=learning_rate, W=W, b=b,
                          seed=seed)
    if state.X.shape[1] != 2:
        raise ValueError(f"explore() draws 2-D data only; X has shape {state.X.shape}")
    reason = "interactive=False was given" if interactive is False else widget_unavailable_reason()
    if interactive is True and reason is not None:
        raise RuntimeError(f"explore(interactive=True) cannot show widgets: {reason}")
    if reason is None:
        app = Explorer(state, class_names=class_names, weight_range=weight_range, resolution=resolution)
        if display:
            from IPython.display import display as show
            show(app)                           # the widget, and a PNG kept in the saved notebook
        return app
    print(
        f"explore(): interactive widgets are not available because {reason}.\n"
        "Drew a static figure of the starting weights instead (returned as .figure; save it with "
        ".figure.savefig('explorer.png')). For sliders, run explore() in a Jupyter notebook "
        "(JupyterLab or Notebook 7) with ipywidgets installed."
    )
    import matplotlib
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(6.8, 4.4), dpi=100)
    static = ExplorerFigure(state, class_names=class_names, resolution=resolution, figure=fig)
    static.redraw(title=state.summary().replace(": total", ":\ntotal"))
    if display:
        try:
            from IPython import get_ipython
        except ImportError:
            get_ipython = None
        shell = get_ipython() if get_ipython else None
        if shell is not None and getattr(shell, "kernel", None) is not None:
            from IPython.display import display as show
            show(fig)                           # a notebook without widgets: show the image once
            plt.close(fig)
        elif matplotlib.get_backend().lower() not in ("agg", "pdf", "svg", "ps", "cairo", "template"):
            plt.show(block=False)               # a desktop session with a GUI backend
    return StaticExplorer(state=state, figure=fig, view=static, reason=reason)
