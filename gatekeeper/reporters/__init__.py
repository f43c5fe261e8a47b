"""Stage 6, report: one module per output format, each a ``render(results) -> str``.

Reporters read only the results document, so any format can be rendered later from a saved
results file. Some take options of their own as keywords (``sarif``: ``base``, ``config_file``,
``category``; ``github``: ``base``, ``config_file``; ``junit``: ``base``;
``markdown``: ``limit``; ``vsa``: ``signing``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gatekeeper.reporters import (
    github,
    html,
    json_report,
    junit,
    markdown,
    oscal,
    sarif,
    text,
    vsa,
)

Reporter = Callable[..., str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "html": html.render,
    "oscal": oscal.render,
    "vsa": vsa.render,
    "github": github.render,
}


def render(name: str, results: dict[str, Any], *, color: bool = False, **options: Any) -> str:
    return REPORTERS[name](results, color=color, **options)
