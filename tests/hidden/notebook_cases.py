"""Hidden grading cases for the functions students write in notebook solution cells. Grader-only.

The grader runs the student's solution cells of a notebook in the sandboxed worker (after the
notebook's own import lines), calls ``function`` on inputs built from ``args`` with the case's
seed, and compares the returned data with the reference notebook's function in its own process.
A notebook check cell earns its points only if every judged function it names passes here (and
in the package's hidden cases). ``args`` values: ``{"normal": shape, "scale": s}`` (float array),
``{"int": high, "shape": shape}`` (integers in [0, high)), or a plain number/bool.
"""

NB_CASES = [
    {"notebook": "01_svm_hinge_loss.ipynb", "function": "hinge_score_gradient", "seed": 7101,
     "args": {"scores": {"normal": [6], "scale": 1.5}, "y": 2, "delta": 1.0}},
    {"notebook": "01_svm_hinge_loss.ipynb", "function": "hinge_score_gradient", "seed": 7102,
     "args": {"scores": {"normal": [4], "scale": 0.3}, "y": 0, "delta": 0.5}},
    {"notebook": "02_squared_hinge.ipynb", "function": "margin_loss", "seed": 7201,
     "args": {"m": {"normal": [9], "scale": 2.0}, "squared": False}},
    {"notebook": "02_squared_hinge.ipynb", "function": "margin_loss", "seed": 7202,
     "args": {"m": {"normal": [3, 4], "scale": 2.0}, "squared": True}},
    {"notebook": "03_softmax_cross_entropy.ipynb", "function": "cross_entropy_two_ways", "seed": 7301,
     "args": {"f": {"normal": [5], "scale": 2.0}, "y": 3}},
    {"notebook": "03_softmax_cross_entropy.ipynb", "function": "softmax_score_gradient", "seed": 7302,
     "args": {"f": {"normal": [5], "scale": 2.0}, "y": 1}},
    {"notebook": "03_softmax_cross_entropy.ipynb", "function": "softmax_score_gradient", "seed": 7303,
     "args": {"f": {"normal": [3], "scale": 0.5}, "y": 2}},
    {"notebook": "04_numeric_stability.ipynb", "function": "logsumexp_rows", "seed": 7401,
     "args": {"S": {"normal": [6, 4], "scale": 300.0}}},
    {"notebook": "05_svm_vs_softmax.ipynb", "function": "hinge_and_cross_entropy", "seed": 7501,
     "args": {"S": {"normal": [7, 4], "scale": 2.0}, "y": {"int": 4, "shape": [7]}, "delta": 1.0}},
    {"notebook": "05_svm_vs_softmax.ipynb", "function": "hinge_and_cross_entropy", "seed": 7502,
     "args": {"S": {"normal": [5, 3], "scale": 40.0}, "y": {"int": 3, "shape": [5]}, "delta": 2.5}},
]
