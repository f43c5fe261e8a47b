"""promptfoo results JSON (``promptfoo eval -o``, ``promptfoo export``) -> a run and attack results.

Only ``results.version`` 3 is read. Each red-team result names its plugin and strategy in
``metadata.pluginId`` / ``metadata.strategyId``; results are counted per (plugin, strategy)
pair: a failed test is an attack that worked, a passed test one that did not, and an errored
test (``failureReason`` 2, or an error with no grading) is counted apart, never as a pass.
Results without a plugin (plain evals) count in the run's totals only.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.evals import attacks
from gatekeeper.jsonio import parse_json
from gatekeeper.schemas import check_shape

NAME = "promptfoo"
RESULTS_VERSION = 3
FAILURE_ERROR = 2  # promptfoo's ResultFailureReason: 0 none, 1 assertion, 2 error


def _results(document: Any, path: str) -> dict[str, Any]:
    results = document.get("results") if isinstance(document, dict) else None
    if isinstance(results, dict) and results.get("version") == RESULTS_VERSION:
        check_shape(document, "shape-promptfoo", path, "promptfoo results file", EvidenceError)
    if not isinstance(results, dict) or "version" not in results:
        raise EvidenceError(
            "not a promptfoo results file: expected an object with 'results.version'",
            path=path,
            hint="write it with `promptfoo eval -o results.json` or `promptfoo export`",
        )
    if results["version"] != RESULTS_VERSION:
        raise EvidenceError(
            f"promptfoo results version {results['version']!r} is not supported "
            f"(this gatekeeper reads version {RESULTS_VERSION})",
            path=path,
        )
    if not isinstance(results.get("results"), list):
        raise EvidenceError("promptfoo results without a 'results.results' list", path=path)
    return results


def outcome(result: dict[str, Any]) -> str:
    """``passed``, ``failed`` or ``error`` for one test result."""
    reason = result.get("failureReason")
    if reason == FAILURE_ERROR:
        return "error"
    if reason is None and result.get("error") and not result.get("gradingResult"):
        return "error"
    return "passed" if result.get("success") is True else "failed"


def _ids(result: dict[str, Any]) -> tuple[str | None, str | None]:
    for metadata in (result.get("metadata"), (result.get("testCase") or {}).get("metadata")):
        if isinstance(metadata, dict) and isinstance(metadata.get("pluginId"), str):
            strategy = metadata.get("strategyId")
            return metadata["pluginId"], strategy if isinstance(strategy, str) else None
    return None, None


def _classes(plugin: str, strategy: str | None) -> list[dict[str, Any]]:
    ids = [attacks.class_of("promptfoo_plugins", plugin)]
    if strategy:
        ids.append(attacks.class_of("promptfoo_strategies", strategy))
    unique = [class_id for i, class_id in enumerate(ids) if class_id and class_id not in ids[:i]]
    return [attacks.describe(class_id) for class_id in unique]


def read_results(data: bytes, path: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    document = parse_json(data, path)
    results = _results(document, path)
    totals = {"passed": 0, "failed": 0, "error": 0}
    pairs: dict[tuple[str, str | None], dict[str, int]] = {}
    for index, result in enumerate(results["results"]):
        if not isinstance(result, dict):
            raise EvidenceError(f"results.results[{index}] is not an object", path=path)
        verdict = outcome(result)
        totals[verdict] += 1
        plugin, strategy = _ids(result)
        if plugin is not None:
            counts = pairs.setdefault((plugin, strategy), {"passed": 0, "failed": 0, "error": 0})
            counts[verdict] += 1
    found = [
        {
            "tool": NAME,
            "source": path,
            "line": None,
            "test": plugin,
            "variant": strategy,
            "classes": _classes(plugin, strategy),
            "evaluated": counts["passed"] + counts["failed"],
            "succeeded": counts["failed"],
            "errors": counts["error"],
        }
        for (plugin, strategy), counts in sorted(pairs.items(), key=lambda item: str(item[0]))
    ]
    metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
    config = document.get("config") if isinstance(document.get("config"), dict) else {}
    run = {
        "tool": NAME,
        "version": metadata.get("promptfooVersion"),
        "source": path,
        "run_id": document.get("evalId"),
        "target": ", ".join(_providers(config)) or None,
        "started": results.get("timestamp"),
        "finished": None,
        "complete": True,
        "result_count": len(found),
        "tests": totals,
    }
    return run, found


def _providers(config: dict[str, Any]) -> list[str]:
    providers = config.get("providers") or config.get("targets") or []
    if isinstance(providers, (str, dict)):
        providers = [providers]
    names = []
    for provider in providers:
        if isinstance(provider, str):
            names.append(provider)
        elif isinstance(provider, dict):
            names.append(str(provider.get("label") or provider.get("id") or "custom"))
    return names


def collect(patterns: list[str], context: CollectContext) -> dict[str, Any]:
    runs, found = [], []
    for index, pattern in enumerate(patterns):
        for path in context.expand(pattern, f"evidence.{NAME}[{index}]"):
            run, run_attacks = read_results(context.read(path, NAME), context.display_path(path))
            runs.append(run)
            found.extend(run_attacks)
    return {"evals": {"runs": runs, "attacks": found, "metrics": []}}
