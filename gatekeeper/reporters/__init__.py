"""Stage 6, report: one module per output format, each a ``Reporter``:
``render(results, options) -> str`` (see ``interface.py``).

Reporters read only the results document, so any format can be rendered later from a saved
results file. ``REPORTERS`` maps each format to its module, imported only when that format is
rendered (the CLI lists the formats without paying for every reporter's imports).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from gatekeeper.reporters.interface import DEFAULT_OPTIONS, Reporter, ReportOptions

REPORTERS: dict[str, str] = {  # format -> module of this package
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "junit": "junit",
    "markdown": "markdown",
    "html": "html",
    "oscal": "oscal",
    "vsa": "vsa",
    "github": "github",
}

if TYPE_CHECKING:  # mypy checks that every registered module's render is a Reporter
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

    _TYPED: tuple[Reporter, ...] = (
        text.render, json_report.render, sarif.render, junit.render, markdown.render,
        html.render, oscal.render, vsa.render, github.render,
    )


def reporter(name: str) -> Reporter:
    """The reporter of a format (a ``KeyError`` for a format that is not in ``REPORTERS``)."""
    found: Reporter = import_module(f"{__name__}.{REPORTERS[name]}").render
    return found


def render(name: str, results: dict[str, Any], options: ReportOptions = DEFAULT_OPTIONS) -> str:
    """The report of a results document in a format."""
    return reporter(name)(results, options)
