# Everything a fresh machine needs, behind two targets: `make demo` and `make test`.
# Both create the local virtual environment .venv (Python 3.10+) on first use.
# One target per paragraph: `cs231n-lin release` keeps only the students' targets (setup, lab, check,
# demo, lint, clean; cs231n_lin/grading/release/student_makefile.py), never one that rewrites a notebook.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint setup clean notebooks bench lab check

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/cs231n-lin demo

# JupyterLab on the lesson notebooks (a student's way in).
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

# The visible checks of a student's work (the same as the notebooks' check cells).
check: $(STAMP)
	$(BIN)/cs231n-lin check

# Both pytest runs are spread over two processes (pytest-xdist, --dist loadscope): a test module stays on
# one worker, so its module-scoped fixtures are built once, and each notebook's cells stay in one kernel
# (as nbval asks); the session's shared graded batch is built once under a file lock (tests/grading/conftest.py).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadscope
	MPLBACKEND=Agg $(BIN)/python -m pytest -n 2 --dist loadscope --nbval-lax --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg notebooks/*.ipynb notebooks/zh/*.ipynb

# Rebuild the lesson notebooks, English (notebooks/) and Chinese (notebooks/zh/), from notebooks/src/*.py
# and store the solved outputs in them.
notebooks: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python notebooks/_build.py --execute

# Benchmarks only: unset the OpenBLAS overrides some machines set (they slow numpy down) for this
# one command; tests and CI keep the environment as it is.
bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(BIN)/python -m benchmarks $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf build .pytest_cache
