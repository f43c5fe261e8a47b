"""Every file gatekeeper writes goes through here: all or nothing, never half a file.

Each output is written to a temporary file in its target's folder, flushed and fsynced, and only
when every output of the run is staged are they renamed into place (``os.replace`` is atomic on
one file system). A full disk, a read-only folder, an error in a later output, SIGTERM or
SIGKILL leave each target as it was (or absent), never partial. The first output given is
renamed last: callers put the results document first, so it never claims a verdict whose other
outputs were not written.

A target that exists and is not a regular file (``/dev/null``, ``/dev/stdout``, a FIFO) is
written in place once every regular output is staged: renaming over it would replace the
device itself (as root, ``--results /dev/null`` turned /dev/null into a regular file). A
symlink to a regular file is followed, so the file it names is replaced, not the link.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
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


def _special(path: Path) -> int | None:
    """The mode of an existing target that is neither a regular file nor a folder, else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else mode


def _write_in_place(path: Path, mode: int, data: bytes) -> None:
    """Write to a device or FIFO as it is; a FIFO nobody reads is an error, never a hang."""
    flags = os.O_WRONLY | (os.O_NONBLOCK if stat.S_ISFIFO(mode) else 0)
    descriptor = os.open(path, flags)
    try:
        if stat.S_ISFIFO(mode):
            fcntl.fcntl(descriptor, fcntl.F_SETFL, os.O_WRONLY)  # blocking writes from here
        with os.fdopen(descriptor, "wb", closefd=False) as stream:
            stream.write(data)
    finally:
        os.close(descriptor)


def write_files(outputs: Sequence[tuple[Path, bytes]]) -> None:
    """Write every ``(path, data)``, or none of them: a ConfigError names the one that failed."""
    staged: list[tuple[Path | None, Path, bytes, int | None]] = []
    try:
        for path, data in outputs:
            mode = _special(path)
            target = path.resolve() if mode is None and path.is_symlink() else path
            try:
                temporary = _stage(target, data) if mode is None else None
            except OSError as error:
                raise ConfigError(f"cannot write: {error.strerror}", path=path) from None
            staged.append((temporary, target, data, mode))
        for temporary, target, data, mode in reversed(staged):
            try:
                if temporary is None:
                    _write_in_place(target, mode or 0, data)
                else:
                    os.replace(temporary, target)
            except OSError as error:
                reason = error.strerror
                if error.errno == errno.ENXIO:
                    reason = "no process reads this FIFO"
                raise ConfigError(f"cannot write: {reason}", path=target) from None
    finally:
        for temporary, *_ in staged:
            if temporary is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)


def write_file(path: Path, data: bytes) -> None:
    write_files([(path, data)])
