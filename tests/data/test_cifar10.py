"""CIFAR-10 loader on a small archive written in the real format (no download)."""

from __future__ import annotations

import os
import pickle
import pickletools
import shlex

import numpy as np
import pytest
from cifar10_fixture import CLASSES, FOLDER, py2_pickle, write_cifar10

from cs231n_lin.data import CIFAR10_CLASSES, DATASETS, load_cifar10, load_cifar10_splits, load_dataset
from cs231n_lin.data.cifar10 import SIZE_ENV, UnsafePickleError, load_cifar10_meta

PER_BATCH, NUM_TEST = 100, 60


@pytest.fixture(scope="module")
def cifar_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("cifar")
    batches = write_cifar10(root, per_batch=PER_BATCH, num_test=NUM_TEST, seed=1)
    return root, batches


@pytest.fixture
def fresh_root(tmp_path):
    """A writable copy, for tests that damage a batch."""
    write_cifar10(tmp_path, per_batch=20, num_test=20, seed=2)
    return tmp_path


@pytest.fixture(autouse=True)
def _no_size_env(monkeypatch):
    for var in SIZE_ENV.values():
        monkeypatch.delenv(var, raising=False)


def _pixel(batch: dict, i: int, row: int, col: int, channel: int) -> int:
    """The documented layout: 1024 red values, then green, then blue, each row-major."""
    return int(batch[b"data"][i, channel * 1024 + row * 32 + col])


def test_class_names_are_the_archives_label_names(cifar_root):
    root, _ = cifar_root
    assert CIFAR10_CLASSES == CLASSES
    assert load_cifar10_meta(root) == CLASSES
    assert "cifar10" in DATASETS


def test_fixture_references_only_what_the_real_archive_does(cifar_root):
    root, batches = cifar_root
    raw = (root / FOLDER / "data_batch_1").read_bytes()
    globals_used = {arg for op, arg, _ in pickletools.genops(raw) if op.name == "GLOBAL"}
    assert globals_used == {"numpy.core.multiarray _reconstruct", "numpy ndarray", "numpy dtype"}
    assert raw[:2] == b"\x80\x02"                       # protocol 2, as cPickle wrote it
    plain = pickle.loads(raw, encoding="bytes")
    assert plain[b"labels"] == batches["data_batch_1"][b"labels"]


def test_load_cifar10_shapes_dtypes_order_and_pixels(cifar_root):
    root, batches = cifar_root
    X_train, y_train, X_test, y_test = load_cifar10(root)
    assert X_train.shape == (5 * PER_BATCH, 32, 32, 3) and X_train.dtype == np.uint8
    assert X_test.shape == (NUM_TEST, 32, 32, 3) and X_test.dtype == np.uint8
    assert y_train.shape == (5 * PER_BATCH,) and y_train.dtype.kind == "i"
    expected_labels = sum((batches[f"data_batch_{i}"][b"labels"] for i in range(1, 6)), [])
    assert y_train.tolist() == expected_labels                     # data_batch_1..5, in order
    assert y_test.tolist() == batches["test_batch"][b"labels"]
    rng = np.random.default_rng(0)
    for _ in range(200):
        b, i = int(rng.integers(1, 6)), int(rng.integers(PER_BATCH))
        r, c, ch = (int(v) for v in rng.integers(0, [32, 32, 3]))
        assert X_train[(b - 1) * PER_BATCH + i, r, c, ch] == _pixel(batches[f"data_batch_{b}"], i, r, c, ch)
    i = NUM_TEST - 1
    assert X_test[i, 31, 0, 2] == _pixel(batches["test_batch"], i, 31, 0, 2)


def test_root_may_be_the_batches_folder_itself(cifar_root):
    root, _ = cifar_root
    a, b = load_cifar10(root), load_cifar10(root / FOLDER)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)


def test_missing_data_says_how_to_fetch(tmp_path):
    with pytest.raises(FileNotFoundError, match="cs231n-lin data fetch cifar10"):
        load_cifar10(tmp_path)
    with pytest.raises(FileNotFoundError, match="CS231N_LIN_DATA_DIR"):
        load_cifar10_splits(tmp_path)


def test_malicious_pickle_is_refused_without_running_it(fresh_root, tmp_path_factory):
    marker = tmp_path_factory.mktemp("marker") / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {shlex.quote(str(marker))}",))

    payload = pickle.dumps({"data": Evil(), "labels": [0]}, protocol=2)
    target = fresh_root / FOLDER / "data_batch_3"
    target.write_bytes(payload)
    with pytest.raises(UnsafePickleError, match=r"data_batch_3: .*'posix\.system'") as err:
        load_cifar10(fresh_root)
    assert isinstance(err.value, ValueError)
    assert "cs231n-lin data fetch cifar10" in str(err.value)
    assert not marker.exists()
    with pytest.raises(UnsafePickleError):
        load_cifar10_splits(fresh_root)
    assert not marker.exists()
    # Control: the payload is live, so the refusal above is what kept the marker away.
    pickle.loads(payload)
    assert marker.exists()


@pytest.mark.parametrize("module,name", [("builtins", "eval"), ("numpy", "load"), ("subprocess", "Popen")])
def test_any_other_global_is_refused(fresh_root, module, name):
    raw = (b"\x80\x02}(U\x04datac" + module.encode() + b"\n" + name.encode() + b"\nU\x01x\x85RU\x06labels]u.")
    (fresh_root / FOLDER / "test_batch").write_bytes(raw)
    with pytest.raises(UnsafePickleError, match=f"test_batch.*'{module}.{name}'"):
        load_cifar10(fresh_root)


def _rewrite(root, name, **changes):
    path = root / FOLDER / name
    batch = pickle.loads(path.read_bytes(), encoding="bytes")
    for key, value in changes.items():
        if value is None:
            del batch[key.encode()]
        else:
            batch[key.encode()] = value
    path.write_bytes(py2_pickle(batch))


@pytest.mark.parametrize("change,message", [
    ({"data": np.zeros((20, 3000), np.uint8)}, r"uint8 array of shape \(n, 3072\); got uint8 array of shape"),
    ({"labels": [0] * 19}, "20 images but 19 labels"),
    ({"labels": [0] * 19 + [10]}, r"labels must lie in \[0, 10\)"),
    ({"data": None}, "no 'data' entry"),
])
def test_corrupt_batch_gives_a_clear_error(fresh_root, change, message):
    _rewrite(fresh_root, "data_batch_2", **change)
    with pytest.raises(ValueError, match=f"data_batch_2.*{message}|{message}"):
        load_cifar10(fresh_root)


def test_wrong_dtype_and_truncated_file_are_reported(fresh_root):
    path = fresh_root / FOLDER / "data_batch_4"
    batch = pickle.loads(path.read_bytes(), encoding="bytes")
    batch[b"data"] = batch[b"data"].astype(np.float64)
    path.write_bytes(pickle.dumps(batch, protocol=2))
    with pytest.raises(ValueError, match="data_batch_4"):
        load_cifar10(fresh_root)
    good = py2_pickle({b"data": np.zeros((20, 3072), np.uint8), b"labels": [0] * 20})
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(ValueError, match="data_batch_4 is not a readable CIFAR-10 batch"):
        load_cifar10(fresh_root)


def test_unequal_batches_still_load_in_order(fresh_root):
    path = fresh_root / FOLDER / "data_batch_2"
    batch = pickle.loads(path.read_bytes(), encoding="bytes")
    batch[b"data"], batch[b"labels"] = batch[b"data"][:7], batch[b"labels"][:7]
    path.write_bytes(py2_pickle(batch))
    X, y, _, _ = load_cifar10(fresh_root)
    assert X.shape == (87, 32, 32, 3)
    assert y[20:27].tolist() == batch[b"labels"]
    with pytest.raises(ValueError, match="data_batch_2 holds 7 images"):
        load_cifar10_splits(fresh_root, num_train=80, num_val=5)


def test_splits_follow_the_classic_assignment(cifar_root):
    root, _ = cifar_root
    X_train_u8, y_train_all, X_test_u8, y_test_all = load_cifar10(root)
    s = load_cifar10_splits(root, num_train=420, num_val=30, num_test=25, num_dev=40, seed=3)
    assert s.name == "cifar10" and s.image_shape == (32, 32, 3) and s.class_names == CLASSES
    for part, n in (("train", 420), ("val", 30), ("test", 25), ("dev", 40)):
        X, y = getattr(s, f"X_{part}"), getattr(s, f"y_{part}")
        assert X.shape == (n, 3072) and X.dtype == np.float32 and y.shape == (n,)
    # Independent recomputation in float64 from the uint8 images.
    train = X_train_u8[:420].reshape(420, -1) / 255.0
    mean = train.mean(axis=0)
    np.testing.assert_allclose(s.mean_image, mean, atol=1e-6)
    np.testing.assert_allclose(s.X_train, train - mean, atol=1e-6)
    np.testing.assert_allclose(s.X_val, X_train_u8[420:450].reshape(30, -1) / 255.0 - mean, atol=1e-6)
    np.testing.assert_allclose(s.X_test, X_test_u8[:25].reshape(25, -1) / 255.0 - mean, atol=1e-6)
    np.testing.assert_array_equal(s.y_train, y_train_all[:420])
    np.testing.assert_array_equal(s.y_val, y_train_all[420:450])
    np.testing.assert_array_equal(s.y_test, y_test_all[:25])
    # dev: distinct rows of train, with their labels.
    rows = {s.X_train[i].tobytes(): s.y_train[i] for i in range(420)}
    assert len({x.tobytes() for x in s.X_dev}) == 40
    assert all(rows[x.tobytes()] == y for x, y in zip(s.X_dev, s.y_dev, strict=True))
    assert abs(s.X_train.mean(axis=0)).max() < 1e-5
    assert s.X_val.min() >= -1.0 and s.X_val.max() <= 1.0


def test_default_sizes_scale_with_the_archive(cifar_root):
    root, _ = cifar_root
    s = load_cifar10_splits(root)
    total = 5 * PER_BATCH                       # 1/100 of the real 50000 training images
    assert (len(s.X_val), len(s.X_train)) == (round(1000 * total / 50000), total - 10)
    assert len(s.X_test) == round(1000 * NUM_TEST / 10000)
    assert len(s.X_dev) == round(500 * total / 50000)


def test_sizes_from_the_environment(cifar_root, monkeypatch):
    root, _ = cifar_root
    monkeypatch.setenv("CS231N_LIN_NUM_TRAIN", "100")
    monkeypatch.setenv("CS231N_LIN_NUM_VAL", "50")
    monkeypatch.setenv("CS231N_LIN_NUM_TEST", "20")
    monkeypatch.setenv("CS231N_LIN_NUM_DEV", "7")
    s = load_cifar10_splits(root)
    assert [len(s.X_train), len(s.X_val), len(s.X_test), len(s.X_dev)] == [100, 50, 20, 7]
    X_train_u8, _, _, _ = load_cifar10(root)
    np.testing.assert_allclose(s.X_val + s.mean_image, X_train_u8[100:150].reshape(50, -1) / 255.0, atol=1e-6)
    monkeypatch.setenv("CS231N_LIN_NUM_DEV", "many")
    with pytest.raises(ValueError, match="CS231N_LIN_NUM_DEV='many' is not a whole number"):
        load_cifar10_splits(root)


@pytest.mark.parametrize("kwargs,message", [
    ({"num_train": 480, "num_val": 30}, "exceeds the 500 training images"),
    ({"num_test": 61}, "exceeds the 60 test images"),
    ({"num_train": 0}, "num_train must be at least 1"),
    ({"num_train": 10, "num_dev": 11}, r"num_dev must be in \[0, num_train=10\]"),
    ({"num_val": 2.5}, "num_val must be an int"),
])
def test_bad_split_sizes(cifar_root, kwargs, message):
    root, _ = cifar_root
    with pytest.raises(ValueError, match=message):
        load_cifar10_splits(root, **kwargs)


def test_dataset_switch_and_demo(fresh_root, monkeypatch, tmp_path):
    from cs231n_lin import demo, hyperparams

    monkeypatch.setenv("CS231N_LIN_DATASET", "cifar10")
    monkeypatch.setenv("CS231N_LIN_DATA_DIR", str(fresh_root))
    data = load_dataset()
    assert data.name == "cifar10" and data.image_shape == (32, 32, 3) and data.class_names == CLASSES
    assert data.X_train.dtype == np.float32 and data.X_train.shape == (98, 3072)   # 5 x 20 images, 2 for val

    fast = {m: {**p, "num_iters": 20} for m, p in hyperparams.DEFAULTS["cifar10"].items()}
    monkeypatch.setitem(hyperparams.DEFAULTS, "cifar10", fast)
    rows = demo.run_demo(out_dir=tmp_path, seed=0)
    assert {r["model"] for r in rows} >= {"LinearSVM (hinge)", "Softmax"}
    assert all(np.isfinite(r["test"]) for r in rows)
    assert (tmp_path / "demo" / "accuracy.txt").read_text().count("\n") == len(rows) + 2
    assert (tmp_path / "demo" / "weights_softmax.png").stat().st_size > 0


def test_dataset_switch_without_data_says_fetch(tmp_path, monkeypatch):
    monkeypatch.setenv("CS231N_LIN_DATASET", "cifar10")
    monkeypatch.setenv("CS231N_LIN_DATA_DIR", str(tmp_path / "empty"))
    with pytest.raises(FileNotFoundError, match="Run `cs231n-lin data fetch cifar10`.*CS231N_LIN_DATA_DIR"):
        load_dataset()


def test_cifar10_defaults_exist_for_every_model():
    from cs231n_lin.hyperparams import defaults_for

    for model in ("svm", "svm_squared", "softmax"):
        params = defaults_for("cifar10", model)
        assert params["learning_rate"] > 0 and params["reg"] >= 0 and params["num_iters"] >= 1000
