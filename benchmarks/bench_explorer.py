"""How long one explorer update takes: change a weight, loss + gradient, redraw, render the PNG.

That is the Python-side work behind every slider move in ``cs231n_lin.explore`` (the browser
then only swaps the image). Target: at most 50 ms on 300 points.

    python benchmarks/bench_explorer.py
"""

from __future__ import annotations

import statistics
import time


def measure_explorer_update_ms(n_points: int = 300, repeats: int = 20, *, clock: str = "cpu") -> float:
    """Median time in ms of one explorer update on ``n_points`` 2-D points (3 classes).

    One update = set one weight (as a slider does), compute the loss, the gradient and the
    per-point losses, redraw the decision regions, margin lines and loss rings, encode the PNG
    that the widget displays and format the loss read-out. The first (warm-up) update is not counted.

    ``clock="cpu"`` (default) counts this process's CPU time, i.e. the Python-side work, which
    stays meaningful on a busy shared machine; ``clock="wall"`` counts elapsed time.
    """
    if clock not in ("cpu", "wall"):
        raise ValueError(f"clock must be 'cpu' or 'wall'; got {clock!r}")
    timer = time.process_time if clock == "cpu" else time.perf_counter
    import matplotlib

    matplotlib.use("Agg", force=False)
    from cs231n_lin.data import make_blobs_2d
    from cs231n_lin.explore import ExplorerFigure, ExplorerState, loss_report_html

    if n_points < 3 or repeats < 1:
        raise ValueError(f"need n_points >= 3 and repeats >= 1; got {n_points}, {repeats}")
    per_class = n_points // 3
    X, y = make_blobs_2d(n_per_class=per_class, num_classes=3, seed=0)
    state = ExplorerState(X, y, seed=0, reg=0.01)
    figure = ExplorerFigure(state)
    figure.to_png()                                          # warm-up: fonts, caches
    times = []
    for k in range(repeats):
        start = timer()
        state.set_weight(0, k % 3, 0.1 * (k % 7) - 0.3)     # what a slider callback does
        report = state.evaluate()                            # loss + gradient + per-point losses
        png = figure.to_png()                                # redraw + encode
        loss_report_html(state)                              # the read-out beside the figure
        times.append(timer() - start)
        assert report.dW.shape == (2, 3) and png[:4] == b"\x89PNG"
    return 1000.0 * statistics.median(times)


if __name__ == "__main__":
    cpu = measure_explorer_update_ms(clock="cpu")
    wall = measure_explorer_update_ms(clock="wall")
    print(f"explorer update on 300 points: median {cpu:.1f} ms CPU, {wall:.1f} ms wall (target <= 50 ms)")
