"""The explorer's state: weights, hyperparameters and the losses they give (plain numbers, no drawing).

:meth:`ExplorerState.evaluate` computes the loss with the registered loss's own vectorized
function (:mod:`cs231n_lin.classifiers.registry`) on ``[X, 1]`` and ``[W; b]`` (the bias trick),
so the numbers shown are exactly what that function returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cs231n_lin._validation import check_scalar
from cs231n_lin.classifiers.registry import LossSpec, get_loss


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
    loss : str, default="hinge"
        A registered loss (:func:`~cs231n_lin.classifiers.registry.loss_names`): "hinge",
        "squared_hinge", "softmax", ...
    delta : float, default=1.0
        SVM margin (``>= 0``); used by "margin" losses only (not by softmax).
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
        """The loss type: a registered name such as "hinge", "squared_hinge" or "softmax"."""
        return self._loss

    @loss.setter
    def loss(self, value: str) -> None:
        self._loss = get_loss(value).name
        self._report = None

    @property
    def spec(self) -> LossSpec:
        """The registry entry of :attr:`loss` (its functions, label and kind)."""
        return get_loss(self._loss)

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
            loss, dWb = self.spec.loss(self.Wb, self.Xb, self.y, self.reg, delta=self.delta)
            per_point = self.spec.per_example_losses(scores, self.y, delta=self.delta)
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
        from cs231n_lin.explore.text import loss_label, text

        margin = f"{text('list_sep')}Δ = {self.delta:g}" if self.spec.uses_delta else ""
        return text("summary", label=loss_label(self.spec), margin=margin, reg=f"{self.reg:g}",
                    loss=f"{r.loss:.4f}", data=f"{r.data_loss:.4f}", regl=f"{r.reg_loss:.4f}",
                    acc=f"{r.accuracy:.0%}")
