"""JSON in and out: orjson on the hot path, errors that name the file and the position."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from gatekeeper.errors import EvidenceError, GatekeeperError

# What any file of user input may weigh when no other limit is given (gatekeeper.yaml,
# exceptions, attestations, a baseline or results document, an evidence document).
DEFAULT_READ_LIMIT = 256 * 1024 * 1024


def describe_size(size: int) -> str:
    """``1073741824`` -> ``1 GiB``; sizes that are not a whole unit keep their bytes."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )  # fmt: skip
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def open_regular(path: Path, error_type: type[GatekeeperError] = EvidenceError) -> int:
    """A descriptor of ``path``, which must be a regular file: checked before opening (a FIFO,
    socket or device is never opened, so it cannot block or stream forever) and again on the
    open descriptor (O_NONBLOCK), so a file swapped in between is refused too."""
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise error_type(
                f"is {_file_kind(before.st_mode)}, expected a regular file", path=path
            )
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error_type("file not found", path=path) from None
    except OSError as error:
        raise error_type(f"cannot read: {error.strerror}", path=path) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise error_type(f"is {_file_kind(mode)}, expected a regular file", path=path)
    return descriptor


def read_bytes(
    path: Path,
    error_type: type[GatekeeperError] = EvidenceError,
    limit: int = DEFAULT_READ_LIMIT,
    setting: str = "limits",
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``setting`` names the
    configuration key that raises the limit, for the message."""
    descriptor = open_regular(path, error_type)
    try:
        with os.fdopen(descriptor, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            data = b"" if size > limit else stream.read(limit + 1)
    except OSError as error:
        raise error_type(f"cannot read: {error.strerror}", path=path) from None
    if size > limit or len(data) > limit:
        weight = describe_size(max(size, len(data)))
        raise error_type(
            f"larger than the limit of {describe_size(limit)} ({weight})",
            path=path,
            hint=f"raise it in gatekeeper.yaml with {setting} if the file is genuine",
        )
    return data


def parse_json(
    data: bytes, path: Path | str, error_type: type[GatekeeperError] = EvidenceError
) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise error_type(f"malformed JSON: {error}", path=path) from None


def decode_text(
    data: bytes, path: Path | str, error_type: type[GatekeeperError] = EvidenceError
) -> str:
    """UTF-8 text (a byte-order mark is dropped); anything else is an error naming the file."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise error_type(f"not UTF-8 text: {error}", path=path) from None


def read_json(path: Path, error_type: type[GatekeeperError] = EvidenceError) -> Any:
    return parse_json(read_bytes(path, error_type), path, error_type)


def mapping_or_empty(value: Any) -> dict[str, Any]:
    """A JSON object a document may hold at this place, or an empty one (absent or mistyped)."""
    return value if isinstance(value, dict) else {}


def list_or_empty(value: Any) -> list[Any]:
    """A JSON array a document may hold at this place, or an empty one (absent or mistyped)."""
    return value if isinstance(value, list) else []


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path, error_type: type[GatekeeperError] = EvidenceError) -> str:
    """The digest of a regular file of any size, streamed (model weights weigh gigabytes)."""
    digest = hashlib.sha256()
    descriptor = open_regular(path, error_type)
    try:
        with os.fdopen(descriptor, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise error_type(f"cannot read: {error.strerror}", path=path) from None
    return digest.hexdigest()


JSON_ARRAY_PART = 10_000  # values serialised at a time


class JsonArray:
    """A long array of plain JSON values that only the engine reads (a release's findings and
    components), held as its own compact serialisation: at 50,000 findings 17 MB of bytes
    instead of some 100 MB of dicts, and the engine's input copies those bytes instead of
    serialising the values again. ``dumps`` writes it as the array it holds, byte for byte as
    it would write the values."""

    __slots__ = ("_count", "_parts")

    def __init__(self, values: Sequence[Any] = ()) -> None:
        self._parts: list[bytes] = []  # each: values serialised, comma-separated, no brackets
        self._count = 0
        self.extend(values)

    def extend(self, values: Sequence[Any] | JsonArray) -> None:
        """Append ``values``; a list is serialised now, so the caller can let it go."""
        if isinstance(values, JsonArray):
            self._parts += values._parts
            self._count += values._count
        else:  # a slice at a time: a part is copied once more to drop its brackets
            for start in range(0, len(values), JSON_ARRAY_PART):
                part = values[start:start + JSON_ARRAY_PART]
                self._parts.append(orjson.dumps(part, option=orjson.OPT_SORT_KEYS)[1:-1])
                self._count += len(part)

    def __len__(self) -> int:
        return self._count

    def values(self) -> list[Any]:
        """The values, parsed back."""
        values: list[Any] = orjson.loads(b"[" + b",".join(self._parts) + b"]")
        return values

    def fragments(self) -> list[orjson.Fragment]:
        """The array for orjson: its parts as fragments, written between one pair of brackets
        and separated by commas, so no part is copied before orjson writes it."""
        return [orjson.Fragment(part) for part in self._parts]


def _serialisable(value: Any, *, pretty: bool) -> list[Any]:
    """orjson's ``default``: a JsonArray as fragments, or (pretty) parsed back, to be indented
    like any array: orjson writes a fragment as it is."""
    if isinstance(value, JsonArray):
        return value.values() if pretty else value.fragments()
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def dumps(document: Any, *, pretty: bool = True) -> bytes:
    """Serialize deterministically: sorted keys, so equal documents are equal bytes."""
    option = orjson.OPT_SORT_KEYS | (orjson.OPT_INDENT_2 if pretty else 0)
    text = orjson.dumps(document, default=partial(_serialisable, pretty=pretty), option=option)
    return text + b"\n" if pretty else text
