"""The ipywidgets explorer, the static fallback, and :func:`explore`, which picks one."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cs231n_lin.classifiers.registry import get_loss, loss_names
from cs231n_lin.explore.renderer import ExplorerFigure, loss_report_html
from cs231n_lin.explore.state import ExplorerState
from cs231n_lin.explore.text import loss_label, text


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
        names = class_names or [text("class", c=c) for c in range(state.num_classes)]
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
            rows.append(w.HBox(row, layout=w.Layout(flex_flow="row wrap")))   # wraps when narrow
        wide = {"description_width": "110px"}
        self.loss_menu = w.Dropdown(options=[(loss_label(get_loss(k)), k) for k in loss_names()],
                                    value=state.loss, description=text("loss"), style=wide,
                                    layout=w.Layout(width="330px"))
        self.delta_slider = w.FloatSlider(value=state.delta, min=0.0, max=3.0, step=0.05,
                                          description=text("delta"), style=wide,
                                          layout=w.Layout(width="330px"))
        self.reg_slider = w.FloatSlider(value=state.reg, min=0.0, max=1.0, step=0.005, readout_format=".3f",
                                        description=text("reg"), style=wide, layout=w.Layout(width="330px"))
        self.lr_text = w.BoundedFloatText(value=state.learning_rate, min=1e-6, max=100.0, step=0.01,
                                          description=text("learning_rate"), style=wide,
                                          layout=w.Layout(width="230px"))
        self.steps_text = w.BoundedIntText(value=25, min=1, max=100000, description=text("steps"),
                                           style=wide, layout=w.Layout(width="230px"))
        for control in (self.loss_menu, self.delta_slider, self.reg_slider, self.lr_text):
            control.observe(self._on_hyper, names="value")
        self.delta_slider.add_class("cs231n-delta")
        self.reg_slider.add_class("cs231n-reg")
        self.delta_slider.disabled = not state.spec.uses_delta
        # keyed (and CSS-classed) by the English label, shown in the student's language
        buttons = {
            "1 gradient step": ("one_step", lambda _: self._act(lambda: self.state.step(1))),
            "run N steps": ("run_steps",
                            lambda _: self._act(lambda: self.state.step(int(self.steps_text.value)))),
            "randomize": ("randomize", lambda _: self._act(self.state.randomize)),
            "reset": ("reset", lambda _: self._act(self.state.reset)),
        }
        self.buttons = {}
        for label, (key, callback) in buttons.items():
            button = w.Button(description=text(key), layout=w.Layout(width="120px"))
            button.add_class("cs231n-" + label.replace(" ", "-"))
            button.on_click(callback)
            self.buttons[label] = button
        self.loss_html = w.HTML()
        self.loss_html.add_class("cs231n-loss")
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
        self.image.add_class("cs231n-figure")
        self.error = w.HTML()
        side = w.VBox([
            self.loss_html, self.loss_menu, self.delta_slider, self.reg_slider, self.lr_text,
            self.steps_text, w.HBox(list(self.buttons.values())[:2]), w.HBox(list(self.buttons.values())[2:]),
            self.error,
        ], layout=w.Layout(width="340px", margin="0 0 0 6px"))
        # The read-out and controls sit right of the figure when there is room, below it when not
        # (e.g. JupyterLab at 1200 px with the file browser open): no horizontal scrollbar.
        top = w.HBox([self.image, side], layout=w.Layout(flex_flow="row wrap", align_items="flex-start"))
        self.widget = w.VBox([top, w.HTML(text("weights")), *rows])
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
        self.delta_slider.disabled = not self.state.spec.uses_delta
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
            self.delta_slider.disabled = not self.state.spec.uses_delta
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
    loss : str, default="hinge"
        A registered loss: "hinge", "squared_hinge", "softmax", ...
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
    static.redraw(title=re.sub(r"(: |：)", lambda m: m.group(1).strip() + "\n", state.summary(), count=1))
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
