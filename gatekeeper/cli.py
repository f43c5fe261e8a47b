"""The ``gatekeeper`` command: parse, call the library, print, exit. Nothing else lives here.

Exit codes: 0 pass, 1 gate failed, 2 usage or configuration error, 3 evidence or engine error.
Errors become exits in exactly one place, ``main``; no traceback reaches the user.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from gatekeeper import __version__
from gatekeeper.errors import EXIT_CONFIG_ERROR, EXIT_EVIDENCE_ERROR, ConfigError, GatekeeperError

FORMATS = ("text", "json")


def parse_time(value: str | None) -> datetime:
    """``--now``: an RFC 3339 time with a zone (``2026-01-31T12:00:00Z``); default: now."""
    if value is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--now {value!r}: not an RFC 3339 time (e.g. 2026-01-31T12:00:00Z)")
    if moment.tzinfo is None:
        raise ConfigError(f"--now {value!r}: give a time zone (Z or +hh:mm)")
    return moment


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write: {error.strerror}", path=path) from None


def _destinations(formats: tuple[str, ...], outputs: tuple[Path, ...]) -> tuple[str, ...]:
    """Check the pairing before any work: the n-th ``--output`` takes the n-th ``--format``."""
    formats = formats or ("text",)
    if len(outputs) > len(formats):
        raise click.UsageError("more --output than --format options: pair each output with a format")
    if len(formats) - len(outputs) > 1:
        raise click.UsageError("only one format can go to stdout: give --output for the others")
    return formats


def _emit(results: dict[str, Any], formats: tuple[str, ...], outputs: tuple[Path, ...]) -> None:
    """Render each format to its output; a format without an output goes to stdout."""
    from gatekeeper.reporters import render

    to_stdout = formats[len(outputs):]
    for name, path in zip(formats, outputs):
        _write(path, render(name, results))
    for name in to_stdout:
        click.echo(render(name, results, color=_color() and name == "text"), nl=False)


def _load_config(path: Path) -> Any:
    from gatekeeper.config import load_config

    return load_config(path)


def _options(now: str | None, policies: tuple[Path, ...], opa_url: str | None = None) -> Any:
    from gatekeeper.pipeline import RunOptions

    return RunOptions(
        now=parse_time(now), extra_policy_dirs=tuple(p.resolve() for p in policies), opa_url=opa_url
    )


config_option = click.option(
    "--config", "-c", "config_path", type=click.Path(path_type=Path), default="gatekeeper.yaml",
    show_default=True, help="The gate's configuration file.",
)
policy_option = click.option(
    "--policy", "-p", "policies", multiple=True, type=click.Path(path_type=Path, file_okay=False),
    help="An extra folder of Rego policies (repeatable).",
)
now_option = click.option(
    "--now", help="Evaluate as of this RFC 3339 time (default: the current time).",
)
format_option = click.option(
    "--format", "-f", "formats", multiple=True, type=click.Choice(FORMATS),
    help="Output format (repeatable; default: text).",
)
output_option = click.option(
    "--output", "-o", "outputs", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
    help="Write the matching --format here instead of stdout (repeatable).",
)
opa_url_option = click.option(
    "--opa-url", metavar="URL",
    help="Decide on this OPA server (overrides engine kind and url in gatekeeper.yaml).",
)
results_option = click.option(
    "--results", "results_path", type=click.Path(path_type=Path, dir_okay=False),
    default="gatekeeper-results.json", show_default=True,
    help="Where to write the JSON results document.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gatekeeper")
def cli() -> None:
    """Policy gate for AI/ML releases: verify evidence, decide, score maturity."""


def _finish(results: dict[str, Any], results_path: Path, formats, outputs) -> int:
    from gatekeeper.jsonio import dumps

    _write(results_path, dumps(results).decode("utf-8"))
    _emit(results, formats, outputs)
    return results["verdict"]["exit_code"]


@cli.command()
@config_option
@policy_option
@now_option
@format_option
@output_option
@results_option
@opa_url_option
def check(config_path, policies, now, formats, outputs, results_path, opa_url) -> int:
    """Collect the release's evidence, evaluate every control, and gate."""
    from gatekeeper.pipeline import check as run_check

    formats = _destinations(formats, outputs)
    config = _load_config(config_path)
    results = run_check(config, _options(now, policies, opa_url))
    return _finish(results, results_path, formats, outputs)


@cli.command()
@config_option
@now_option
@click.option(
    "--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False), required=True,
    help="Where to write the evidence document.",
)
def collect(config_path, now, output) -> int:
    """Collect the evidence document only (evaluate it later with `gatekeeper evaluate`)."""
    from gatekeeper.jsonio import dumps
    from gatekeeper.pipeline import collect as run_collect

    evidence = run_collect(_load_config(config_path), _options(now, ()))
    _write(output, dumps(evidence).decode("utf-8"))
    click.echo(f"evidence from {len(evidence['sources'])} files written to {output}", err=True)
    return 0


@cli.command()
@click.argument("evidence_path", type=click.Path(path_type=Path, dir_okay=False))
@config_option
@policy_option
@now_option
@format_option
@output_option
@results_option
@opa_url_option
def evaluate(
    evidence_path, config_path, policies, now, formats, outputs, results_path, opa_url
) -> int:
    """Evaluate a saved evidence document: the same verdict as `check`."""
    from gatekeeper.evidence import load_evidence
    from gatekeeper.pipeline import evaluate as run_evaluate

    formats = _destinations(formats, outputs)
    config = _load_config(config_path)
    evidence = load_evidence(evidence_path)
    results = run_evaluate(config, evidence, _options(now, policies, opa_url))
    return _finish(results, results_path, formats, outputs)


@cli.command()
@policy_option
@click.option("--format", "-f", "format_", type=click.Choice(FORMATS), default="text")
def controls(policies, format_) -> int:
    """List the controls: shipped and from --policy folders."""
    from gatekeeper.engine.policies import load_policies
    from gatekeeper.jsonio import dumps

    policy_set = load_policies(tuple(p.resolve() for p in policies))
    if format_ == "json":
        click.echo(dumps([c.to_dict() for c in policy_set.controls]).decode(), nl=False)
        return 0
    width = max(len(c.id) for c in policy_set.controls)
    for control in policy_set.controls:
        questions = ",".join(control.questions)
        click.echo(f"{control.id:<{width}}  {control.severity:<8}  {control.title}  [{questions}]")
    return 0


@cli.group()
def policy() -> None:
    """Work with Rego policies."""


@policy.command("test")
@click.argument("dirs", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="List every test, not only failures.")
def policy_test(dirs, verbose) -> int:
    """Run the Rego test_ rules of the shipped policies and of DIRS, like `opa test`."""
    from gatekeeper.config import default_thresholds
    from gatekeeper.engine.policies import load_policies
    from gatekeeper.engine.testing import run_tests

    results = run_tests(load_policies(tuple(d.resolve() for d in dirs)), default_thresholds())
    for result in results:
        if verbose or result.outcome != "pass":
            detail = f"  ({result.detail})" if result.detail else ""
            click.echo(f"{result.outcome.upper():<5} data.{result.package}.{result.name}{detail}")
    failed = [r for r in results if r.outcome != "pass"]
    click.echo(f"{len(results)} tests: {len(results) - len(failed)} passed, {len(failed)} failed")
    if not results:
        raise ConfigError("no test_ rules found", hint="Rego tests live in *_test.rego files")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> None:
    try:
        code = cli.main(args=argv, prog_name="gatekeeper", standalone_mode=False)
    except click.exceptions.Exit as done:
        code = done.exit_code
    except click.ClickException as error:
        error.show()
        code = EXIT_CONFIG_ERROR
    except click.Abort:
        click.echo("gatekeeper: aborted", err=True)
        code = EXIT_CONFIG_ERROR
    except GatekeeperError as error:
        click.echo(f"gatekeeper: error: {error}", err=True)
        code = error.exit_code
    except Exception as error:  # fail closed: an unexpected failure is never a pass
        if os.environ.get("GATEKEEPER_DEBUG"):
            raise
        click.echo(
            f"gatekeeper: internal error: {type(error).__name__}: {error}\n"
            "  hint: set GATEKEEPER_DEBUG=1 for a traceback, and report it",
            err=True,
        )
        code = EXIT_EVIDENCE_ERROR
    sys.exit(code if isinstance(code, int) else 0)
