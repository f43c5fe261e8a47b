"""gatekeeper: a CI/CD policy gate for AI/ML releases.

Library use::

    from gatekeeper.config import load_config
    from gatekeeper.pipeline import RunOptions, check

    results = check(load_config(Path("gatekeeper.yaml")), RunOptions(now=datetime.now(UTC)))
    results["verdict"]["outcome"]  # "pass" | "fail" | "error"
"""

__version__ = "0.1.0"
