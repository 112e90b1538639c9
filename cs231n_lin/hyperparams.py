"""Starting hyper-parameters per dataset: what a student would begin a search from.

Chosen on the validation split with the seeds used by ``cs231n-lin demo``.
"""

from __future__ import annotations

DEFAULTS: dict[str, dict[str, dict]] = {
    "digits": {
        "svm": {"learning_rate": 0.1, "reg": 1e-3, "num_iters": 1500, "batch_size": 200},
        "svm_squared": {"learning_rate": 0.05, "reg": 1e-3, "num_iters": 1500, "batch_size": 200},
        "softmax": {"learning_rate": 0.3, "reg": 1e-4, "num_iters": 1500, "batch_size": 200},
    },
    # Not tuned here (no CIFAR-10 download on the build machine): the classic assignment's
    # starting point (learning rate 1e-7, reg 2.5e4 on raw 0..255 pixels, mean-subtracted)
    # carried over to pixels scaled to [0, 1]. Scaling X by 1/255 and W by 255 leaves the
    # scores unchanged, so the same SGD path needs learning_rate * 255**2 (~6.5e-3) and
    # reg / 255**2 (~0.38). The squared hinge's gradient is about twice the hinge's at the
    # start (2 * margin with margins near delta = 1), hence half the step.
    "cifar10": {
        "svm": {"learning_rate": 6.5e-3, "reg": 0.38, "num_iters": 1500, "batch_size": 200},
        "svm_squared": {"learning_rate": 3e-3, "reg": 0.38, "num_iters": 1500, "batch_size": 200},
        "softmax": {"learning_rate": 6.5e-3, "reg": 0.38, "num_iters": 1500, "batch_size": 200},
    },
}


def defaults_for(dataset: str, model: str) -> dict:
    """A copy of the starting hyper-parameters of ``model`` on ``dataset``."""
    try:
        return dict(DEFAULTS[dataset][model])
    except KeyError:
        raise ValueError(
            f"no defaults for model {model!r} on dataset {dataset!r}; known: "
            + ", ".join(f"{d}/{m}" for d in DEFAULTS for m in DEFAULTS[d])
        ) from None
