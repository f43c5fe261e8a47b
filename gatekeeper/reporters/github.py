"""GitHub Actions workflow commands: one annotation per finding of a control that did not pass.

``::error file=ml/src/train.py,line=35,title=SDL-sast-clean::...`` lines, which the runner turns
into annotations on the run and on the pull request's diff (as conftest's ``-o github`` does).
What blocks the release is an ``error``; an advisory or let-through failure, missing evidence
that does not block, and a warning are a ``warning``; a waived finding is a ``notice``. Each
annotation is placed like its SARIF result (``base`` before the path; missing evidence at the
configuration file). A last plain line gives the verdict.

Evidence text is escaped as the runner's toolkit escapes it (``%``, CR, LF; and ``:`` ``,`` in
properties), so a finding cannot end its line and start a workflow command of its own.
"""

from __future__ import annotations

import posixpath
from typing import Any

from gatekeeper.reporters.interface import DEFAULT_OPTIONS, ReportOptions
from gatekeeper.reporters.view import (
    VERDICT_WORDS,
    anchor_file,
    entries,
    partial_run,
    subject_title,
)
from gatekeeper.verdict import blocks

_DATA = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY = {**_DATA, ":": "%3A", ",": "%2C"}


def _escape(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(char, char) for char in text)


def _command(control: dict[str, Any], results: dict[str, Any]) -> str:
    if control["outcome"] == "waived":
        return "notice"
    return "error" if blocks(control, results) else "warning"


def annotation(control: dict[str, Any], message: dict[str, Any], results: dict[str, Any],
               base: str, config_file: str) -> str:
    properties = {"file": posixpath.join(base, anchor_file(control, message, config_file))}
    if message.get("line"):
        properties["line"] = str(message["line"])
    properties["title"] = f"{control['id']} ({control['outcome'].replace('_', ' ')})"
    said = ",".join(f"{key}={_escape(value, _PROPERTY)}" for key, value in properties.items())
    text = f"{control['title']}: {message['message']}"
    return f"::{_command(control, results)} {said}::{_escape(text, _DATA)}"


def render(results: dict[str, Any], options: ReportOptions = DEFAULT_OPTIONS) -> str:
    lines = [
        annotation(control, message, results, options.base, options.config_file)
        for control in results["controls"] if control["outcome"] != "pass"
        for message in entries(control)
    ]
    verdict = results["verdict"]
    words = _escape(f"gatekeeper: {VERDICT_WORDS[verdict['outcome']]} "
                    f"{subject_title(results)} (exit {verdict['exit_code']})", _DATA)
    if partial_run(results):
        note = _escape(partial_run(results), _DATA)
        lines.append(f"::warning title=gatekeeper partial run::{note}")
    return "\n".join([*lines, words]) + "\n"
