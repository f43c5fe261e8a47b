"""Saving answers without loss: the attestations file edited in place, or not at all.

The file is read and written with ruamel.yaml's round-trip mode, so its comments, key order,
quoting and the keys the app does not edit (``note``, ``evidence_files``) stay as they were;
only the answers that changed are touched, and a new answer goes where the catalog orders it.
The text to write is read back with the code `gatekeeper check` reads it with
(``gatekeeper.attestations``) before it replaces the file, atomically
(``gatekeeper.outputs.write_file``: a temporary file, fsync, ``os.replace``).

The page carries the sha256 of the file it was rendered from; a save whose file changed since
is a ``Conflict`` and writes nothing.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gatekeeper.attestations import Attestations, dump_attestations, parse_attestations
from gatekeeper.errors import ConfigError
from gatekeeper.jsonio import decode_text, read_bytes, sha256_bytes
from gatekeeper.outputs import write_file
from gatekeeper.yamlio import YAML_READ_LIMIT, load_yaml_text

# The sha256 of the page's file when it did not exist: a save then expects it still absent.
ABSENT = "absent"
_SAVING = threading.Lock()  # one save at a time: check the digest, then write


@dataclass(frozen=True)
class Snapshot:
    """The attestations file as read once: its text, digest, and parsed answers."""

    path: Path
    text: str
    sha256: str
    attestations: Attestations | None  # None: the file does not exist yet


@dataclass(frozen=True)
class Conflict:
    """The file changed since the page was loaded: nothing was written."""

    current: Snapshot


def read_snapshot(path: Path) -> Snapshot:
    if not path.exists():
        return Snapshot(path, "", ABSENT, None)
    data = read_bytes(path, ConfigError, limit=YAML_READ_LIMIT)
    text = decode_text(data, path, ConfigError)
    digest = sha256_bytes(data)
    raw = load_yaml_text(text, path)
    return Snapshot(path, text, digest, parse_attestations(raw, path, digest))


def _round_trip(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line of the file
    # Lists as the file writes them: PyYAML's `- ` under its key, or indented by two.
    nested = re.search(r"^( *)\S[^\n]*:\n( *)- ", text, re.MULTILINE)
    if nested and len(nested.group(2)) > len(nested.group(1)):
        yaml.indent(mapping=2, sequence=4, offset=2)
    else:
        yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def _scalar(key: str, value: Any) -> Any:
    """Dates quoted, so that no YAML reader takes them for timestamps."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(value) if key in ("date", "expires") else value


def _position(entries: Mapping[str, Any], question: str, order: Sequence[str]) -> int:
    """Where a new answer goes: after every answer the catalog puts before it."""
    rank = order.index(question)
    return sum(1 for key in entries if key in order and order.index(key) < rank)


def updated_text(
    text: str, changes: Mapping[str, Mapping[str, Any] | None], order: Sequence[str]
) -> str:
    """``text`` with each changed answer's keys set (an answer None: removed; a key None:
    removed from its answer)."""
    from ruamel.yaml.comments import CommentedMap

    source = text if text.strip() else dump_attestations({}, list(order))
    yaml = _round_trip(source)
    document = yaml.load(source)
    entries = document.get("attestations")
    if not isinstance(entries, CommentedMap):
        entries = document["attestations"] = CommentedMap()
    for question, fields in changes.items():
        if fields is None:
            entries.pop(question, None)
        elif question in entries:
            for key, value in fields.items():
                if value is None:
                    entries[question].pop(key, None)
                else:
                    entries[question][key] = _scalar(key, value)
        else:
            entry = CommentedMap(
                (key, _scalar(key, value)) for key, value in fields.items() if value is not None
            )
            entries.insert(_position(entries, question, order), question, entry)
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


def save(
    path: Path,
    expected_sha256: str,
    changes: Mapping[str, Mapping[str, Any] | None],
    order: Sequence[str],
) -> Snapshot | Conflict:
    """Write the changes unless the file differs from ``expected_sha256``; the new snapshot."""
    with _SAVING:
        current = read_snapshot(path)
        if current.sha256 != expected_sha256:
            return Conflict(current)
        text = updated_text(current.text, changes, order)
        data = text.encode("utf-8")
        digest = sha256_bytes(data)
        # What `gatekeeper check` will read: refuse to write a file it would refuse.
        attestations = parse_attestations(load_yaml_text(text, path), path, digest)
        write_file(path, data)
        return Snapshot(path, text, digest, attestations)
