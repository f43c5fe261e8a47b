"""The reporters' registry and interface: one uniform ``render(results, options)`` per format,
the CLI's formats are the registry's, and listing them imports no reporter."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from gatekeeper.cli import FORMATS
from gatekeeper.reporters import REPORTERS, render, reporter
from gatekeeper.reporters.interface import DEFAULT_OPTIONS, ReportOptions

pytest_plugins = ("reporter_fixtures",)  # full_results

PACKAGE = Path(__file__).parents[2] / "gatekeeper" / "reporters"
NOT_REPORTERS = {"__init__", "interface", "view"}


def test_the_cli_formats_are_the_registry_in_its_order():
    assert tuple(REPORTERS) == FORMATS


def test_every_reporter_module_is_registered_once():
    modules = {path.stem for path in PACKAGE.glob("*.py")} - NOT_REPORTERS
    assert sorted(REPORTERS.values()) == sorted(modules)


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_every_reporter_takes_the_results_and_the_one_options_type(name):
    parameters = list(inspect.signature(reporter(name)).parameters.values())
    assert [p.name for p in parameters] == ["results", "options"]
    assert parameters[1].default is DEFAULT_OPTIONS


@pytest.mark.parametrize("name", ["text", "json", "sarif", "junit", "markdown", "github"])
def test_render_by_name_is_the_reporter_itself(name, full_results):
    options = ReportOptions(base="ml", limit=20_000)
    assert render(name, full_results, options) == reporter(name)(full_results, options)


def test_only_the_text_report_is_coloured(full_results):
    coloured = ReportOptions(color=True)
    assert "\x1b[" in render("text", full_results, coloured)
    assert "\x1b[" not in render("text", full_results)
    for name in ("json", "sarif", "junit", "markdown", "github"):
        assert render(name, full_results, coloured) == render(name, full_results)


def test_an_unknown_format_is_a_key_error():
    with pytest.raises(KeyError):
        reporter("pdf")


def test_the_cli_lists_the_formats_without_importing_a_reporter():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, gatekeeper.cli; print(sorted(m for m in sys.modules "
         "if m.startswith('gatekeeper.reporters.')))"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert loaded.strip() == "['gatekeeper.reporters.interface']"


def test_the_severity_order_names_every_severity_a_control_may_have():
    from gatekeeper.reporters.view import SEVERITY_ORDER
    from gatekeeper.schemas import schema as load_schema

    schema = load_schema("control-metadata")
    enum = schema["properties"]["custom"]["properties"]["severity"]["enum"]
    assert sorted(SEVERITY_ORDER) == sorted(enum)
    assert SEVERITY_ORDER[0] == "critical" and SEVERITY_ORDER[-1] == "info"
