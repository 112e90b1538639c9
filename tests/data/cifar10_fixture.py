"""A tiny CIFAR-10 archive in the real format, and a local HTTP server that serves it.

The official batches were written by Python 2's ``cPickle`` with protocol 2: Python 2
``str`` values become ``SHORT_BINSTRING``/``BINSTRING`` opcodes (read back as bytes with
``encoding="bytes"``), and the uint8 array is rebuilt by ``numpy.core.multiarray._reconstruct``,
``numpy.ndarray`` and ``numpy.dtype``. Python 3's pickler cannot emit that (it writes bytes
through ``_codecs.encode``), so :func:`py2_pickle` writes those opcodes by hand.
"""

from __future__ import annotations

import hashlib
import io
import socket
import struct
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
FOLDER = "cifar-10-batches-py"


class _Py2Pickler:
    """Protocol-2 opcodes as cPickle wrote them for dict / list / str / int / uint8 ndarray."""

    def __init__(self):
        self.out = bytearray(b"\x80\x02")          # PROTO 2
        self.memo = 0

    def put(self):
        self.memo += 1
        self.out += b"q" + bytes([self.memo]) if self.memo < 256 else b"r" + struct.pack("<I", self.memo)

    def string(self, s: bytes):
        self.out += (b"U" + bytes([len(s)]) if len(s) < 256 else b"T" + struct.pack("<I", len(s))) + s

    def int(self, i: int):
        if 0 <= i < 256:
            self.out += b"K" + bytes([i])
        elif 0 <= i < 65536:
            self.out += b"M" + struct.pack("<H", i)
        else:
            self.out += b"J" + struct.pack("<i", i)

    def glob(self, module: str, name: str):
        self.out += b"c" + module.encode() + b"\n" + name.encode() + b"\n"
        self.put()

    def dump(self, obj):
        if isinstance(obj, dict):
            self.out += b"}"
            self.put()
            self.out += b"("
            for k, v in obj.items():
                self.dump(k)
                self.dump(v)
            self.out += b"u"                        # SETITEMS
        elif isinstance(obj, list):
            self.out += b"]"
            self.put()
            self.out += b"("
            for v in obj:
                self.dump(v)
            self.out += b"e"                        # APPENDS
        elif isinstance(obj, bytes):
            self.string(obj)
        elif isinstance(obj, int):
            self.int(obj)
        elif isinstance(obj, np.ndarray):
            assert obj.dtype == np.uint8 and obj.ndim == 2
            self.glob("numpy.core.multiarray", "_reconstruct")
            self.glob("numpy", "ndarray")
            self.out += b"K\x00\x85" + b"U\x01b" + b"\x87R"     # (ndarray, (0,), 'b') REDUCE
            self.put()
            self.out += b"(K\x01"                               # state: (1, shape, dtype, False, raw)
            self.int(obj.shape[0])
            self.int(obj.shape[1])
            self.out += b"\x86"
            self.glob("numpy", "dtype")
            self.out += b"U\x02u1K\x00K\x01\x87R"               # dtype('u1', 0, 1)
            self.put()
            self.out += b"(K\x03U\x01|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb"
            self.out += b"\x89"                                 # NEWFALSE: not Fortran order
            self.string(np.ascontiguousarray(obj).tobytes())
            self.out += b"tb"                                   # TUPLE, BUILD
        else:
            raise TypeError(type(obj))


def py2_pickle(obj) -> bytes:
    """``obj`` pickled the way Python 2's cPickle (protocol 2) wrote the CIFAR-10 batches."""
    p = _Py2Pickler()
    p.dump(obj)
    p.out += b"."
    return bytes(p.out)


def make_batch(n: int, rng: np.random.Generator, label: bytes) -> dict:
    labels = [int(v) for v in rng.permutation(np.arange(n) % 10)]
    return {
        b"batch_label": label,
        b"labels": labels,
        b"data": rng.integers(0, 256, size=(n, 3072), dtype=np.uint8),
        b"filenames": [f"{CLASSES[v]}_s_{i:06d}.png".encode() for i, v in enumerate(labels)],
    }


def write_cifar10(root: Path, per_batch: int = 100, num_test: int = 100, seed: int = 0) -> dict[str, dict]:
    """Write ``root/cifar-10-batches-py/`` like the real archive; returns the batches by file name."""
    rng = np.random.default_rng(seed)
    folder = Path(root) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    batches = {}
    for i in range(1, 6):
        batches[f"data_batch_{i}"] = make_batch(per_batch, rng, f"training batch {i} of 5".encode())
    batches["test_batch"] = make_batch(num_test, rng, b"testing batch 1 of 1")
    for name, batch in batches.items():
        (folder / name).write_bytes(py2_pickle(batch))
    meta = {b"num_cases_per_batch": per_batch, b"label_names": [c.encode() for c in CLASSES],
            b"num_vis": 3072}
    (folder / "batches.meta").write_bytes(py2_pickle(meta))
    (folder / "readme.html").write_text("<meta HTTP-EQUIV='REFRESH' content='0; url=http://example.invalid/'>")
    return batches


def make_archive(path: Path, per_batch: int = 100, num_test: int = 100, seed: int = 0) -> dict:
    """``cifar-10-python.tar.gz`` with the real layout; returns its bytes, digests and batches."""
    path = Path(path)
    src = path.parent / f".src-{path.name}"
    batches = write_cifar10(src, per_batch, num_test, seed)
    with tarfile.open(path, "w:gz") as tar:
        tar.add(src / FOLDER, arcname=FOLDER, recursive=False)
        for name in ("data_batch_4", "readme.html", "test_batch", "data_batch_3", "batches.meta",
                     "data_batch_2", "data_batch_5", "data_batch_1"):   # the real member order
            tar.add(src / FOLDER / name, arcname=f"{FOLDER}/{name}")
    payload = path.read_bytes()
    return {
        "path": path, "payload": payload, "batches": batches,
        "md5": hashlib.md5(payload).hexdigest(), "sha256": hashlib.sha256(payload).hexdigest(),
        "size": len(payload),
    }


def tar_bytes(members: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    """A .tar.gz made of the given members (for archives that must be refused)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


class ArchiveServer:
    """Serves ``payload`` at ``/cifar-10-python.tar.gz`` on 127.0.0.1 with Range support.

    ``cut_next`` responses send only half of what they promise and then drop the
    connection; ``ignore_range`` answers every request with the whole file (200);
    ``status`` forces an error code. ``requests`` records each request's Range header.
    """

    def __init__(self, payload: bytes):
        self.payload = payload
        self.cut_next = 0
        self.ignore_range = False
        self.status = None
        self.delay = 0.0
        self.requests: list[str | None] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(self.headers.get("Range"))
                if server.delay:
                    threading.Event().wait(server.delay)
                if server.status is not None or self.path != "/cifar-10-python.tar.gz":
                    self.send_error(server.status or 404)
                    return
                data, start = server.payload, 0
                rng = self.headers.get("Range")
                if rng and not server.ignore_range:
                    start = int(rng.removeprefix("bytes=").split("-")[0])
                    if start >= len(data):
                        self.send_error(416)
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Type", "application/x-gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.cut_next:
                    server.cut_next -= 1
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/cifar-10-python.tar.gz"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    def __enter__(self) -> ArchiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/cifar-10-python.tar.gz"
