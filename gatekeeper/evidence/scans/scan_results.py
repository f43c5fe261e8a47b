"""The shapes every scanner reader produces: scan runs and normalized findings.

A finding has the same fields whatever the input format (SARIF or a tool's native JSON), so the
SDL-*-clean controls read them all alike. Readers of native formats also fill what SARIF cannot
carry: the rules that passed, the files a scan looked at, and whether the run was inconclusive
(something it should have checked was skipped).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

import orjson

from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.jsonio import decode_text

# What every scanner reader returns: the scan runs it read, and their findings.
ScanReport = tuple[list[dict[str, Any]], list[dict[str, Any]]]

SEVERITIES = ("info", "low", "medium", "high", "critical")
# Tool severity words (lower case) -> our severity. "unknown" and friends are absent on purpose:
# a finding without a usable severity gets the configured unscored severity.
NATIVE_SEVERITIES = {
    "critical": "critical", "high": "high", "medium": "medium", "moderate": "medium",
    "low": "low", "negligible": "info", "info": "info", "informational": "info", "none": "info",
}


DRIVE = re.compile(r"^[A-Za-z]:/")


class _DuplicateKey(ValueError):
    pass


def _remember(seen: set[str], key: str) -> bool:
    seen.add(key)
    return False


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or _remember(seen, key))
        raise _DuplicateKey(twice)
    return document


_NOT_PROVEN = object()
DIGITS_AS_ZERO = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
LONG_DIGITS = b"0" * 19
BYTE_ORDER_MARK = b"\xef\xbb\xbf"
COUNTED_WHOLE = 10_000  # elements of a long array written back at a time
NESTING_WALKED = 3  # levels walked before a value is written back whole: runs/0/results


def _unique_keys_document(data: bytes) -> Any:
    """The value of ``data`` when it is strict UTF-8 JSON in which no object repeats a key;
    ``_NOT_PROVEN`` otherwise. Read by msgspec, which builds the objects straight from the
    text (orjson parses into a document of its own first: at 500 MB of SARIF, 1 GB more at the
    peak). Like any parser it keeps the last of two equal keys, but a dropped pair takes its
    colon with it: written back, the value has as many colons as the text exactly when nothing
    was dropped (strings keep theirs; only an escaped colon, ``\\u003a``, could add one back, so
    a text holding that escape is not proven here). A text with a run of 19 digits is not
    proven either: the standard library decides what an integer past 64 bits means."""
    import msgspec

    if b"\\u003" in data or LONG_DIGITS in data.translate(DIGITS_AS_ZERO):
        return _NOT_PROVEN
    start = len(BYTE_ORDER_MARK) if data.startswith(BYTE_ORDER_MARK) else 0
    try:
        document = msgspec.json.decode(memoryview(data)[start:])
    except (msgspec.DecodeError, RecursionError):  # NaN, 1e400, not UTF-8, a lone surrogate,
        return _NOT_PROVEN  # too deep, malformed: the slow path says which
    if _colons(document) != data.count(b":"):
        return _NOT_PROVEN
    return document


def _colons(value: Any, depth: int = 0) -> int:
    """The colons of ``value`` written back by orjson, written a part at a time: a log's
    results written back whole would weigh as much as the log again."""
    if isinstance(value, list) and len(value) > COUNTED_WHOLE:
        return sum(orjson.dumps(value[at:at + COUNTED_WHOLE]).count(b":")
                   for at in range(0, len(value), COUNTED_WHOLE))
    if depth < NESTING_WALKED and isinstance(value, dict):
        keys: int = sum(1 + key.count(":") for key in value)
        return keys + sum(_colons(item, depth + 1) for item in value.values())
    if depth < NESTING_WALKED and isinstance(value, list):
        return sum(_colons(item, depth + 1) for item in value)
    return orjson.dumps(value).count(b":")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_report(data: bytes, source: str) -> Any:
    """A scanner report (SARIF or native JSON), strictly: an object with a key twice is
    refused (parsers disagree on which value wins, so one scan could read as two), and so are
    NaN and Infinity. msgspec reads a report that is strict JSON with no key twice (the common
    case, several times faster); any other goes through the standard library's parser with a
    key hook, which names the duplicate key or what is malformed."""
    document = _unique_keys_document(data)
    if document is not _NOT_PROVEN:
        return document
    text = decode_text(data, source)
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except _DuplicateKey as duplicate:
        raise EvidenceError(
            f"the key {duplicate.args[0]!r} appears twice in one JSON object; a report with "
            "duplicate keys is refused (readers disagree on which value counts)",
            path=source,
        ) from None
    except (ValueError, RecursionError) as error:
        raise EvidenceError(f"malformed JSON: {error}", path=source) from None


def cvss_severity(score: float) -> str:
    """The CVSS v3 qualitative band, as GitHub code scanning applies to security-severity."""
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    if score > 0.0:
        return "low"
    return "info"


@dataclass(frozen=True)
class ReadOptions:
    """What the configuration tells a reader: the severity of unscored findings, the
    categories a run covered when its report cannot say (a clean trivy secret scan), where the
    scanner ran (``root``, relative to the repository, i.e. gatekeeper.yaml's folder), that
    folder's absolute path (``base``: absolute paths inside it are made relative), and whether
    the tool's own suppressions are trusted (``trust_suppressions``)."""

    unscored_severity: str = "high"
    categories: tuple[str, ...] = ()
    root: str = ""
    base: str = ""
    trust_suppressions: bool = False


def entry_options(
    entry: Any, context: Any, setting: str, unscored: str = "high"
) -> ReadOptions:
    """The ReadOptions of one ``evidence.sarif`` / ``evidence.scanners`` entry."""
    settings = entry if isinstance(entry, dict) else {}
    root = str(settings.get("root", ""))
    folder = (context.base_dir / root).resolve()
    if PurePosixPath(root).is_absolute() or DRIVE.match(root) or not folder.is_relative_to(
            context.base_dir.resolve()):
        raise ConfigError(
            f"{setting}.root: {root!r} must be a folder inside the repository, relative to "
            "gatekeeper.yaml's folder"
        )
    if not folder.is_dir():
        raise ConfigError(f"{setting}.root: {root!r} is not a folder", path=context.base_dir)
    return ReadOptions(
        unscored_severity=unscored,
        categories=tuple(settings.get("categories", ())),
        root=Path(os.path.relpath(folder, context.base_dir.resolve())).as_posix(),
        base=context.base_dir.resolve().as_posix(),
        trust_suppressions=settings.get("trust_suppressions") is True,
    )


def repository_path(
    text: Any, options: ReadOptions, source: str, pointer: str = "", *, uri: bool = False
) -> str | None:
    """A path a scanner printed, as the repository-relative POSIX path of that file.

    Relative paths are relative to where the scanner ran (``root``); one whose ``..`` climbs
    out of the repository is an EvidenceError. An absolute path (or a ``file:`` URI) inside the
    repository is made relative; one outside it (a scan made on another machine) is kept as
    written: the finding still counts, but it names no repository file. With ``uri``, the text
    is a SARIF URI reference: percent-escapes are decoded, and a URI of another scheme
    (``https:``) is not a file and is kept as written.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    written = text.strip()
    path = written.replace("\\", "/")
    if uri:
        parts = urlsplit(path)
        if parts.scheme == "file":
            path = parts.path
        elif len(parts.scheme) > 1:
            return written
        path = unquote(path)
    if path.startswith("/") or DRIVE.match(path):
        return _inside(path, options.base) or posixpath.normpath(path)
    joined = posixpath.normpath(posixpath.join(options.root or ".", path))
    if joined == ".." or joined.startswith("../"):
        where = f"{pointer}: " if pointer else ""
        raise EvidenceError(
            f"{where}{written!r} (from root {options.root or '.'!r}) points outside the "
            "repository",
            path=source,
        )
    return None if joined == "." else joined


def _inside(path: str, base: str) -> str | None:
    if not base or not path.startswith("/"):
        return None
    relative = posixpath.relpath(posixpath.normpath(path), base)
    return None if relative == ".." or relative.startswith("../") else relative


def as_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class Severity(NamedTuple):
    """A finding's severity, its CVSS score when it has one, and whether gatekeeper assumed it
    (``thresholds.scanners.unscored_severity``) because the report gives none."""

    level: str
    score: float | None = None
    assumed: bool = False


def severity(score: Any, native: Any, options: ReadOptions) -> Severity:
    """CVSS base score when the report has one, else the tool's own word, else unscored."""
    number = as_float(score)
    if number is not None and 0.0 <= number <= 10.0:
        return Severity(cvss_severity(number), number)
    word = NATIVE_SEVERITIES.get(str(native or "").strip().lower())
    if word:
        return Severity(word)
    return Severity(options.unscored_severity, assumed=True)


def finding(
    *,
    tool: str,
    category: str,
    rule_id: str,
    severity_score: Severity,
    message: str,
    source: str,
    file: str | None = None,
    line: int | None = None,
    key: str | None = None,
    suppressed: bool = False,
    rule_name: str | None = None,
    options: ReadOptions | None = None,
) -> dict[str, Any]:
    level, score, assumed = severity_score
    line = line_of(line)
    if assumed:
        message += f" (severity assumed {level}: {tool} gives none)"
    return {
        "tool": tool,
        "category": category,
        "rule_id": rule_id,
        "rule_name": rule_name,
        "severity": level,
        "security_severity": score,
        "message": message,
        "file": file,
        "line": line,
        "suppressed": suppressed,
        "suppression_trusted": suppressed and options is not None and options.trust_suppressions,
        "key": key or finding_key(rule_id, file, line),
        "source": source,
    }


def finding_key(rule_id: str, file: str | None, line: int | None) -> str:
    """What exceptions target: rule@file:line with the repository-relative file, whatever the
    format (SARIF or native JSON) the finding came from."""
    if not file:
        return rule_id
    return f"{rule_id}@{file}:{line}" if line else f"{rule_id}@{file}"


def package_key(vulnerability: str, name: Any, version: Any) -> str:
    """The key of a vulnerability in a package: id@name@version."""
    return f"{vulnerability}@{name}@{version}"


def scan_run(
    *,
    tool: str,
    version: Any,
    source: str,
    format: str,
    categories: set[str],
    findings: list[dict[str, Any]],
    passed_rules: set[str] | None = None,
    scanned_files: set[str] | None = None,
    skipped: list[dict[str, str]] | None = None,
    inconclusive: bool = False,
) -> dict[str, Any]:
    run: dict[str, Any] = {
        "tool": tool,
        "version": str(version) if version not in (None, "") else None,
        "source": source,
        "format": format,
        "categories": sorted(categories),
        "finding_count": len(findings),
        "inconclusive": inconclusive or bool(skipped),
        "skipped": skipped or [],
    }
    if passed_rules is not None:
        run["passed_rules"] = sorted(passed_rules)
    if scanned_files is not None:
        run["scanned_files"] = sorted(scanned_files)
    return run


def line_of(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
