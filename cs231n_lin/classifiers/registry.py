"""The loss registry: one table from a loss's name to its functions and its kind.

Everything that offers a choice of loss (the estimators, :mod:`cs231n_lin.explore`,
:mod:`cs231n_lin.vis`, the chunked path, the grader's diagnoses) looks the loss up here, so
adding a loss is one :func:`register` call plus its functions::

    register(LossSpec(
        name="my_loss", label="my loss", kind="probability",
        vectorized="my_package.losses:my_loss_vectorized",
        naive="my_package.losses:my_loss_naive",
    ))

Nothing here computes a loss. A :class:`LossSpec` names the functions (as ``"module:function"``,
looked up at each call, so a notebook or test that replaces ``linear_svm.svm_loss_vectorized``
is what runs) and derives the per-example and chunked forms from the vectorized one.

Kinds
-----
``"margin"``
    Multiclass-SVM-like: the loss takes a margin ``delta``, and an example whose correct score
    wins by at least ``delta`` costs exactly 0 (``hinge``, ``squared_hinge``).
``"probability"``
    The scores are read as log-probabilities; the loss is never exactly 0 and takes no
    ``delta`` (``softmax``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np

LossFn = Callable[..., tuple[float, np.ndarray]]
KINDS = ("margin", "probability")


def _resolve(target: str | LossFn | None, what: str) -> LossFn:
    """The function ``target`` names (``"module:function"``), looked up now."""
    if target is None:
        raise LookupError(f"this loss registers no {what} function")
    if callable(target):
        return target
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class LossSpec:
    """One registered loss.

    Parameters
    ----------
    name : str
        Canonical name, e.g. ``"squared_hinge"``.
    label : str
        Human-readable name for menus and read-outs, e.g. ``"squared hinge (L2-SVM)"``.
    kind : {"margin", "probability"}
        See the module docstring; ``"margin"`` losses receive ``delta``.
    vectorized : str or callable
        ``f(W, X, y, reg, **options[, delta=...]) -> (loss, dW)`` with the contract's conventions,
        or ``"module:function"`` naming it. Its data term must be a mean over the rows of ``X``.
    naive : str or callable, optional
        The loop version (same signature), when there is one.
    options : mapping, optional
        Fixed keyword arguments for both functions, e.g. ``{"squared": True}``.
    aliases : tuple of str
        Other accepted spellings (matched case-insensitively, like ``name``).
    margin_formula : str
        The two-class loss as a function of the margin ``m = s_y - s_j``, for plot legends.
    per_example : str or callable, optional
        ``f(scores (N, C), y (N,), **options[, delta=...]) -> (N,)``; by default derived from
        ``vectorized`` one row at a time (see :meth:`per_example_losses`).
    """

    name: str
    label: str
    kind: Literal["margin", "probability"]
    vectorized: str | LossFn
    naive: str | LossFn | None = None
    options: Mapping[str, object] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    margin_formula: str = ""
    per_example: str | Callable[..., np.ndarray] | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"name must be a non-empty string; got {self.name!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}; got {self.kind!r}")
        if self.vectorized is None:
            raise ValueError(f"loss {self.name!r}: vectorized is required")
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))

    @property
    def uses_delta(self) -> bool:
        """Whether the loss takes the margin ``delta`` (the ``"margin"`` kind)."""
        return self.kind == "margin"

    def _kwargs(self, delta: float) -> dict:
        kwargs = dict(self.options)
        if self.uses_delta:
            kwargs["delta"] = delta
        return kwargs

    def vectorized_fn(self) -> LossFn:
        """The vectorized function itself (looked up now)."""
        return _resolve(self.vectorized, "vectorized")

    def naive_fn(self) -> LossFn:
        """The naive function itself (looked up now); ``LookupError`` if there is none."""
        return _resolve(self.naive, "naive")

    def loss(self, W, X, y, reg: float, *, delta: float = 1.0) -> tuple[float, np.ndarray]:
        """``(loss, dW)`` from the vectorized function (``delta`` is ignored unless :attr:`uses_delta`).

        ``W`` (D, C), ``X`` (N, D), ``y`` (N,); ``dW`` has ``W``'s shape and dtype.
        """
        return self.vectorized_fn()(W, X, y, reg, **self._kwargs(delta))

    def naive_loss(self, W, X, y, reg: float, *, delta: float = 1.0) -> tuple[float, np.ndarray]:
        """``(loss, dW)`` from the naive function; same arguments as :meth:`loss`."""
        return self.naive_fn()(W, X, y, reg, **self._kwargs(delta))

    def chunked_loss(self, W, X, y, reg: float, *, delta: float = 1.0,
                     block: int | None = None) -> tuple[float, np.ndarray]:
        """``(loss, dW)`` from the vectorized function applied ``block`` rows at a time.

        See :func:`cs231n_lin.classifiers.chunked.chunked_loss`; equal to :meth:`loss` up to
        float rounding, and a batch of at most ``block`` rows is exactly :meth:`loss`.
        """
        from cs231n_lin.classifiers.chunked import DEFAULT_BLOCK, chunked_loss

        return chunked_loss(self.vectorized_fn(), W, X, y, reg,
                            DEFAULT_BLOCK if block is None else block, **self._kwargs(delta))

    def per_example_losses(self, scores, y, *, delta: float = 1.0) -> np.ndarray:
        """The loss ``L_i`` of each example (no averaging, no regularization), shape (N,).

        Unless the spec gives ``per_example``, each ``L_i`` is the vectorized loss of row ``i``
        alone with identity weights (so ``X @ W`` is ``scores``) and ``reg = 0``: the numbers
        are exactly what the registered function computes, and no second copy of the loss exists.

        Parameters
        ----------
        scores : array-like of shape (N, C)
        y : array-like of shape (N,)
            Integer labels in ``[0, C)``.
        delta : float, default=1.0
            Used by ``"margin"`` losses only.
        """
        scores = np.asarray(scores, dtype=float)
        y = np.asarray(y)
        if scores.ndim != 2 or y.shape != (scores.shape[0],):
            raise ValueError(f"scores must be (N, C) and y (N,); got scores {scores.shape} and y {y.shape}")
        kwargs = self._kwargs(delta)
        if self.per_example is not None:
            return np.asarray(_resolve(self.per_example, "per_example")(scores, y, **kwargs), dtype=float)
        fn = self.vectorized_fn()
        eye = np.eye(scores.shape[1])
        return np.array([fn(eye, scores[i:i + 1], y[i:i + 1], 0.0, **kwargs)[0]
                         for i in range(scores.shape[0])], dtype=float)

    def function_names(self) -> tuple[str, ...]:
        """The names of the registered functions (``"svm_loss_vectorized"``, ...)."""
        names = []
        for target in (self.naive, self.vectorized):
            if target is not None:
                names.append(target.partition(":")[2] if isinstance(target, str) else target.__name__)
        return tuple(names)


_REGISTRY: dict[str, LossSpec] = {}
_ALIASES: dict[str, str] = {}


def _key(name: str) -> str:
    return name.strip().lower()


def register(spec: LossSpec) -> LossSpec:
    """Add ``spec`` to the registry (its name and aliases must be new); returns it."""
    if not isinstance(spec, LossSpec):
        raise ValueError(f"spec must be a LossSpec; got {type(spec).__name__}")
    keys = [_key(spec.name), *(_key(a) for a in spec.aliases)]
    taken = [k for k in keys if k in _ALIASES]
    if taken:
        raise ValueError(f"loss {spec.name!r}: the name(s) {taken} are already registered")
    _REGISTRY[spec.name] = spec
    for k in keys:
        _ALIASES[k] = spec.name
    return spec


def unregister(name: str) -> LossSpec:
    """Remove the loss ``name`` (or an alias of it) and return its spec."""
    spec = get_loss(name)
    del _REGISTRY[spec.name]
    for k in [k for k, v in _ALIASES.items() if v == spec.name]:
        del _ALIASES[k]
    return spec


def loss_names() -> tuple[str, ...]:
    """The canonical names of the registered losses, in registration order."""
    return tuple(_REGISTRY)


def canonical_name(loss: str) -> str:
    """The canonical name of ``loss`` (a name or alias, any case), or ``ValueError``."""
    key = _key(loss) if isinstance(loss, str) else None
    if key not in _ALIASES:
        raise ValueError(f"loss must be one of {loss_names()}; got {loss!r}")
    return _ALIASES[key]


def get_loss(loss: str | LossSpec) -> LossSpec:
    """The :class:`LossSpec` of ``loss`` (a name, an alias or a spec), or ``ValueError``."""
    if isinstance(loss, LossSpec):
        return loss
    return _REGISTRY[canonical_name(loss)]


def losses_of_function(function: str) -> tuple[LossSpec, ...]:
    """The registered losses computed by the function named ``function`` (naive or vectorized).

    ``losses_of_function("svm_loss_vectorized")`` gives the hinge and squared-hinge specs; all
    losses of one function share a kind, so ``losses_of_function(f)[0].kind`` is the family.
    """
    return tuple(s for s in _REGISTRY.values() if function in s.function_names())


_HERE = __name__.rpartition(".")[0]          # cs231n_lin.classifiers
_SVM = f"{_HERE}.linear_svm"
_SOFTMAX = f"{_HERE}.softmax"

register(LossSpec(
    name="hinge", label="hinge (SVM)", kind="margin",
    vectorized=f"{_SVM}:svm_loss_vectorized", naive=f"{_SVM}:svm_loss_naive",
    options={"squared": False}, aliases=("svm",), margin_formula="max(0, Δ − m)",
))
register(LossSpec(
    name="squared_hinge", label="squared hinge (L2-SVM)", kind="margin",
    vectorized=f"{_SVM}:svm_loss_vectorized", naive=f"{_SVM}:svm_loss_naive",
    options={"squared": True}, aliases=("squared hinge", "squared-hinge", "l2-svm"),
    margin_formula="max(0, Δ − m)²",
))
register(LossSpec(
    name="softmax", label="softmax (cross-entropy)", kind="probability",
    vectorized=f"{_SOFTMAX}:softmax_loss_vectorized", naive=f"{_SOFTMAX}:softmax_loss_naive",
    aliases=("cross_entropy", "cross-entropy", "cross entropy"), margin_formula="log(1 + e^(−m))",
))
