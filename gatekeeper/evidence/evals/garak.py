"""garak report JSONL -> one run and an attack result per probe and detector.

A garak report is one JSON record a line, told apart by ``entry_type``. The ``eval`` records
hold, per probe and detector, how many outputs the detector passed and how many it flagged
(``fails``: the attack worked); ``nones`` were not evaluated. Reports of garak 0.13 to 0.17 all
carry them. A report that holds only a ``digest`` (garak's ``extracted_digest.json``, one JSON
object over many lines) is read from the digest's per-detector counts instead.
"""

from __future__ import annotations

import io
from typing import Any

import orjson

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.evals import attacks
from gatekeeper.jsonio import mapping_or_empty

NAME = "garak"
ENTRY_TYPES = frozenset(
    {
        "start_run setup", "init", "attempt", "eval", "probe_summary", "completion", "digest",
        "payload_init", "plugin_cache", "tree_data", "config",
    }
)


# Records the normalization reads; the others (attempts above all) are checked, then dropped.
KEPT = frozenset({"start_run setup", "init", "eval", "completion", "digest"})


def parse_records(data: bytes, path: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, record) for the records gatekeeper reads; every line must be a record.
    The lines are read one at a time (a report of hundreds of MB split whole would be held
    twice); JSONL ends its lines with \\n, and a \\r before it is JSON whitespace."""
    records = []
    seen = 0
    for number, line in enumerate(io.BytesIO(data), start=1):
        if not line.strip():
            continue
        seen += 1
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            if number == 1:
                digest = _whole_digest(data)
                if digest is not None:
                    return [(1, digest)]
            raise EvidenceError(
                f"line {number}: malformed JSON ({error}); is the report truncated?", path=path
            ) from None
        if _checked(record, number, path)["entry_type"] in KEPT:
            records.append((number, record))
    if not seen:
        raise EvidenceError("empty garak report", path=path)
    return records


def _whole_digest(data: bytes) -> dict[str, Any] | None:
    """A digest written as one indented JSON object (garak's extracted_digest.json)."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    if isinstance(document, dict) and document.get("entry_type") == "digest":
        return document
    return None


def _checked(record: Any, number: int, path: str) -> dict[str, Any]:
    if not isinstance(record, dict) or "entry_type" not in record:
        raise EvidenceError(
            f"line {number}: not a garak report record (no entry_type)", path=path
        )
    if not isinstance(record["entry_type"], str) or record["entry_type"] not in ENTRY_TYPES:
        known = ", ".join(sorted(ENTRY_TYPES))
        raise EvidenceError(
            f"line {number}: unknown garak entry_type {record['entry_type']!r} (known: {known})",
            path=path,
            hint="a newer garak may write records this gatekeeper does not know; report it",
        )
    return record


def _count(record: dict[str, Any], key: str, number: int, path: str) -> int:
    value = record.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise EvidenceError(
            f"line {number}: {key!r} must be a count (a whole number >= 0), got {value!r}",
            path=path,
        )
    return value


def _attack(
    probe: str, detector: str, counts: dict[str, int], source: str, line: int
) -> dict[str, Any]:
    class_id = attacks.class_of(NAME, probe)
    return {
        "tool": NAME,
        "source": source,
        "line": line,
        "test": probe,
        "variant": detector,
        "classes": [attacks.describe(class_id)] if class_id else [],
        "evaluated": counts["evaluated"],
        "succeeded": counts["succeeded"],
        "errors": counts["errors"],
    }


def _eval_attack(record: dict[str, Any], number: int, path: str) -> dict[str, Any]:
    for key in ("probe", "detector"):
        if not isinstance(record.get(key), str):
            raise EvidenceError(f"line {number}: eval record without a {key!r} name", path=path)
    total_key = "total_evaluated" if "total_evaluated" in record else "total"
    evaluated = _count(record, total_key, number, path)
    passed = _count(record, "passed", number, path)
    fails = _count(record, "fails", number, path) if "fails" in record else evaluated - passed
    if passed + fails != evaluated:
        raise EvidenceError(
            f"line {number}: passed ({passed}) + fails ({fails}) != {total_key} ({evaluated})",
            path=path,
        )
    nones = _count(record, "nones", number, path) if "nones" in record else 0
    counts = {"evaluated": evaluated, "succeeded": fails, "errors": nones}
    return _attack(record["probe"], record["detector"], counts, path, number)


def _digest_attacks(digest: dict[str, Any], number: int, path: str) -> list[dict[str, Any]]:
    groups = digest.get("eval")
    if not isinstance(groups, dict):
        raise EvidenceError(f"line {number}: digest without an 'eval' mapping", path=path)
    found = []
    for name, group in groups.items():
        if not isinstance(group, dict):
            raise EvidenceError(f"line {number}: digest eval.{name} is not a mapping", path=path)
        for probe, detectors in group.items():
            if probe == "_summary" or not isinstance(detectors, dict):
                continue
            for detector, scores in detectors.items():
                if detector == "_summary" or not isinstance(scores, dict):
                    continue
                evaluated = _count(scores, "total_evaluated", number, path)
                passed = _count(scores, "passed", number, path)
                if passed > evaluated:
                    raise EvidenceError(
                        f"line {number}: {probe} / {detector}: passed > total_evaluated", path=path
                    )
                counts = {"evaluated": evaluated, "succeeded": evaluated - passed, "errors": 0}
                found.append(_attack(probe, detector, counts, path, number))
    return found


def _first(records: list[tuple[int, dict[str, Any]]], entry_type: str) -> dict[str, Any]:
    return next((r for _, r in records if r["entry_type"] == entry_type), {})



def _run(records: list[tuple[int, dict[str, Any]]], path: str, attack_count: int) -> dict[str, Any]:
    digest_meta = mapping_or_empty(_first(records, "digest").get("meta"))
    setup = _first(records, "start_run setup") or mapping_or_empty(digest_meta.get("setup"))
    init = _first(records, "init")
    completion = _first(records, "completion")
    target_type = setup.get("plugins.target_type") or setup.get("plugins.model_type")
    target_name = setup.get("plugins.target_name") or setup.get("plugins.model_name")
    target = " ".join(str(part) for part in (target_type, target_name) if part)
    return {
        "tool": NAME,
        "version": init.get("garak_version") or digest_meta.get("garak_version")
        or setup.get("_config.version"),
        "source": path,
        "run_id": init.get("run") or digest_meta.get("run_uuid"),
        "target": target or None,
        "started": init.get("start_time") or digest_meta.get("start_time"),
        "finished": completion.get("end_time"),
        "complete": bool(completion) or bool(digest_meta),
        "result_count": attack_count,
    }


def read_report(data: bytes, path: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    records = parse_records(data, path)
    found = [
        _eval_attack(record, number, path)
        for number, record in records
        if record["entry_type"] == "eval"
    ]
    if not found:
        for number, record in records:
            if record["entry_type"] == "digest":
                found = _digest_attacks(record, number, path)
    return _run(records, path, len(found)), found


def collect(patterns: list[str], context: CollectContext) -> dict[str, Any]:
    runs, found = [], []
    for index, pattern in enumerate(patterns):
        for path in context.expand(pattern, f"evidence.{NAME}[{index}]"):
            run, run_attacks = read_report(context.read(path, NAME), context.display_path(path))
            runs.append(run)
            found.extend(run_attacks)
    return {"evals": {"runs": runs, "attacks": found, "metrics": []}}
