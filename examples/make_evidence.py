"""Build the examples' model files and ML-BOMs (used by each example's regenerate.sh).

    python make_evidence.py safetensors OUT.safetensors
    python make_evidence.py pickle OUT.pkl
    python make_evidence.py mlbom MODEL_FILE NAME VERSION OUT.cdx.json
    python make_evidence.py keypair ecdsa|ed25519 PRIVATE.pem PUBLIC.pem
    python make_evidence.py provenance MODEL_FILE SOURCE_DIR BUILDER_KEY.pem OUT.intoto.jsonl

Everything is deterministic (seeded weights, a fixed BOM timestamp and serial number, fixed
build times), so regenerating gives byte-identical files unless an input changed -- except
keys and signatures: each regeneration makes new keys, and ECDSA signatures are randomized.
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


def write_keypair(kind: str, private_out: Path, public_out: Path) -> None:
    """A new signing key: the private half for this run only, the public half to trust."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519

    key = ec.generate_private_key(ec.SECP256R1()) if kind == "ecdsa" else (
        ed25519.Ed25519PrivateKey.generate()
    )
    private_out.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    private_out.chmod(0o600)
    public_out.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo,
    ))


# What the example's release pipeline would state about its own build.
REPOSITORY = "https://github.com/example-org/sentiment-scorer"
REF = "refs/tags/v1.4.0"
BUILDER = (
    "https://github.com/example-org/ml-platform/.github/workflows/train-and-release.yml@refs/tags/v2"
)
BUILD_TYPE = "https://github.com/example-org/ml-platform/buildtypes/model-training@v1"


def write_provenance(model: Path, sources: Path, key_file: Path, out: Path) -> None:
    """SLSA provenance v1 for the model, in a DSSE envelope signed with the builder's key."""
    import json
    from datetime import timedelta

    from cryptography.hazmat.primitives import serialization
    from securesystemslib.dsse import Envelope
    from securesystemslib.signer import CryptoSigner

    def sha256(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    started = FIXED_TIME.isoformat().replace("+00:00", "Z")
    finished = (FIXED_TIME + timedelta(minutes=42)).isoformat().replace("+00:00", "Z")
    statement = {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": model.name, "digest": {"sha256": sha256(model)}}],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {
            "buildDefinition": {
                "buildType": BUILD_TYPE,
                "externalParameters": {"source": f"git+{REPOSITORY}@{REF}", "seed": 20261101},
                "resolvedDependencies": [
                    {"uri": f"git+{REPOSITORY}@{REF}#{path.relative_to(sources.parent).as_posix()}",
                     "digest": {"sha256": sha256(path)}}
                    for path in sorted(sources.rglob("*")) if path.is_file()
                ],
            },
            "runDetails": {
                "builder": {"id": BUILDER},
                "metadata": {
                    "invocationId": f"{REPOSITORY}/actions/runs/1401",
                    "startedOn": started,
                    "finishedOn": finished,
                },
            },
        },
    }
    private_key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    payload = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
    envelope = Envelope(payload, "application/vnd.in-toto+json", {})
    envelope.sign(CryptoSigner(private_key))
    out.write_text(json.dumps(envelope.to_dict(), sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    kind, *args = argv
    if kind == "safetensors":
        write_safetensors(Path(args[0]))
    elif kind == "pickle":
        write_pickle(Path(args[0]))
    elif kind == "mlbom":
        write_mlbom(Path(args[0]), args[1], args[2], Path(args[3]))
    elif kind == "keypair":
        write_keypair(args[0], Path(args[1]), Path(args[2]))
    elif kind == "provenance":
        write_provenance(Path(args[0]), Path(args[1]), Path(args[2]), Path(args[3]))
    else:
        raise SystemExit(f"unknown kind {kind!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
