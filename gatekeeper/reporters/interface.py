"""The reporters' one interface: a results document and the report options -> the report.

Every reporter is a ``render(results, options)`` function returning text; ``ReportOptions``
holds every option any format reads, and each reporter reads only its own, so the CLI passes the
same options to all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from gatekeeper.reporters.vsa import Signing

STEP_SUMMARY_LIMIT = 1024 * 1024  # bytes GitHub shows of a job summary


@dataclass(frozen=True)
class ReportOptions:
    """What a report needs besides the results document."""

    color: bool = False  # text: ANSI colour (the CLI asks when stdout is a terminal)
    width: int = 80  # text: columns
    verbosity: str = "normal"  # text: quiet (the verdict line), normal, verbose (passing too)
    # sarif, junit, github: the configuration's folder relative to the repository root, put
    # before the results' paths (which are relative to that folder)
    base: str = ""
    config_file: str = "gatekeeper.yaml"  # sarif, github: where missing evidence is shown
    category: str = ""  # sarif: the code-scanning category (automationDetails.id)
    limit: int = STEP_SUMMARY_LIMIT  # markdown: the most bytes the report may have
    signing: Signing | None = None  # vsa: the key and subjects to sign with (required)


DEFAULT_OPTIONS = ReportOptions()


class Reporter(Protocol):
    """An output format: the report of a results document, as text."""

    def __call__(self, results: dict[str, Any], options: ReportOptions = ..., /) -> str: ...
