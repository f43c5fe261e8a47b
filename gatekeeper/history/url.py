"""Where the history lives: a URL from ``--history``, ``GATEKEEPER_HISTORY_URL`` or the
``history:`` key of gatekeeper.yaml, in that order.

A plain path (``.gatekeeper/history.db``) is a SQLite file, relative to the configuration's
folder when it comes from gatekeeper.yaml. ``postgresql://host/db`` names a PostgreSQL server,
reached with psycopg 3. Credentials come from the environment only (``PGPASSWORD``, a
``~/.pgpass`` file, or a URL in ``GATEKEEPER_HISTORY_URL``): a password written in
gatekeeper.yaml is refused, and every message shows a URL with its password masked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gatekeeper.errors import ConfigError

ENV_VAR = "GATEKEEPER_HISTORY_URL"
SCHEMES = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


@dataclass(frozen=True)
class HistorySettings:
    """``history:`` in gatekeeper.yaml: the store's URL, and whether a failed push fails the run."""

    url: str | None = None
    required: bool = False


def settings_from_config(raw: Any, path: Path) -> HistorySettings:
    """``history: URL`` or ``history: {url: URL, required: bool}`` (schema-checked already)."""
    if not isinstance(raw, (str, dict)):
        return HistorySettings()  # absent; any other type the schema refuses
    url, required = (raw, False) if isinstance(raw, str) else (raw.get("url"), raw.get("required"))
    if isinstance(url, str):
        refuse_password(url, path)
        if "://" not in url:
            url = str((path.parent / url).resolve())
    return HistorySettings(url=url if isinstance(url, str) else None, required=required is True)


def refuse_password(url: str, path: Path) -> None:
    """A password in the file would be committed with it: refused (exit 2), never echoed."""
    if "://" in url and _password(url):
        raise ConfigError(
            "history: the URL holds a password; credentials never go in this file",
            path=path,
            hint="drop the password from the URL and set PGPASSWORD (or GATEKEEPER_HISTORY_URL) "
            "in the pipeline's secret environment",
        )


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def resolve(flag: str | None, settings: HistorySettings | None) -> str | None:
    """The URL to use: ``--history``, else the environment, else the configuration, else none."""
    return flag or os.environ.get(ENV_VAR) or (settings.url if settings else None)


def sqlalchemy_url(url: str) -> str:
    """A SQLAlchemy URL for ``url``: a path becomes ``sqlite:///path``; postgresql uses psycopg."""
    if "://" not in url:
        return f"sqlite:///{Path(url).resolve()}"
    scheme, rest = url.split("://", 1)
    driver = SCHEMES.get(scheme.split("+", 1)[0])
    if driver is None:
        raise ConfigError(
            f"history: unsupported URL scheme {scheme!r} in {scrub(url)}",
            hint="use a file path, sqlite:///path or postgresql://host/database",
        )
    return f"{driver}://{rest}"


def scrub(text: str, url: str | None = None) -> str:
    """``text`` with the password of ``url`` (and of any URL it shows) replaced by ``***``."""
    secrets = {p for p in (_password(url) if url else None, *_passwords_in(text)) if p}
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _passwords_in(text: str) -> list[str | None]:
    return [_password(word) for word in text.split() if "://" in word]
