import io
import pickle
import struct
import zipfile

import numpy as np
import pytest

from gatekeeper.evidence.release.artifacts import detect_format


def safetensors_bytes() -> bytes:
    header = b'{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'
    return struct.pack("<Q", len(header)) + header + b"\x00\x00\x80?"


def torch_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("archive/data.pkl", pickle.dumps({"w": 1}))
    return buffer.getvalue()


def numpy_bytes(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("model.safetensors", safetensors_bytes(), "safetensors"),
        ("model.pkl", pickle.dumps({"w": [1.0]}, protocol=4), "pickle"),
        ("model.safetensors", pickle.dumps({"w": [1.0]}, protocol=4), "pickle"),
        ("model.bin", pickle.dumps({"w": [1.0]}, protocol=2), "pytorch-pickle"),
        ("model.joblib", pickle.dumps({"w": [1.0]}, protocol=5), "joblib"),
        ("model.pt", torch_zip_bytes(), "pytorch-pickle"),
        ("weights.npy", numpy_bytes(np.zeros(3)), "numpy"),
        ("objects.npy", numpy_bytes(np.array([{"a": 1}], dtype=object)), "numpy-pickle"),
        ("model.gguf", b"GGUF\x03\x00\x00\x00" + b"\x00" * 16, "gguf"),
        ("model.h5", b"\x89HDF\r\n\x1a\n" + b"\x00" * 16, "hdf5"),
        ("notes.txt", b"just text", "unknown"),
    ],
)
def test_format_comes_from_the_bytes(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_format(path) == expected
