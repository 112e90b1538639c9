"""The main job: train the three linear classifiers, compare with scikit-learn, save figures,
and run the lesson notebooks into HTML."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from cs231n_lin._io import atomic_write_text, savefig_atomic
from cs231n_lin.classifiers import LinearSVM, Softmax
from cs231n_lin.data import load_dataset
from cs231n_lin.hyperparams import defaults_for


def _models(dataset: str, seed: int) -> dict:
    from sklearn.linear_model import LogisticRegression, SGDClassifier

    return {
        "LinearSVM (hinge)": LinearSVM(random_state=seed, **defaults_for(dataset, "svm")),
        "LinearSVM (squared hinge)": LinearSVM(
            squared=True, random_state=seed, **defaults_for(dataset, "svm_squared")
        ),
        "Softmax": Softmax(random_state=seed, **defaults_for(dataset, "softmax")),
        "sklearn LogisticRegression": LogisticRegression(max_iter=5000),
        "sklearn SGDClassifier(hinge)": SGDClassifier(loss="hinge", random_state=seed),
    }


def run_demo(*, out_dir: str | Path = "build", dataset: str | None = None, seed: int = 0,
             figures: bool = True) -> list[dict]:
    """Train every model on one split and print/save accuracies; returns the table rows.

    Writes ``OUT_DIR/demo/accuracy.txt``, ``loss_curves.png`` and ``weights_<model>.png``.
    """
    data = load_dataset(dataset, seed=seed)
    out = Path(out_dir) / "demo"
    print(data.summary())
    rows = []
    fitted = {}
    for name, model in _models(data.name, seed).items():
        start = time.perf_counter()
        model.fit(data.X_train, data.y_train)
        seconds = time.perf_counter() - start
        fitted[name] = model
        rows.append({
            "model": name,
            "train": model.score(data.X_train, data.y_train),
            "val": model.score(data.X_val, data.y_val),
            "test": model.score(data.X_test, data.y_test),
            "fit_seconds": seconds,
        })
    table = format_table(rows)
    print(table)
    atomic_write_text(out / "accuracy.txt", table + "\n")
    if figures:
        _save_figures(fitted, data, out)
        print(f"figures written to {out}/")
    return rows


def format_table(rows: list[dict]) -> str:
    """Accuracies as a fixed-width text table."""
    header = f"{'model':<30} {'train':>6} {'val':>6} {'test':>6} {'fit (s)':>8}"
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r['model']:<30} {r['train']:6.3f} {r['val']:6.3f} {r['test']:6.3f} {r['fit_seconds']:8.2f}"
        )
    return "\n".join(lines)


def _save_figures(fitted: dict, data, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cs231n_lin.vis import plot_loss_history, plot_weight_templates

    ours = {k: m for k, m in fitted.items() if hasattr(m, "loss_history_")}
    ax = plot_loss_history({k: m.loss_history_ for k, m in ours.items()}, logy=True)
    savefig_atomic(ax.figure, out / "loss_curves.png", dpi=110)
    plt.close(ax.figure)
    for name, model in ours.items():
        slug = name.lower().replace(" ", "_").replace("(", "").replace(")", "")
        fig = plot_weight_templates(model.W_, data.image_shape, data.class_names,
                                    title=f"{name}: weight templates on {data.name}")
        savefig_atomic(fig, out / f"weights_{slug}.png", dpi=110)
        plt.close(fig)


def run_notebooks(*, out_dir: str | Path = "build", dataset: str | None = None) -> list[dict]:
    """Execute copies of the lesson notebooks and write ``OUT_DIR/notebooks/NAME.html`` (and ``.ipynb``),
    and the Chinese ones (``notebooks/zh/``) to ``OUT_DIR/notebooks/zh/NAME.html``.

    The notebooks read the dataset from ``$CS231N_LIN_DATASET``, so ``dataset`` is passed that way.
    """
    import os

    from cs231n_lin.data import DATASET_ENV, dataset_name
    from cs231n_lin.notebook_run import NOTEBOOK_DIR, export_notebooks

    out = Path(out_dir) / "notebooks"
    previous = os.environ.get(DATASET_ENV)
    os.environ[DATASET_ENV] = dataset_name(dataset)
    try:
        rows = export_notebooks(out)
        zh = NOTEBOOK_DIR / "zh"
        if zh.is_dir():              # run in notebooks/zh/, whose cs231n-lin.cfg selects Chinese
            rows += [{**r, "notebook": f"zh/{r['notebook']}"}
                     for r in export_notebooks(out / "zh", src_dir=zh)]
    finally:
        if previous is None:
            os.environ.pop(DATASET_ENV, None)
        else:
            os.environ[DATASET_ENV] = previous
    for r in rows:
        print(f"{r['notebook']:<32} executed in {r['seconds']:5.1f} s -> {r['html']}")
    return rows


def main(*, out_dir: str = "build", dataset: str | None = None, seed: int = 0,
         notebooks: bool = True) -> int:
    start = time.perf_counter()
    rows = run_demo(out_dir=out_dir, dataset=dataset, seed=seed)
    if notebooks:
        run_notebooks(out_dir=out_dir, dataset=dataset)
    print(f"demo finished in {time.perf_counter() - start:.1f} s")
    return 0 if all(np.isfinite(r["test"]) for r in rows) else 1
