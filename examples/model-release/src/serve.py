"""A minimal inference service for the example release: loads the weights without pickle."""

from __future__ import annotations

import json
import sys

import numpy as np
from safetensors.numpy import load_file


def load_model(path: str) -> dict[str, np.ndarray]:
    # safetensors holds only tensors: loading it cannot run code.
    return load_file(path)


def predict(weights: dict[str, np.ndarray], features: list[float]) -> float:
    hidden = np.tanh(np.asarray(features, dtype=np.float32) @ weights["dense.weight"].T)
    logit = hidden @ weights["head.weight"].T
    return float(1.0 / (1.0 + np.exp(-logit[0])))


def main() -> None:
    weights = load_model(sys.argv[1])
    features = json.loads(sys.stdin.read())
    print(json.dumps({"score": predict(weights, features)}))


if __name__ == "__main__":
    main()
