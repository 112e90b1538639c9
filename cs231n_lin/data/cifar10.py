"""CIFAR-10 (32x32 colour images, 10 classes) from the official python archive, read safely.

The archive ``cifar-10-python.tar.gz`` (fetch it with ``cs231n-lin data fetch cifar10``)
unpacks to a folder ``cifar-10-batches-py/`` holding six pickled batches (``data_batch_1`` ..
``data_batch_5``, ``test_batch``) and ``batches.meta``. Each batch is a dict with bytes keys:
``b"data"`` a uint8 array ``(n, 3072)`` whose row is one image as three 32x32 planes (red,
green, blue, each row-major), ``b"labels"`` a list of ``n`` ints, ``b"batch_label"`` and
``b"filenames"``.

Unpickling can run arbitrary code, so the batches are read with :class:`_BatchUnpickler`,
which resolves only the three numpy names an array needs and refuses every other global
before anything is called.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from cs231n_lin.data.preprocess import subtract_mean
from cs231n_lin.data.splits import Splits

CIFAR10_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
)
CIFAR10_FOLDER = "cifar-10-batches-py"
TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
TEST_BATCH = "test_batch"
META_FILE = "batches.meta"
IMAGE_SHAPE = (32, 32, 3)

# The standard split of the classic assignment: train = the first 49000 training images,
# val = the last 1000 training images (the tail of data_batch_5), test = the first 1000 of
# test_batch, dev = 500 random training images.
STANDARD_SIZES = {"num_train": 49000, "num_val": 1000, "num_test": 1000, "num_dev": 500}
SIZE_ENV = {
    "num_train": "CS231N_LIN_NUM_TRAIN",
    "num_val": "CS231N_LIN_NUM_VAL",
    "num_test": "CS231N_LIN_NUM_TEST",
    "num_dev": "CS231N_LIN_NUM_DEV",
}


def _reconstruct():
    try:  # numpy >= 2
        from numpy._core.multiarray import _reconstruct as reconstruct
    except ImportError:  # pragma: no cover - numpy 1.x
        from numpy.core.multiarray import _reconstruct as reconstruct
    return reconstruct


# (module, name) -> object. The real archive (written by Python 2's cPickle, protocol 2)
# references exactly numpy.core.multiarray._reconstruct, numpy.ndarray and numpy.dtype;
# numpy 2 writes numpy._core.multiarray instead. Nothing else is ever resolved.
_ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy", "ndarray"): lambda: np.ndarray,
    ("numpy", "dtype"): lambda: np.dtype,
}


class UnsafePickleError(pickle.UnpicklingError, ValueError):
    """A batch file references a Python global that a CIFAR-10 batch never contains."""


class _BatchUnpickler(pickle.Unpickler):
    """An unpickler that builds dicts, lists, bytes, ints and numpy arrays, and nothing else."""

    def __init__(self, file, path: Path):
        super().__init__(file, encoding="bytes")
        self.path = path

    def find_class(self, module: str, name: str):
        resolve = _ALLOWED_GLOBALS.get((module, name))
        if resolve is None:
            raise UnsafePickleError(
                f"refusing to load {self.path}: it references the Python global "
                f"'{module}.{name}', which a CIFAR-10 batch never contains (only numpy arrays, "
                "lists, ints and bytes). The file is corrupt or was tampered with: delete the "
                "folder and run `cs231n-lin data fetch cifar10` again."
            )
        return resolve()

    def persistent_load(self, pid):
        raise UnsafePickleError(f"refusing to load {self.path}: it uses persistent ids ({pid!r})")


def _read_pickle(path: Path) -> object:
    """Unpickle ``path`` with :class:`_BatchUnpickler`; corrupt files raise ``ValueError``."""
    try:
        with open(path, "rb") as f:
            return _BatchUnpickler(f, path).load()
    except UnsafePickleError:
        raise
    except (pickle.UnpicklingError, EOFError, TypeError, ValueError, AttributeError,
            IndexError, KeyError, OverflowError, MemoryError) as exc:
        raise ValueError(
            f"{path} is not a readable CIFAR-10 batch (truncated or corrupt: "
            f"{type(exc).__name__}: {exc}); delete the folder and fetch the archive again"
        ) from exc


def _get(d: dict, key: str, path: Path):
    """``d[b"key"]`` (the archive's Python 2 strings come back as bytes), or ``d["key"]``."""
    for k in (key.encode(), key):
        if k in d:
            return d[k]
    raise ValueError(f"{path} is not a CIFAR-10 batch: it has no {key!r} entry (keys: {sorted(d)!r})")


def _read_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """One batch file: ``data`` uint8 ``(n, 3072)`` (planes R, G, B) and ``labels`` int64 ``(n,)``."""
    if not path.is_file():
        raise FileNotFoundError(
            f"CIFAR-10 batch {path} is missing; run `cs231n-lin data fetch cifar10` to download "
            "and unpack the archive again"
        )
    batch = _read_pickle(path)
    if not isinstance(batch, dict):
        raise ValueError(f"{path} is not a CIFAR-10 batch: it holds a {type(batch).__name__}, not a dict")
    data = _get(batch, "data", path)
    labels = _get(batch, "labels", path)
    if not (isinstance(data, np.ndarray) and data.dtype == np.uint8 and data.ndim == 2
            and data.shape[1] == 3072):
        desc = (f"{data.dtype} array of shape {data.shape}" if isinstance(data, np.ndarray)
                else type(data).__name__)
        raise ValueError(f"{path}: 'data' must be a uint8 array of shape (n, 3072); got {desc}")
    if not isinstance(labels, (list, tuple, np.ndarray)):
        raise ValueError(f"{path}: 'labels' must be a list of ints; got {type(labels).__name__}")
    try:
        labels = np.asarray(labels)
        if labels.size == 0:
            labels = labels.astype(np.int64)
    except (TypeError, ValueError) as exc:  # ragged or odd entries
        raise ValueError(f"{path}: 'labels' must be a list of ints ({exc})") from None
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(
            f"{path}: 'labels' must be a flat list of ints; got {labels.dtype} of shape {labels.shape}"
        )
    if len(labels) != len(data):
        raise ValueError(f"{path}: {len(data)} images but {len(labels)} labels")
    if len(labels) and (labels.min() < 0 or labels.max() >= len(CIFAR10_CLASSES)):
        raise ValueError(
            f"{path}: labels must lie in [0, {len(CIFAR10_CLASSES)}); found {labels.min()}..{labels.max()}"
        )
    return data, labels.astype(np.int64, copy=False)


def _to_images(rows: np.ndarray) -> np.ndarray:
    """View ``(n, 3072)`` rows of R, G, B planes as images ``(n, 32, 32, 3)`` (no copy)."""
    return rows.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)


def cifar10_folder(root: str | os.PathLike) -> Path:
    """The ``cifar-10-batches-py`` folder: ``root`` itself or ``root/cifar-10-batches-py``.

    Raises
    ------
    FileNotFoundError
        With the command that fetches the data, when neither holds ``data_batch_1``.
    """
    root = Path(root)
    for folder in (root / CIFAR10_FOLDER, root):
        if (folder / TRAIN_BATCHES[0]).is_file():
            return folder
    raise FileNotFoundError(
        f"CIFAR-10 not found: neither {root / CIFAR10_FOLDER} nor {root} holds {TRAIN_BATCHES[0]}. "
        "Run `cs231n-lin data fetch cifar10` (add `--cache DIR` or set CS231N_LIN_DATA_DIR to put it "
        "elsewhere), or point CS231N_LIN_DATA_DIR at the folder holding cifar-10-batches-py/."
    )


def load_cifar10_meta(root: str | os.PathLike) -> tuple[str, ...]:
    """The class names stored in ``batches.meta``, checked against :data:`CIFAR10_CLASSES`."""
    path = cifar10_folder(root) / META_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; fetch the CIFAR-10 archive again")
    meta = _read_pickle(path)
    if not isinstance(meta, dict):
        raise ValueError(f"{path} is not CIFAR-10 metadata: it holds a {type(meta).__name__}, not a dict")
    names = _get(meta, "label_names", path)
    try:
        names = tuple(n.decode("ascii") if isinstance(n, bytes) else str(n) for n in names)
    except (TypeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: 'label_names' must be a list of names ({exc})") from None
    if names != CIFAR10_CLASSES:
        raise ValueError(f"{path}: label names {names} differ from CIFAR-10's {CIFAR10_CLASSES}")
    return names


def _iter_batches(folder: Path, files: tuple[str, ...]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for name in files:
        yield _read_batch(folder / name)


def _load_images(folder: Path, files: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate batches as images ``(N, 32, 32, 3)``, filling one preallocated array.

    The output is sized from the first batch (all batches of the real archive hold 10000
    images); unequal batches fall back to a concatenation.
    """
    X = y = None
    extra = []
    filled = per_batch = 0
    for data, labels in _iter_batches(folder, files):
        n = len(labels)
        if X is None:
            per_batch = n
            X = np.empty((n * len(files), *IMAGE_SHAPE), dtype=np.uint8)
            y = np.empty(n * len(files), dtype=np.int64)
        if not extra and n == per_batch:
            X[filled:filled + n] = _to_images(data)
            y[filled:filled + n] = labels
            filled += n
        else:
            extra.append((np.ascontiguousarray(_to_images(data)), labels))
    X, y = X[:filled], y[:filled]
    if extra:
        X = np.concatenate([X, *(e[0] for e in extra)])
        y = np.concatenate([y, *(e[1] for e in extra)])
    return X, y


def load_cifar10(root: str | os.PathLike) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The whole CIFAR-10 dataset as uint8 images, in the archive's order.

    Parameters
    ----------
    root : path
        The folder holding ``cifar-10-batches-py/``, or that folder itself.

    Returns
    -------
    X_train : ndarray of shape (50000, 32, 32, 3), uint8
        ``data_batch_1`` .. ``data_batch_5`` in order; axes (row, column, RGB channel).
    y_train : ndarray of shape (50000,), int64
        Labels in ``[0, 10)``; ``CIFAR10_CLASSES[y]`` names them.
    X_test : ndarray of shape (10000, 32, 32, 3), uint8
        ``test_batch``.
    y_test : ndarray of shape (10000,), int64

    Raises
    ------
    FileNotFoundError
        When the data has not been fetched.
    ValueError
        When a batch is corrupt, or references anything but numpy arrays (a tampered pickle
        is refused before any of its code could run).
    """
    folder = cifar10_folder(root)
    X_train, y_train = _load_images(folder, TRAIN_BATCHES)
    X_test, y_test = _load_images(folder, (TEST_BATCH,))
    return X_train, y_train, X_test, y_test


def _resolve_sizes(sizes: dict[str, int | None], total_train: int, total_test: int) -> dict[str, int]:
    """Argument, else environment variable, else the standard size scaled to the archive.

    The standard sizes (49000 / 1000 / 1000 / 500) assume 50000 training and 10000 test
    images; a smaller archive (e.g. a test fixture) gets them scaled by the same fraction,
    with at least one image in train, val and test.
    """
    frac_train = total_train / 50000
    frac_test = total_test / 10000
    out = {}
    for key in ("num_val", "num_test", "num_dev", "num_train"):
        value = sizes.get(key)
        if value is None and os.environ.get(SIZE_ENV[key], "").strip():
            raw = os.environ[SIZE_ENV[key]].strip()
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(f"{SIZE_ENV[key]}={raw!r} is not a whole number") from None
        if value is None:
            if key == "num_val":
                value = max(1, round(STANDARD_SIZES[key] * frac_train))
            elif key == "num_test":
                value = max(1, round(STANDARD_SIZES[key] * frac_test))
            elif key == "num_dev":
                value = max(1, round(STANDARD_SIZES[key] * frac_train))
            else:
                value = total_train - out["num_val"]
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{key} must be an int; got {value!r}")
        out[key] = int(value)
    for key in ("num_train", "num_val", "num_test"):
        if out[key] < 1:
            raise ValueError(f"{key} must be at least 1; got {out[key]}")
    if out["num_train"] + out["num_val"] > total_train:
        raise ValueError(
            f"num_train + num_val = {out['num_train']} + {out['num_val']} exceeds the "
            f"{total_train} training images of the archive"
        )
    if out["num_test"] > total_test:
        raise ValueError(f"num_test = {out['num_test']} exceeds the {total_test} test images of the archive")
    if not 0 <= out["num_dev"] <= out["num_train"]:
        raise ValueError(f"num_dev must be in [0, num_train={out['num_train']}]; got {out['num_dev']}")
    return out


def _fill(dest: np.ndarray, rows: np.ndarray) -> None:
    """Write uint8 rows ``(n, 3072)`` (R, G, B planes) into ``dest`` ``(n, 3072)`` as (H, W, C)."""
    dest.reshape(-1, *IMAGE_SHAPE)[...] = _to_images(rows)


def load_cifar10_splits(
    root: str | os.PathLike | None = None,
    *,
    num_train: int | None = None,
    num_val: int | None = None,
    num_test: int | None = None,
    num_dev: int | None = None,
    seed: int = 0,
    dtype=np.float32,
) -> Splits:
    """CIFAR-10 split as in the classic assignment, preprocessed like every dataset here.

    train = the first ``num_train`` training images (archive order), val = the
    ``num_val`` images right after them (by default the last 1000 of ``data_batch_5``),
    test = the first ``num_test`` images of ``test_batch``, dev = ``num_dev`` random
    training images (chosen with ``seed``). Pixels are scaled to [0, 1], the training mean
    image is subtracted, and rows are flattened in (row, column, channel) order, so
    ``X[i].reshape(32, 32, 3)`` is an image again.

    Memory: each batch (30 MB of uint8) is read, written straight into the preallocated
    float32 arrays, and dropped; the full dataset is never held as uint8 or float64. The
    standard split takes about 0.6 GB.

    Parameters
    ----------
    root : path, optional
        Folder holding ``cifar-10-batches-py/`` (or that folder); default
        ``$CS231N_LIN_DATA_DIR``, else ``datasets/cache`` of the checkout.
    num_train, num_val, num_test, num_dev : int, optional
        Split sizes. Default: ``$CS231N_LIN_NUM_TRAIN`` (``_VAL``, ``_TEST``, ``_DEV``) when
        set, else 49000 / 1000 / 1000 / 500, scaled down in proportion when the archive holds
        fewer than 50000 training / 10000 test images.
    seed : int, default=0
        Picks the dev subset.
    dtype : numpy float dtype, default=float32

    Returns
    -------
    Splits
        ``X_*`` of shape ``(N, 3072)``, ``y_*`` int64 of shape ``(N,)``, ``mean_image`` of
        shape ``(3072,)``, ``image_shape == (32, 32, 3)``, ``class_names == CIFAR10_CLASSES``.
    """
    if root is None:
        from cs231n_lin.data.fetch import data_dir

        root = data_dir()
    folder = cifar10_folder(root)
    class_names = load_cifar10_meta(folder)
    requested = {"num_train": num_train, "num_val": num_val, "num_test": num_test, "num_dev": num_dev}
    D = int(np.prod(IMAGE_SHAPE))

    # Test first: it is one batch, and it tells nothing about the training sizes.
    test_rows, test_labels = _read_batch(folder / TEST_BATCH)
    train_batches = _iter_batches(folder, TRAIN_BATCHES)
    first_rows, first_labels = next(train_batches)
    per_batch = len(first_labels)
    sizes = _resolve_sizes(requested, per_batch * len(TRAIN_BATCHES), len(test_labels))

    X_test = np.empty((sizes["num_test"], D), dtype=dtype)
    _fill(X_test, test_rows[:sizes["num_test"]])
    y_test = test_labels[:sizes["num_test"]].copy()
    del test_rows, test_labels

    n_train, n_val = sizes["num_train"], sizes["num_val"]
    X_train = np.empty((n_train, D), dtype=dtype)
    X_val = np.empty((n_val, D), dtype=dtype)
    y_train = np.empty(n_train, dtype=np.int64)
    y_val = np.empty(n_val, dtype=np.int64)
    start = 0                                   # index of the batch's first image in the archive
    batch_index = 0
    rows, labels = first_rows, first_labels
    while True:
        if len(labels) != per_batch:
            raise ValueError(
                f"{folder / TRAIN_BATCHES[batch_index]} holds {len(labels)} images but "
                f"{TRAIN_BATCHES[0]} holds {per_batch}; the batches of an intact archive are equal"
            )
        # The parts of [start, start + per_batch) that fall into train and into val.
        for X, y, lo, hi in ((X_train, y_train, 0, n_train), (X_val, y_val, n_train, n_train + n_val)):
            a, b = max(lo, start), min(hi, start + per_batch)
            if a < b:
                _fill(X[a - lo:b - lo], rows[a - start:b - start])
                y[a - lo:b - lo] = labels[a - start:b - start]
        start += per_batch
        batch_index += 1
        del rows, labels
        if start >= n_train + n_val:
            break
        rows, labels = next(train_batches)

    for X in (X_train, X_val, X_test):
        X /= 255.0
    mean_image = subtract_mean(X_train, X_val, X_test)
    rng = np.random.default_rng(seed)
    dev = np.sort(rng.choice(n_train, size=sizes["num_dev"], replace=False))
    return Splits(
        name="cifar10",
        X_train=X_train, y_train=y_train,
        X_val=X_val, y_val=y_val,
        X_test=X_test, y_test=y_test,
        X_dev=X_train[dev], y_dev=y_train[dev],
        mean_image=mean_image,
        image_shape=IMAGE_SHAPE,
        class_names=class_names,
    )
