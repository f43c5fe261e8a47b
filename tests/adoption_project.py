"""A small scikit-learn project, as a new user brings it to gatekeeper: a model saved with skops,
the code that serves it, its requirements and a Dockerfile."""

from __future__ import annotations

from pathlib import Path

SERVE = '''"""Serve the churn model."""

import skops.io


def load(path):
    return skops.io.load(path, trusted=[])
'''
DOCKERFILE = """FROM python:3.12-slim@sha256:{digest}
COPY . /app
RUN pip install --no-cache-dir -r /app/requirements.txt
USER 1000
CMD ["python", "/app/src/serve.py"]
""".format(digest="1" * 64)


def save_model(path: Path) -> None:
    """A fitted LogisticRegression saved with skops (a zip of JSON and arrays, no pickle)."""
    import numpy as np
    import skops.io
    from sklearn.linear_model import LogisticRegression

    features = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.2]])
    model = LogisticRegression().fit(features, [0, 1, 0, 1])
    path.parent.mkdir(parents=True, exist_ok=True)
    skops.io.dump(model, path)


def make_project(root: Path) -> Path:
    save_model(root / "models" / "churn.skops")
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "src" / "serve.py").write_text(SERVE)
    (root / "requirements.txt").write_text("scikit-learn>=1.3\nskops>=0.10\n")
    (root / "Dockerfile").write_text(DOCKERFILE)
    return root
