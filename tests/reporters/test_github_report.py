"""GitHub workflow commands: an annotation per finding, escaped as the runner's toolkit does."""

from __future__ import annotations

import copy
import re

from gatekeeper.reporters import github
from gatekeeper.reporters.interface import ReportOptions

pytest_plugins = ("reporter_fixtures",)  # full_results

COMMAND = re.compile(r"^::(error|warning|notice) (file=[^,:]+(?:,line=\d+)?,title=[^:]+)::(.*)$")


def lines_of(results) -> list[str]:
    return github.render(results).splitlines()


def test_what_blocks_is_an_error_and_only_that(full_results):
    lines = lines_of(full_results)
    errors = {re.search(r"title=([\w-]+)", line).group(1)
              for line in lines if line.startswith("::error ")}
    assert errors == {r.split(" ")[0] for r in full_results["verdict"]["reasons"]}
    assert lines[-1] == "gatekeeper: BLOCKED forum-summarizer 0.3.0 (exit 1)"
    assert all(COMMAND.match(line) for line in lines[:-1])


def test_levels_and_locations(full_results):
    lines = lines_of(full_results)
    by_title = {}
    for line in lines[:-1]:
        by_title.setdefault(re.search(r"title=([\w-]+)", line).group(1), []).append(line)
    # a let-through failure and an advisory failure warn; a waived control is a notice
    assert by_title["SDL-secrets-clean"][0].startswith("::warning ")
    assert by_title["SDL-dependencies-clean"][0].startswith("::warning ")
    assert by_title["SDL-iac-scan-clean"][0].startswith("::notice ")
    # missing evidence is placed at the configuration file, with the base before it
    options = ReportOptions(base="ml", config_file="gate.yaml")
    based = github.render(full_results, options).splitlines()
    signed = next(line for line in based if "title=MOD-model-signed" in line)
    assert signed.startswith("::error file=ml/gate.yaml,title=MOD-model-signed (no evidence)::")
    assert any(",line=" in line for line in lines)


def test_evidence_text_cannot_start_a_command_of_its_own(full_results):
    results = copy.deepcopy(full_results)
    control = next(c for c in results["controls"] if c["id"] == "SDL-model-files-scanned")
    control["messages"][0].update(
        message="bad\n::error file=x.py::forged%0A\r::stop-commands::t", file="a,b:c.py")
    lines = lines_of(results)
    assert len(lines) == len(lines_of(full_results))
    line = next(x for x in lines if "title=SDL-model-files-scanned" in x)
    assert "file=a%2Cb%3Ac.py," in line
    assert line.endswith("bad%0A::error file=x.py::forged%250A%0D::stop-commands::t")
    assert not any(x.startswith("::error file=x.py") for x in lines)
