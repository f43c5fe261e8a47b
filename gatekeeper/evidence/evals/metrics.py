"""The generic metrics format (JSON or YAML, ``gatekeeper/schemas/metrics.schema.json``), and
the same measures read from CycloneDX model cards (``quantitativeAnalysis.performanceMetrics``)
and from lm-evaluation-harness results files.

Every file is checked against the shipped schema, which also bounds the known measures (a rate
outside [0, 1] is an error, as is a value that is not a number); errors name the file and the
line of the metric. The format is documented in docs/metrics-format.md.

A metrics file is a metric set bound to the release when it names the model file it measured
(``model: {path, sha256}``; the file must exist with that sha256, and policies check the digest
against the release's artifacts) and every metric names its dataset and method (its own or the
file's). Each metric carries ``bound`` and ``model_sha256``; ``evals.metric_sets`` says, per
file, what it is bound to or why not. Metrics read from model cards and lm-evaluation-harness
results name no model file: they are unbound (declared numbers).
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

import yaml

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.jsonio import decode_text, parse_json, sha256_file
from gatekeeper.schemas import schema, validation_errors
from gatekeeper.yamlio import load_yaml_text

NAME = "metrics"
FORMAT = "gatekeeper-metrics"
# Known measures the schema does not bound (a utility may be accuracy, loss or perplexity).
UNBOUNDED_NAMES = ("dp_utility",)
_ITEM = re.compile(r"^metrics\[(\d+)\](?:\.(\w+))?")
_FIELDS = ("name", "value", "baseline", "slice", "dataset", "method")


@cache
def known_names() -> frozenset[str]:
    definitions = schema(NAME)["definitions"]
    names = set(UNBOUNDED_NAMES)
    for key in ("rate_names", "signed_rate_names", "non_negative_names"):
        names.update(definitions[key]["enum"])
    return frozenset(names)


def _is_json(data: bytes, path: str) -> bool:
    return path.lower().endswith(".json") or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _lines(text: str) -> dict[tuple[int, str | None], int]:
    """Line numbers of ``metrics[i]`` and of its keys, where the text parses as YAML (JSON does)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[tuple[int, str | None], int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if key.value != "metrics" or not isinstance(value, yaml.SequenceNode):
            continue
        for index, item in enumerate(value.value):
            lines[(index, None)] = item.start_mark.line + 1
            if isinstance(item, yaml.MappingNode):
                for field, field_value in item.value:
                    lines[(index, field.value)] = field_value.start_mark.line + 1
    return lines


def _located(error: str, lines: dict[tuple[int, str | None], int]) -> str:
    match = _ITEM.match(error)
    if not match:
        return error
    index = int(match.group(1))
    line = lines.get((index, match.group(2))) or lines.get((index, None))
    return f"line {line}: {error}" if line else error


def _parse(data: bytes, path: str) -> tuple[Any, str]:
    text = decode_text(data, path)
    if _is_json(data, path):
        return parse_json(data, path), text
    return load_yaml_text(text, path, EvidenceError), text


def _check(document: Any, path: str, lines: dict[tuple[int, str | None], int]) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise EvidenceError(
            f"not a gatekeeper metrics file (expected 'format: {FORMAT}')",
            path=path,
            hint="see docs/metrics-format.md for the format",
        )
    if document.get("version") != 1:
        raise EvidenceError(
            f"metrics format version {document.get('version')!r} is not supported (supported: 1)",
            path=path,
        )
    errors = [_located(error, lines) for error in validation_errors(document, NAME)]
    if errors:
        raise EvidenceError("invalid metrics file:\n  " + "\n  ".join(errors), path=path)


def read_metrics(data: bytes, path: str) -> list[dict[str, Any]]:
    return _read(data, path)[1]


def _read(data: bytes, path: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The file's document (empty for lm-evaluation-harness results) and its metrics."""
    document, text = _parse(data, path)
    if _is_lm_eval(document):
        return {}, _lm_eval_metrics(document, path)
    lines = _lines(text)
    _check(document, path, lines)
    defaults = {"dataset": document.get("dataset"), "method": document.get("method")}
    return document, [
        {
            **{field: metric.get(field) for field in _FIELDS},
            **{field: metric.get(field) or default for field, default in defaults.items()},
            "origin": NAME,
            "model": document.get("subject"),
            "source": path,
            "line": lines.get((index, None)),
        }
        for index, metric in enumerate(document["metrics"])
    ]


def bind(
    document: dict[str, Any], metrics: list[dict[str, Any]], source: str, context: CollectContext
) -> dict[str, Any]:
    """What a metrics file is bound to (its model file, dataset, method), or why it is not."""
    model = document.get("model") or {}
    reasons = []
    if not model:
        reasons.append("it names no model file (model: {path, sha256})")
    else:
        path = context.base_dir / model["path"]
        if not path.is_file():
            reasons.append(f"model.path {model['path']!r} is not a file")
        elif (digest := sha256_file(path)) != model["sha256"]:
            reasons.append(f"model.sha256 is not the sha256 of {model['path']} ({digest})")
    for field in ("dataset", "method"):
        lacking = sorted({m["name"] for m in metrics if not m[field]})
        if lacking:
            reasons.append(f"no {field} for {', '.join(lacking)}")
    return {
        "source": source,
        "model_path": model.get("path"),
        "model_sha256": model.get("sha256"),
        "dataset": document.get("dataset"),
        "method": document.get("method"),
        "bound": not reasons,
        "unbound_reasons": reasons,
    }


def _number(text: Any) -> float | None:
    if isinstance(text, bool):
        return None
    try:
        number = float(str(text).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _name(text: Any) -> str:
    """``MIA AUC`` -> ``mia_auc``."""
    return re.sub(r"[^a-z0-9]+", "_", str(text or "").lower()).strip("_")


def _foreign(raw_name: Any, raw_value: Any, slice_: str | None, where: str, path: str,
             origin: str, model: str | None) -> dict[str, Any] | None:
    """A metric from another format, checked like a metrics file entry; None when it is
    free text gatekeeper does not know (kept out), an error when a known measure is bad."""
    name, value = _name(raw_name), _number(raw_value)
    where = f"{where} ({name})"
    if name in known_names() and value is None:
        raise EvidenceError(f"{where}: value {raw_value!r} is not a number", path=path)
    if not name or not name[0].isalpha() or value is None:
        return None
    entry = {"name": name, "value": value, **({"slice": slice_} if slice_ else {})}
    errors = validation_errors({"format": FORMAT, "version": 1, "metrics": [entry]}, NAME)
    if errors:
        problems = "; ".join(re.sub(r"^metrics\[0\]\.", "", e) for e in errors)
        raise EvidenceError(f"{where}: {problems}", path=path)
    return {
        **{field: entry.get(field) for field in _FIELDS},
        "origin": origin, "model": model, "source": path, "line": None,
        "bound": False, "model_sha256": None,
    }


def _is_lm_eval(document: Any) -> bool:
    return (
        isinstance(document, dict) and "format" not in document
        and isinstance(document.get("results"), dict) and "versions" in document
    )


def _lm_eval_metrics(document: dict[str, Any], path: str) -> list[dict[str, Any]]:
    """lm-evaluation-harness results: ``{"results": {task: {"acc,none": 0.7, ...}}}``, one
    metric per task and measure (the task is the slice; a filter other than ``none`` joins
    it)."""
    found = []
    for task, measures in document["results"].items():
        if not isinstance(measures, dict):
            continue
        for key, value in measures.items():
            metric, _, filter_ = str(key).partition(",")
            slice_ = task if filter_ in ("", "none") else f"{task} ({filter_})"
            entry = _foreign(metric, value, slice_, f"results.{task}.{key}", path,
                             "lm_eval_harness", None)
            if entry:
                found.append(entry)
    return found


def from_model_cards(sbom: dict[str, Any] | None) -> dict[str, Any]:
    """Measures from the ML-BOM's model cards, checked like a metrics file.

    A model card carries free-form metrics as strings; those gatekeeper does not know are
    kept when numeric and skipped otherwise, while a known one must be a valid number.
    """
    found = []
    for model in (sbom or {}).get("models") or ():
        card = model.get("model_card") or {}
        for index, metric in enumerate(card.get("performance_metrics") or ()):
            where = f"model {model.get('name')!r} performanceMetrics[{index}]"
            slice_ = str(metric["slice"]) if metric.get("slice") else None
            entry = _foreign(metric.get("type"), metric.get("value"), slice_, where,
                             model["source"], "model_card", model.get("name"))
            if entry:
                found.append(entry)
    return {"evals": {"runs": [], "attacks": [], "metrics": found}} if found else {}


def collect(patterns: list[str], context: CollectContext) -> dict[str, Any]:
    found, sets = [], []
    for index, pattern in enumerate(patterns):
        for path in context.expand(pattern, f"evidence.{NAME}[{index}]"):
            source = context.display_path(path)
            document, metrics = _read(context.read(path, NAME), source)
            binding = bind(document, metrics, source, context)
            for metric in metrics:
                metric["bound"] = binding["bound"]
                metric["model_sha256"] = binding["model_sha256"] if binding["bound"] else None
            sets.append(binding)
            found.extend(metrics)
    return {"evals": {"runs": [], "attacks": [], "metrics": found, "metric_sets": sets}}
