"""Every file gatekeeper writes goes through here: all or nothing, never half a file.

Each output is written to a temporary file in its target's folder, flushed and fsynced, and only
when every output of the run is staged are they renamed into place (``os.replace`` is atomic on
one file system). A full disk, a read-only folder, an error in a later output, SIGTERM or
SIGKILL leave each target as it was (or absent), never partial. The first output given is
renamed last: callers put the results document first, so it never claims a verdict whose other
outputs were not written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import ConfigError

_TEMPORARY_SUFFIX = ".gatekeeper-tmp"


def _stage(path: Path, data: bytes) -> Path:
    """``data`` in a fsynced temporary file beside ``path``; on failure nothing is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=_TEMPORARY_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(name, 0o644 & ~_umask())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
    return Path(name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_files(outputs: Sequence[tuple[Path, bytes]]) -> None:
    """Write every ``(path, data)``, or none of them: a ConfigError names the one that failed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in outputs:
            try:
                staged.append((_stage(path, data), path))
            except OSError as error:
                raise ConfigError(f"cannot write: {error.strerror}", path=path) from None
        for temporary, path in reversed(staged):
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise ConfigError(f"cannot write: {error.strerror}", path=path) from None
    finally:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def write_file(path: Path, data: bytes) -> None:
    write_files([(path, data)])
