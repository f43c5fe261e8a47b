"""Build the examples' model files and ML-BOMs (used by each example's regenerate.sh).

    python make_evidence.py safetensors OUT.safetensors
    python make_evidence.py pickle OUT.pkl
    python make_evidence.py mlbom MODEL_FILE NAME VERSION OUT.cdx.json

Everything is deterministic: seeded weights, a fixed BOM timestamp and serial number, so
regenerating gives byte-identical files unless an input changed.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

FIXED_TIME = datetime(2026, 11, 1, tzinfo=timezone.utc)


def weights() -> dict:
    import numpy as np

    rng = np.random.default_rng(20261101)
    return {
        "dense.weight": rng.standard_normal((16, 8)).astype("float32"),
        "head.weight": rng.standard_normal((1, 16)).astype("float32"),
    }


def write_safetensors(out: Path) -> None:
    from safetensors.numpy import save_file

    save_file(weights(), str(out), metadata={"format": "np"})


class _RunsOnLoad:
    """Pickling this object records a call to os.system; unpickling would run it."""

    def __reduce__(self):
        import os

        return os.system, ("echo 'unsafe-release: this model file ran code when loaded'",)


def write_pickle(out: Path) -> None:
    out.write_bytes(pickle.dumps({"weights": weights(), "hook": _RunsOnLoad()}, protocol=4))


def write_mlbom(model: Path, name: str, version: str, out: Path) -> None:
    from cyclonedx.model import HashAlgorithm, HashType
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.output.json import JsonV1Dot6

    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    component = Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=name,
        version=version,
        bom_ref=f"model:{name}@{version}",
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=digest)],
        description=f"{model.name}: the released weights",
    )
    bom = Bom(components=[component], serial_number=uuid.uuid5(uuid.NAMESPACE_URL, digest))
    bom.metadata.timestamp = FIXED_TIME
    out.write_text(JsonV1Dot6(bom).output_as_string(indent=2) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    kind, *args = argv
    if kind == "safetensors":
        write_safetensors(Path(args[0]))
    elif kind == "pickle":
        write_pickle(Path(args[0]))
    elif kind == "mlbom":
        write_mlbom(Path(args[0]), args[1], args[2], Path(args[3]))
    else:
        raise SystemExit(f"unknown kind {kind!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
