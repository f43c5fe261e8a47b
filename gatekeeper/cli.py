"""The ``gatekeeper`` command: parse, call the library, print, exit. Nothing else lives here.

Exit codes: 0 pass, 1 gate failed, 2 usage or configuration error, 3 evidence or engine error.
Errors become exits in exactly one place, ``main``; no traceback reaches the user.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from gatekeeper import __version__
from gatekeeper.catalog import DOMAINS
from gatekeeper.catalog.views import VIEWS
from gatekeeper.errors import EXIT_CONFIG_ERROR, EXIT_EVIDENCE_ERROR, ConfigError, GatekeeperError
from gatekeeper.reporters import REPORTERS
from gatekeeper.reporters.interface import ReportOptions

FORMATS = tuple(REPORTERS)  # of results
LISTING_FORMATS = ("text", "json")  # of listings: controls, model, exceptions, aggregate


def parse_time(value: str | None) -> datetime:
    """``--now``: an RFC 3339 time with a zone (``2026-01-31T12:00:00Z``); default: now."""
    from gatekeeper.timeutil import parse_rfc3339

    if value is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    moment = parse_rfc3339(value)
    if moment is None:
        raise ConfigError(
            f"--now {value!r}: not an RFC 3339 time with a zone (e.g. 2026-01-31T12:00:00Z)"
        )
    return moment


def _color() -> bool:
    """Colour for the text format (no-color.org): a non-empty ``NO_COLOR`` turns it off, else a
    non-empty ``FORCE_COLOR`` turns it on (also into a pipe or file), else only on a terminal.
    An empty value counts as unset."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def _write(path: Path, text: str) -> None:
    from gatekeeper.outputs import write_file

    write_file(path, text.encode("utf-8"))


def _write_or_print(output: Path | None, text: str) -> None:
    """``text`` into ``output`` when one is given, else on stdout."""
    if output is not None:
        _write(output, text)
    else:
        click.echo(text, nl=False)


STDOUT = "-"


def _output_pair(value: str) -> tuple[str, str] | None:
    """``sarif=gate.sarif`` -> ``("sarif", "gate.sarif")``; ``None`` for a bare path."""
    name, sep, path = value.partition("=")
    if not sep or not name.isalpha():
        return None
    if name not in FORMATS:
        raise click.UsageError(
            f"--output {value}: unknown format {name!r} (one of {', '.join(FORMATS)})")
    if not path:
        raise click.UsageError(f"--output {value}: no path after '=' (write {name}=PATH, or "
                               f"{name}=- for stdout)")
    return name, path


def _bare_output(
    formats: tuple[str, ...], bare: list[str], named: list[tuple[str, str]]
) -> tuple[str, str]:
    """The one pairing a bare ``-o PATH`` keeps: with exactly one ``-f`` and nothing else."""
    value = bare[0]
    if named:
        raise click.UsageError(
            f"-o {value}: write every output as --output FORMAT=PATH, not some bare")
    if not formats and value in FORMATS:
        raise click.UsageError(
            f"-o {value}: --output takes FORMAT=PATH; to print {value} write -f {value}, to "
            f"write it to a file --output {value}=PATH")
    if len(formats) != 1 or len(bare) != 1:
        wanted = " ".join(f"--output {name}=PATH" for name in (formats or ("FORMAT",)))
        raise click.UsageError(
            f"-o {' -o '.join(bare)} with {len(formats)} -f: which format goes to which file is "
            f"ambiguous; write {wanted}")
    return formats[0], value


def _destinations(
    formats: tuple[str, ...], outputs: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[Path, ...]]:
    """Where each format goes, checked before any work.

    ``--output FORMAT=PATH`` (repeatable; ``-`` for stdout) writes a file; ``-f FORMAT`` alone
    prints to stdout; a single ``-f FORMAT -o PATH`` still pairs. Anything ambiguous is a usage
    error (exit 2) that says what to write. Returns the formats, the files' first, and the
    files' paths; the formats past the paths go to stdout (text when nothing was asked).
    """
    named = [pair for pair in map(_output_pair, outputs) if pair]
    bare = [value for value in outputs if not _output_pair(value)]
    if bare:
        named, formats = [_bare_output(formats, bare, named)], ()
    for name, _ in named:
        if name in formats:
            raise click.UsageError(
                f"-f {name} and --output {name}=...: give {name} once (-f prints to stdout)")
    files = [(name, path) for name, path in named if path != STDOUT]
    paths = [path for _, path in files]
    twice = sorted({path for path in paths if paths.count(path) > 1})
    if twice:
        raise click.UsageError(f"--output: {', '.join(twice)} is given to more than one format")
    to_stdout = [*formats, *(name for name, path in named if path == STDOUT)]
    if not to_stdout and not files:
        to_stdout = ["text"]
    if len(to_stdout) > 1:
        raise click.UsageError(
            f"only one format can go to stdout ({', '.join(to_stdout)}): write the others as "
            "--output FORMAT=PATH")
    return (tuple(name for name, _ in files) + tuple(to_stdout),
            tuple(Path(path) for path in paths))


def _emit(
    results: dict[str, Any],
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    options: ReportOptions,
    results_path: Path | None = None,
) -> None:
    """Render each format to its output; a format without an output goes to stdout.

    Every format is rendered before any file is written, and the files (with the results
    document at ``results_path``, renamed last) are written all or none.
    """
    from gatekeeper.jsonio import dumps
    from gatekeeper.outputs import write_files
    from gatekeeper.reporters import render

    to_stdout = formats[len(outputs) :]
    files = [(results_path, dumps(results))] if results_path is not None else []
    for name, path in zip(formats, outputs, strict=False):
        files.append((path, render(name, results, options).encode("utf-8")))
    write_files(files)
    for name in to_stdout:
        color = _color() and name == "text"
        # click strips colour from a pipe unless told: FORCE_COLOR must reach a CI log
        click.echo(render(name, results, replace(options, color=color)), nl=False,
                   color=True if color else None)


def _load_config(path: Path) -> Any:
    from gatekeeper.config import load_config

    return load_config(path)


def _options(
    now: str | None,
    policies: tuple[Path, ...],
    exceptions: Path | None = None,
    baseline: Path | None = None,
    fail_on: str = "any",
    opa_url: str | None = None,
    org_policy: Path | None = None,
) -> Any:
    from gatekeeper.pipeline import RunOptions

    return RunOptions(
        now=parse_time(now),
        extra_policy_dirs=tuple(p.resolve() for p in policies),
        exceptions_path=exceptions,
        baseline_path=baseline,
        fail_on=fail_on,
        opa_url=opa_url,
        org_policy_path=org_policy,
    )


config_option = click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(path_type=Path),
    default="gatekeeper.yaml",
    envvar="GATEKEEPER_CONFIG",
    show_envvar=True,
    show_default=True,
    help="The gate's configuration file.",
)
policy_option = click.option(
    "--policy",
    "-p",
    "policies",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="An extra folder of Rego policies (repeatable).",
)
now_option = click.option(
    "--now",
    help="Evaluate as of this RFC 3339 time (default: the current time).",
)
format_option = click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Print this format to stdout (default: text); files: --output FORMAT=PATH.",
)
output_option = click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    metavar="FORMAT=PATH",
    help="Write FORMAT to PATH, '-' for stdout (repeatable): --output sarif=gate.sarif. "
    "-f FORMAT alone prints to stdout.",
)
exceptions_option = click.option(
    "--exceptions",
    "exceptions",
    envvar="GATEKEEPER_EXCEPTIONS",
    show_envvar=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The exceptions file (overrides `exceptions:` in the configuration).",
)
baseline_option = click.option(
    "--baseline",
    "baseline",
    envvar="GATEKEEPER_BASELINE",
    show_envvar=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="A previous results file: report new, fixed and unchanged failures.",
)
fail_on_option = click.option(
    "--fail-on",
    "fail_on",
    envvar="GATEKEEPER_FAIL_ON",
    show_envvar=True,
    type=click.Choice(("any", "new")),
    default="any",
    show_default=True,
    help="With --baseline: 'new' blocks only on failures the baseline did not have.",
)
opa_url_option = click.option(
    "--opa-url",
    envvar="GATEKEEPER_OPA_URL",
    show_envvar=True,
    metavar="URL",
    help="Decide on this OPA server (overrides engine kind and url in gatekeeper.yaml).",
)
org_policy_option = click.option(
    "--org-policy",
    "org_policy",
    envvar="GATEKEEPER_ORG_POLICY",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The organization policy: the platform team's floor, which gatekeeper.yaml may only "
    "raise (default: $GATEKEEPER_ORG_POLICY; see docs/security.md).",
)
results_option = click.option(
    "--results",
    "results_path",
    envvar="GATEKEEPER_RESULTS",
    show_envvar=True,
    type=click.Path(path_type=Path, dir_okay=False),
    default="gatekeeper-results.json",
    show_default=True,
    help="Where to write the JSON results document.",
)


vsa_key_option = click.option(
    "--vsa-key",
    type=click.Path(path_type=Path, dir_okay=False),
    help="PEM private key (Ed25519, ECDSA, RSA) that signs the vsa format; an encrypted key's "
    "password in $GATEKEEPER_VSA_KEY_PASSWORD.",
)
vsa_subject_option = click.option(
    "--vsa-subject",
    "vsa_subjects",
    multiple=True,
    help="The VSA's subject: a file or sha256:<digest> (repeatable; default: the artifacts).",
)
vsa_resource_option = click.option(
    "--vsa-resource-uri",
    help="The VSA's resourceUri (default: pkg:generic/<name>@<version>).",
)


sarif_category_option = click.option(
    "--sarif-category",
    envvar="GATEKEEPER_SARIF_CATEGORY",
    show_envvar=True,
    default="",
    metavar="CATEGORY",
    help="For SARIF: the code scanning category (automationDetails.id; default: "
    "gatekeeper/<subject name>).",
)


only_option = click.option(
    "--only",
    "only",
    multiple=True,
    metavar="GLOB",
    help="Evaluate only the controls matching GLOB (repeatable; default: $GATEKEEPER_ONLY, "
    "comma-separated). Mandatory controls always run. A partial run: no VSA, no history.",
)
skip_option = click.option(
    "--skip",
    "skip",
    multiple=True,
    metavar="GLOB",
    help="Do not evaluate the controls matching GLOB (repeatable; default: $GATEKEEPER_SKIP, "
    "comma-separated); a mandatory control cannot be skipped. A partial run: no VSA, no history.",
)
VERBOSITY_ENV = "GATEKEEPER_VERBOSITY"


def verbosity_options(command: Any) -> Any:
    """--quiet (only the verdict line, warnings and errors) and --verbose (also the passing
    controls' details and, for a gate run, its timings)."""
    quiet = click.option("--quiet", "-q", is_flag=True,
                         help="Print only the verdict line (and warnings and errors).")
    verbose = click.option("--verbose", "-v", is_flag=True,
                           help="Also print the passing controls' details and the timings "
                           f"(default: ${VERBOSITY_ENV}: quiet, normal or verbose).")
    return quiet(verbose(command))


def _verbosity(quiet: bool, verbose: bool) -> str:
    """The flag, else ``$GATEKEEPER_VERBOSITY``, else normal."""
    from gatekeeper.reporters.text import VERBOSITIES

    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose: give one")
    if quiet or verbose:
        return "quiet" if quiet else "verbose"
    value = os.environ.get(VERBOSITY_ENV, "").strip().lower()
    if value and value not in VERBOSITIES:
        raise ConfigError(f"${VERBOSITY_ENV}={value!r}: one of {', '.join(VERBOSITIES)}")
    return value or "normal"


def report_options(command: Any) -> Any:
    """The options of formats that need more than the results: the VSA's key and subject,
    the SARIF category."""
    return vsa_key_option(vsa_subject_option(vsa_resource_option(sarif_category_option(command))))


def _render_options(
    formats: tuple[str, ...],
    vsa_key: Path | None,
    vsa_subjects: tuple[str, ...],
    vsa_resource_uri: str | None,
    sarif_category: str = "",
    sarif_base: str = "",
    config_file: str = "gatekeeper.yaml",
    verbosity: str = "normal",
) -> ReportOptions:
    """The reports' options, checked before the gate runs (a bad key fails early)."""
    options = ReportOptions(base=sarif_base, config_file=config_file, category=sarif_category,
                            verbosity=verbosity)
    if "vsa" in formats:
        from gatekeeper.reporters.vsa import Signing, load_signer, subject

        if vsa_key is None:
            raise ConfigError(
                "--format vsa needs --vsa-key PATH (a PEM private key)",
                hint="an unsigned verification summary proves nothing, so gatekeeper writes none",
            )
        signing = Signing(
            load_signer(vsa_key), tuple(subject(s) for s in vsa_subjects), vsa_resource_uri
        )
        options = replace(options, signing=signing)
    return options


def _config_options(
    config_path: Path,
    formats: tuple[str, ...],
    vsa_key: Path | None,
    vsa_subjects: tuple[str, ...],
    vsa_resource_uri: str | None,
    sarif_category: str,
    verbosity: str = "normal",
) -> ReportOptions:
    """Render options for a run from a configuration: SARIF paths from the repository root.

    Paths in the results are relative to the configuration's folder; code scanning wants them
    relative to the repository root, taken to be the current directory.
    """
    folder = os.path.relpath(config_path.resolve().parent, Path.cwd())
    base = "" if folder == "." or folder.startswith("..") else Path(folder).as_posix()
    return _render_options(formats, vsa_key, vsa_subjects, vsa_resource_uri, sarif_category, base,
                           config_path.name, verbosity)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gatekeeper")
def cli() -> None:
    """Policy gate for AI/ML releases: verify evidence, decide, score maturity."""


def gate_options(command: Any) -> Any:
    """The options `check` and `evaluate` share: what decides, and where the reports go."""
    shared = (
        config_option, policy_option, now_option, exceptions_option, baseline_option,
        fail_on_option, format_option, output_option, results_option, opa_url_option,
        org_policy_option, only_option, skip_option,
    )  # fmt: skip
    command = verbosity_options(report_options(command))
    for option in reversed(shared):
        command = option(command)
    return command


@dataclass(frozen=True)
class GateRun:
    """A `check` or `evaluate` invocation, parsed and checked before any evidence is read."""

    config: Any
    options: Any
    formats: tuple[str, ...]
    outputs: tuple[Path, ...]
    results_path: Path
    render_options: ReportOptions
    verbosity: str = "normal"

    def finish(self, results: dict[str, Any]) -> int:
        _emit(results, self.formats, self.outputs, self.render_options, self.results_path)
        return int(results["verdict"]["exit_code"])

    def note(self, text: str) -> None:
        """An informational line on stderr, which --quiet silences."""
        if self.verbosity != "quiet":
            click.echo(text, err=True)


class Stopwatch:
    """--verbose: how long each stage of a gate run took."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []

    def time(self, stage: str, step: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        value = step()
        self.stages.append((stage, time.perf_counter() - start))
        return value

    def line(self) -> str:
        return "timings: " + " · ".join(f"{stage} {seconds:.2f} s" for stage, seconds in
                                          self.stages)


def _gate_run(
    config_path: Path,
    policies: tuple[Path, ...],
    now: str | None,
    exceptions: Path | None,
    baseline: Path | None,
    fail_on: str,
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    results_path: Path,
    opa_url: str | None,
    org_policy: Path | None,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    **vsa: Any,
) -> GateRun:
    from dataclasses import replace

    from gatekeeper.selection import selection_from

    formats, paths = _destinations(formats, outputs)
    verbosity = _verbosity(quiet, verbose)
    selection = selection_from(only, skip, os.environ)
    if selection and "vsa" in formats:
        raise ConfigError(
            "--only / --skip make a partial run, which gets no verification summary (vsa)",
            hint="attest a full run: drop --only / --skip (and $GATEKEEPER_ONLY / _SKIP)",
        )
    config = _load_config(config_path)
    options = _options(now, policies, exceptions, baseline, fail_on, opa_url, org_policy)
    return GateRun(
        config=config,
        options=replace(options, selection=selection),
        formats=formats,
        outputs=paths,
        results_path=results_path,
        render_options=_config_options(config_path, formats, **vsa, verbosity=verbosity),
        verbosity=verbosity,
    )


history_option = click.option(
    "--history",
    "history_url",
    metavar="URL",
    help="The results history: a SQLite file, sqlite:///path or postgresql://host/db "
    "(default: $GATEKEEPER_HISTORY_URL, else `history:` in the configuration).",
)


@cli.command()
@gate_options
@history_option
def check(history_url: str | None, **arguments: Any) -> int:
    """Collect the release's evidence, evaluate every control, and gate."""
    from gatekeeper.pipeline import collect, evaluate, read_inputs

    gate = _gate_run(**arguments)
    settings = gate.config.history
    url = _history_url(history_url, settings)
    store = _history_or_warn(lambda: _open_store(url), settings) if url else None
    held = _history_or_warn(lambda: _held(store, gate.config), settings) if store else None
    prior = _history_or_warn(lambda: _prior(store, gate), settings) if store else None
    options = replace(gate.options, held_runs=held, prior_runs=prior)
    clock = Stopwatch()
    # as pipeline.check, stage by stage: a bad exceptions or baseline file stops us first
    inputs = clock.time("inputs", lambda: read_inputs(gate.config, options))
    evidence = clock.time("collect", lambda: collect(gate.config, options))
    results = clock.time("evaluate", lambda: evaluate(gate.config, evidence, options,
                                                      inputs=inputs, hand_over=True))
    code: int = clock.time("report", lambda: gate.finish(results))
    if gate.verbosity == "verbose":
        click.echo(clock.line(), err=True)
    if store is not None and results.get("selection"):
        gate.note("history: a partial run (--only / --skip) is not stored")
    elif store is not None:
        pushed = _history_or_warn(lambda: store.push(results), settings)
        if pushed is not None:
            gate.note(_pushed("results", pushed))
    return code


def _history_url(flag: str | None, settings: Any) -> str | None:
    from gatekeeper.history.url import resolve

    return resolve(flag, settings)


def _held(store: Any, config: Any) -> dict[str, int]:
    from gatekeeper.history.held import held_for

    return held_for(store, config.subject["name"])


def _prior(store: Any, gate: Any) -> list[tuple[str, dict[str, Any]]]:
    """The system's runs before this one, over the window the trend controls read."""
    from gatekeeper.scoring import HELD_RUNS
    from gatekeeper.timeutil import rfc3339

    before = rfc3339(gate.options.now)
    return list(store.recent_documents(gate.config.subject["name"], HELD_RUNS, before))


def _history_or_warn(step: Any, settings: Any) -> Any:
    """A history step. Its failure is reported and the run goes on without the history (no
    question can then score 4), unless ``history.required`` makes it fail the run (exit 3)."""
    try:
        return step()
    except GatekeeperError as error:
        if settings is not None and settings.required:
            raise
        click.echo(f"gatekeeper: warning: history not used: {error}", err=True)
        return None


def _open_store(url: str) -> Any:
    from gatekeeper.history.store import open_store

    return open_store(url)


def _pushed(source: Any, pushed: Any) -> str:
    state = "stored" if pushed.new else "already stored"
    return f"{source}: {pushed.system} run {pushed.run_id} {state} in the history"


@cli.command()
@config_option
@now_option
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Where to write the evidence document.",
)
def collect(config_path: Path, now: str | None, output: Path) -> int:
    """Collect the evidence document only (evaluate it later with `gatekeeper evaluate`)."""
    from gatekeeper.jsonio import dumps
    from gatekeeper.pipeline import collect as run_collect

    evidence = run_collect(_load_config(config_path), _options(now, ()))
    _write(output, dumps(evidence).decode("utf-8"))
    click.echo(f"evidence from {len(evidence['sources'])} files written to {output}", err=True)
    return 0


@cli.command()
@click.argument("evidence_path", type=click.Path(path_type=Path, dir_okay=False))
@gate_options
def evaluate(evidence_path: Path, **arguments: Any) -> int:
    """Evaluate a saved evidence document: the same verdict as `check`."""
    from gatekeeper.evidence import load_evidence
    from gatekeeper.pipeline import evaluate as run_evaluate
    from gatekeeper.pipeline import read_inputs

    gate = _gate_run(**arguments)
    clock = Stopwatch()
    # A bad exceptions or baseline file stops us before the evidence is read.
    inputs = clock.time("inputs", lambda: read_inputs(gate.config, gate.options))
    evidence = clock.time("read evidence", lambda: load_evidence(evidence_path))
    results = clock.time("evaluate", lambda: run_evaluate(gate.config, evidence, gate.options,
                                                          inputs=inputs, hand_over=True))
    code: int = clock.time("report", lambda: gate.finish(results))
    if gate.verbosity == "verbose":
        click.echo(clock.line(), err=True)
    return code


@cli.command()
@click.argument("results_path", type=click.Path(path_type=Path, dir_okay=False))
@format_option
@output_option
@report_options
@click.option(
    "--sarif-base",
    default="",
    metavar="DIR",
    help="For SARIF: the configuration's folder relative to the repository root (paths in the "
    "results are relative to it).",
)
@config_option
@policy_option
@verbosity_options
def report(
    results_path: Path,
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    vsa_key: Path | None,
    vsa_subjects: tuple[str, ...],
    vsa_resource_uri: str | None,
    sarif_category: str,
    sarif_base: str,
    config_path: Path,
    policies: tuple[Path, ...],
    quiet: bool,
    verbose: bool,
) -> int:
    """Render a saved results document in any format (exit 0 once written, whatever the verdict).

    For the vsa format the results are first checked: the verdict and summary are recomputed
    from the control outcomes, and the policy digest from the configuration (-c, -p).
    """
    from gatekeeper.pipeline import load_results

    formats, paths = _destinations(formats, outputs)
    options = _render_options(formats, vsa_key, vsa_subjects, vsa_resource_uri, sarif_category,
                              sarif_base, verbosity=_verbosity(quiet, verbose))
    results = load_results(results_path)
    if "vsa" in formats:
        _check_results_for_vsa(results, results_path, config_path, policies)
    _emit(results, formats, paths, options)
    return 0


def _check_results_for_vsa(
    results: dict[str, Any], results_path: Path, config_path: Path, policies: tuple[Path, ...]
) -> None:
    from gatekeeper.config import Enforcement
    from gatekeeper.pipeline import policy_digest, policy_set
    from gatekeeper.reporters.vsa import check_results

    config = _load_config(config_path)
    loaded = policy_set(config, _options(None, policies))
    digest, _ = policy_digest(loaded, config)
    enabled = frozenset(c.id for c in loaded.controls
                        if config.profile.enforcement(c.id) is not Enforcement.DISABLED)
    check_results(results, results_path, digest, enabled)


@cli.command("verify-summary")
@click.argument("vsa_path", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--key",
    "key_path",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The PEM public key the summary must be signed with.",
)
@click.option(
    "--subject",
    "subject_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A file that must be a subject of the summary (compared by sha256). Required unless "
    "--any-subject is given.",
)
@click.option(
    "--any-subject",
    is_flag=True,
    help="Accept a summary whatever its subject (say so explicitly: any PASSED summary signed "
    "by the key then verifies).",
)
@click.option("--policy-digest", help="The sha256 the policy digest must equal.")
@click.option(
    "--verifier-id",
    default=None,
    help="The verifier.id the summary must name (default: gatekeeper's, "
    "https://gatekeeper.dev/verifier/v1).",
)
@click.option("--resource-uri", help="The resourceUri the summary must name.")
@click.option("--max-age", help="How old the summary may be (timeVerified): 7d, 12h, 30m.")
@now_option
def verify_summary(
    vsa_path: Path,
    key_path: Path,
    subject_path: Path | None,
    any_subject: bool,
    policy_digest: str | None,
    verifier_id: str | None,
    resource_uri: str | None,
    max_age: str | None,
    now: str | None,
) -> int:
    """Verify a signed verification summary: signature, PASSED, verifier, subject, policy
    digest, resourceUri and age.

    Exit 0 when every check holds, 1 when one does not.
    """
    from gatekeeper.reporters.vsa import (
        VERIFIER_ID,
        Expectations,
        load_public_key,
        parse_max_age,
        verify,
    )

    if subject_path is None and not any_subject:
        raise ConfigError(
            "verify-summary needs --subject FILE (the artifact the summary must cover)",
            hint="give --any-subject to accept any subject, knowingly",
        )
    if subject_path is not None and any_subject:
        raise ConfigError("give --subject or --any-subject, not both")
    expect = Expectations(
        subject_file=subject_path,
        policy_digest=policy_digest,
        verifier_id=verifier_id or VERIFIER_ID,
        resource_uri=resource_uri,
        max_age=parse_max_age(max_age) if max_age is not None else None,
        now=parse_time(now),
    )
    checks = verify(vsa_path, load_public_key(key_path), expect)
    for check in checks:
        click.echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    verified = all(check.ok for check in checks)
    click.echo(f"{vsa_path}: {'verified' if verified else 'NOT verified'}")
    return 0 if verified else 1


@cli.command()
@policy_option
@click.option("--format", "-f", "format_", type=click.Choice(LISTING_FORMATS), default="text")
def controls(policies: tuple[Path, ...], format_: str) -> int:
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
        keys = f"  reads: {', '.join(control.config_keys)}" if control.config_keys else ""
        click.echo(f"{control.id:<{width}}  {control.severity:<8}  {control.title}  [{questions}]"
                   f"{keys}")
    return 0


# --- the maturity model: browse it, answer its attested questions, roll results up ---------


def _question_links(policies: tuple[Path, ...]) -> tuple[Any, dict[str, tuple[str, ...]]]:
    """The catalog, and for each question the loaded controls that answer it."""
    from gatekeeper.catalog.loader import answering_controls, load_catalog
    from gatekeeper.engine.policies import load_policies

    catalog = load_catalog()
    return catalog, answering_controls(catalog, load_policies(policies).controls)


domain_option = click.option(
    "--domain",
    "-d",
    type=click.Choice(DOMAINS, case_sensitive=False),
    help="Only this domain.",
)


@cli.command()
@click.argument("view", type=click.Choice(VIEWS), default="domains", required=False)
@domain_option
@click.option("--format", "-f", "format_", type=click.Choice(LISTING_FORMATS), default="text")
@policy_option
def model(view: str, domain: str | None, format_: str, policies: tuple[Path, ...]) -> int:
    """Browse the maturity model (default view: domains)."""
    from gatekeeper.catalog.views import render_text, view_data
    from gatekeeper.jsonio import dumps

    catalog, links = _question_links(tuple(p.resolve() for p in policies))
    data = view_data(view, catalog, links, domain)
    click.echo(dumps(data).decode() if format_ == "json" else render_text(view, data), nl=False)
    return 0


@cli.command()
@config_option
@click.option(
    "--attestations",
    "-a",
    "attestations_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The attestations file (default: `attestations:` in the configuration).",
)
@policy_option
@domain_option
@click.option(
    "--question",
    "-q",
    "question_ids",
    multiple=True,
    help="Ask this question (repeatable), even one a control answers.",
)
@now_option
def assess(
    config_path: Path,
    attestations_path: Path | None,
    policies: tuple[Path, ...],
    domain: str | None,
    question_ids: tuple[str, ...],
    now: str | None,
) -> int:
    """Answer the attested maturity questions interactively; keeps the other answers."""
    from gatekeeper.assess import assess as run_assess
    from gatekeeper.assess import questions_to_ask
    from gatekeeper.attestations import load_attestations

    extra = tuple(p.resolve() for p in policies)
    if attestations_path is None:
        config = _load_config(config_path)
        if config.attestations is None:
            raise ConfigError(
                "no `attestations:` file configured",
                path=config_path,
                hint="add `attestations: attestations.yaml` to it, or give --attestations",
            )
        attestations_path, extra = config.base_dir / config.attestations, config.policy_dirs + extra
    catalog, links = _question_links(extra)
    questions = questions_to_ask(catalog, links, domain, question_ids)
    answers = (
        dict(load_attestations(attestations_path).answers) if attestations_path.exists() else {}
    )
    run_assess(attestations_path, questions, answers, catalog, parse_time(now).date())
    return 0


@cli.command()
@click.argument("results_paths", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--previous",
    "previous_paths",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="A results file of an earlier run, to score improvement (repeatable).",
)
@click.option("--format", "-f", "format_", type=click.Choice(LISTING_FORMATS), default="text")
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the roll-up here instead of stdout.",
)
@history_option
def aggregate(
    results_paths: tuple[Path, ...],
    previous_paths: tuple[Path, ...],
    format_: str,
    output: Path | None,
    history_url: str | None,
) -> int:
    """Roll many systems' results up to organization-wide maturity: from results files, or
    from each system's latest run in a history (--history)."""
    from gatekeeper.aggregate import aggregate as run_aggregate
    from gatekeeper.aggregate import aggregate_history, render_text
    from gatekeeper.jsonio import dumps

    if history_url is not None:
        if results_paths or previous_paths:
            raise ConfigError("give results files or --history, not both")
        document = aggregate_history(_open_store(history_url))
    else:
        document = run_aggregate(results_paths, previous_paths)
    text = dumps(document).decode() if format_ == "json" else render_text(document)
    _write_or_print(output, text)
    return 0


@cli.command()
@config_option
@click.option(
    "--results", "results_path", envvar="GATEKEEPER_RESULTS", show_envvar=True,
    type=click.Path(path_type=Path, dir_okay=False), default="gatekeeper-results.json",
    show_default=True, help="The results document whose control answers pre-fill the page.",
)
@history_option
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; any but loopback needs --token.")
@click.option("--token", envvar="GATEKEEPER_SERVE_TOKEN", show_envvar=True,
              help="The access token every request must carry (16+ characters).")
def serve(
    config_path: Path,
    results_path: Path,
    history_url: str | None,
    port: int,
    host: str,
    token: str | None,
) -> int:
    """The assessment app: browse the model, answer the questionnaire, see scores live
    (docs/serve.md). Needs the serve extra: pip install 'ai-gatekeeper[serve]'."""
    try:
        from gatekeeper.serve.run import serve as run_serve
    except ImportError as error:
        raise ConfigError(f"gatekeeper serve needs the serve extra ({error.name} is missing)",
                          hint="pip install 'ai-gatekeeper[serve]'") from None
    return run_serve(config_path, results_path, history_url, host, port, token)


@cli.group()
def history() -> None:
    """Keep every run in a results history and read it back (docs/history.md)."""


def _history_store(history_url: str | None, config_path: Path) -> Any:
    """The store named by --history, $GATEKEEPER_HISTORY_URL, or `history:` in --config."""
    from gatekeeper.history.url import ENV_VAR, resolve

    settings = None
    if not history_url and not os.environ.get(ENV_VAR) and config_path.exists():
        settings = _load_config(config_path).history
    url = resolve(history_url, settings)
    if url is None:
        raise ConfigError(
            "no results history given",
            hint="give --history URL, set GATEKEEPER_HISTORY_URL, or add `history:` to "
            "gatekeeper.yaml",
        )
    return _open_store(url)


def history_command(name: str) -> Callable[[Callable[..., int]], click.Command]:
    """A `history` subcommand with the options every one of them takes."""

    def wrap(function: Callable[..., int]) -> click.Command:
        return history.command(name)(history_option(config_option(function)))

    return wrap


@history_command("push")
@click.argument(
    "results_paths", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
def history_push(
    results_paths: tuple[Path, ...], history_url: str | None, config_path: Path
) -> int:
    """Store results files (the same results twice are one run)."""
    from gatekeeper.history.records import refuse_altered, refuse_partial
    from gatekeeper.pipeline import load_results

    documents = [(path, load_results(path)) for path in results_paths]
    for path, results in documents:
        refuse_altered(results, path)
        refuse_partial(results, path)
    store = _history_store(history_url, config_path)
    for path, results in documents:
        click.echo(_pushed(path, store.push(results)), err=True)
    return 0


@history_command("list")
@click.option("--system", help="Only this system's runs.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--format", "-f", "format_", type=click.Choice(LISTING_FORMATS), default="text")
def history_list(
    history_url: str | None, config_path: Path, system: str | None, limit: int, format_: str
) -> int:
    """List the stored runs, newest first."""
    from gatekeeper.jsonio import dumps

    rows = _history_store(history_url, config_path).runs(system, limit)
    if format_ == "json":
        click.echo(dumps(rows).decode(), nl=False)
        return 0
    click.echo(f"{'RUN':>6}  {'EVALUATED':<20}  {'VERDICT':<7}  {'LEVEL':>5}  SYSTEM")
    for row in rows:
        title = " ".join(filter(None, [row["system"], row["version"]]))
        level = "-" if row["overall_level"] is None else row["overall_level"]
        click.echo(f"{row['id']:>6}  {row['evaluated_at']:<20}  {row['verdict']:<7}  "
                   f"{level:>5}  {title}")
    return 0


@history_command("show")
@click.argument("run")
@click.option("--format", "-f", "format_", type=click.Choice(LISTING_FORMATS), default="text")
@verbosity_options
def history_show(history_url: str | None, config_path: Path, run: str, format_: str,
                 quiet: bool, verbose: bool) -> int:
    """Show one stored run (its number, or a prefix of its digest) as a report."""
    from gatekeeper.jsonio import dumps
    from gatekeeper.reporters import render

    verbosity = _verbosity(quiet, verbose)
    results = _history_store(history_url, config_path).document(run)
    text = (dumps(results).decode() if format_ == "json"
            else render("text", results, ReportOptions(verbosity=verbosity)))
    click.echo(text, nl=False)
    return 0


@history_command("trend")
@click.option("--system", required=True, help="The AI system (subject name).")
@click.option(
    "--metric",
    required=True,
    help="level, mean_score, score:<QUESTION> (e.g. score:SAF-Q5), or a measured series: "
    "attack_success, safety, privacy, detector_precision, detector_recall, mttd_minutes, "
    "mttr_minutes.",
)
@click.option("--label", help="Only this label of the series (an attack class, a metric name).")
@click.option("--last", type=click.IntRange(min=1), help="Only the last N runs.")
@click.option("--format", "-f", "format_", type=click.Choice(LISTING_FORMATS), default="text")
def history_trend(
    history_url: str | None,
    config_path: Path,
    system: str,
    metric: str,
    label: str | None,
    last: int | None,
    format_: str,
) -> int:
    """A metric of one system over its runs, oldest first."""
    from gatekeeper.jsonio import dumps

    rows = _history_store(history_url, config_path).trend(system, metric, label, last)
    if not rows:
        raise ConfigError(f"history: no {metric!r} values for system {system!r}",
                          hint="see `gatekeeper history list --system NAME`")
    if format_ == "json":
        click.echo(dumps(rows).decode(), nl=False)
        return 0
    click.echo(f"{'RUN':>6}  {'EVALUATED':<20}  {'VERSION':<12}  {'LABEL':<24}  VALUE")
    for row in rows:
        click.echo(f"{row['run_id']:>6}  {row['evaluated_at']:<20}  "
                   f"{(row['version'] or '-')[:12]:<12}  {row['label'][:24]:<24}  "
                   f"{row['value']:g}")
    return 0


@history_command("export")
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the JSON Lines here instead of stdout.",
)
def history_export(history_url: str | None, config_path: Path, output: Path | None) -> int:
    """Every stored run as JSON Lines: {"run", "digest", "results"} per line, oldest first."""
    from gatekeeper.jsonio import dumps

    store = _history_store(history_url, config_path)
    lines = "".join(dumps(entry, pretty=False).decode() + "\n" for entry in store.export())
    _write_or_print(output, lines)
    return 0


@cli.command()
@history_option
@config_option
@click.option("--system", "systems", multiple=True, help="Only this system (repeatable).")
@now_option
@click.option("--format", "-f", "format_", type=click.Choice(LISTING_FORMATS), default="text")
def checklist(
    history_url: str | None,
    config_path: Path,
    systems: tuple[str, ...],
    now: str | None,
    format_: str,
) -> int:
    """The seed's quarterly, monthly and per-release duties per system, from the history:
    done, due within 14 days, or overdue. Exit 1 when any is overdue."""
    from gatekeeper.history.checklist import checklist as run_checklist
    from gatekeeper.jsonio import dumps

    store = _history_store(history_url, config_path)
    rows = run_checklist(store, systems or store.systems(), parse_time(now))
    if format_ == "json":
        click.echo(dumps(rows).decode(), nl=False)
    else:
        click.echo(f"{'SYSTEM':<24}  {'DUTY':<22}  {'CADENCE':<11}  {'STATUS':<7}  LAST DONE")
        for row in rows:
            click.echo(f"{row['system'][:24]:<24}  {row['duty']:<22}  {row['cadence']:<11}  "
                       f"{row['status']:<7}  {row['last_done'] or 'never'}")
    return 1 if any(row["status"] == "overdue" for row in rows) else 0


@cli.group()
def policy() -> None:
    """Work with Rego policies."""


@policy.command("test")
@click.argument("dirs", nargs=-1, type=click.Path(path_type=Path, file_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="List every test, not only failures.")
def policy_test(dirs: tuple[Path, ...], verbose: bool) -> int:
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


@cli.group()
def exceptions() -> None:
    """Check and list an exceptions file: its waivers (docs/exceptions.md). Alias: waivers."""


cli.add_command(exceptions, "waivers")


exceptions_config_option = click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Apply this gatekeeper.yaml's policy folders and exceptions_policy "
    "(default: the shipped policies and the default rules).",
)


def _read_exceptions(
    path: Path, config_path: Path | None, policies: tuple[Path, ...], org_policy: Path | None
) -> Any:
    """The exceptions file, validated against the controls and rules the gate would use,
    the organization policy's included (approvers, lifetime cap, non-waivable controls)."""
    from gatekeeper.config import WaiverPolicy
    from gatekeeper.engine.policies import load_policies
    from gatekeeper.org_policy import (
        NO_ORG_POLICY,
        effective_policies,
        effective_waiver_policy,
        load_org_policy,
    )
    from gatekeeper.waivers import load_waivers

    org = load_org_policy(org_policy) if org_policy else NO_ORG_POLICY
    dirs = tuple(p.resolve() for p in policies)
    rules, rules_path = WaiverPolicy(), path
    if config_path is not None:
        config = _load_config(config_path)
        dirs, rules, rules_path = config.policy_dirs + dirs, config.exceptions_policy, config.path
    controls = effective_policies(load_policies(dirs), org).controls
    return load_waivers(path, controls, effective_waiver_policy(rules, org, rules_path))


@exceptions.command("lint")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@exceptions_config_option
@policy_option
@now_option
@org_policy_option
def exceptions_lint(
    file: Path,
    config_path: Path | None,
    policies: tuple[Path, ...],
    now: str | None,
    org_policy: Path | None,
) -> int:
    """Check FILE: schema, rules, every control known and waivable (exit 0 valid, 2 not)."""
    from gatekeeper.waivers import listing

    rows = listing(_read_exceptions(file, config_path, policies, org_policy), parse_time(now))
    click.echo(f"{file}: {len(rows)} exception{'s' if len(rows) != 1 else ''}, valid")
    for row in rows:
        if row["status"] == "expired":
            click.echo(f"  note: {row['id']} expired on {row['expires']}: no effect, remove it")
        elif row["status"] == "pending":
            click.echo(f"  note: {row['id']} takes effect on {row['created']}")
        elif row["expiring"]:
            click.echo(
                f"  warning: {row['id']} expires in {row['days_left']} days ({row['expires']})"
            )
    return 0


@exceptions.command("list")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--expiring",
    "expiring",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Only the exceptions in effect that expire within DAYS.",
)
@click.option("--format", "-f", "format_", type=click.Choice(LISTING_FORMATS), default="text")
@exceptions_config_option
@policy_option
@now_option
@org_policy_option
def exceptions_list(
    file: Path,
    expiring: int | None,
    format_: str,
    config_path: Path | None,
    policies: tuple[Path, ...],
    now: str | None,
    org_policy: Path | None,
) -> int:
    """List the exceptions of FILE with their status (active, expiring, expired, pending)."""
    from gatekeeper.jsonio import dumps
    from gatekeeper.waivers import listing

    moment = parse_time(now)
    rows = listing(_read_exceptions(file, config_path, policies, org_policy), moment, expiring)
    if format_ == "json":
        document = {"file": str(file), "now": moment.isoformat(), "exceptions": rows}
        click.echo(dumps(document).decode(), nl=False)
        return 0
    click.echo(f"{'ID':<24}  {'STATUS':<8}  {'EXPIRES':<10}  {'LEFT':>5}  CONTROLS")
    for row in rows:
        status = "expiring" if row.get("expiring") else row["status"]
        left = f"{row['days_left']}d" if "days_left" in row else "-"
        line = f"{row['id'][:24]:<24}  {status:<8}  {row['expires'][:10]:<10}  {left:>5}  "
        click.echo(line + ", ".join(row["controls"]))
    return 0


# --- adoption: gatekeeper init, evidence recipes (docs/adopt.md) ------------------------------


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True),
                default=".")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="What is being gated (classical-ml, llm-app, rag, agent, "
              "training-pipeline); repeat for a system of several kinds.")
@click.option("--name", help="The system's name (default: the folder's name).")
@click.option("--force", is_flag=True, help="Overwrite gatekeeper.yaml and ai-system.yaml.")
def init(folder: Path, kinds: tuple[str, ...], name: str | None, force: bool) -> int:
    """Write a first gatekeeper.yaml and ai-system.yaml for the repository in FOLDER."""
    from gatekeeper import init as setup
    from gatekeeper.kinds import KINDS
    from gatekeeper.recipes import plan
    from gatekeeper.survey import survey

    root = folder.resolve()
    found = survey(root)
    if not kinds and sys.stdin.isatty():
        kinds = tuple(click.prompt(
            f"What is being gated? ({', '.join(KINDS)}; comma-separated)",
            default=setup.suggested_kind(found)).replace(" ", "").split(","))
    kinds = setup.check_kinds(kinds)
    system = name or root.name
    for file, text in ((setup.CONFIG_FILE, setup.config_text(found, system, kinds)),
                       (setup.MANIFEST_FILE, setup.manifest_text(found, system, kinds))):
        click.echo(f"{setup.write_new(root / file, text, force)}: {file}")
    click.echo(_survey_summary(found))
    missing = setup.missing_evidence(found, plan(found, kinds, offline=False))
    if missing:
        click.echo("\nEvidence still missing, and what produces it "
                   "(`gatekeeper evidence run` runs the tools that are installed):")
        for what, command in missing:
            click.echo(f"  {what}\n      {command}")
    click.echo("\nFill in the TBDs of ai-system.yaml, then: gatekeeper evidence run && "
               "gatekeeper check")
    return 0


def _survey_summary(found: Any) -> str:
    counts = [(len(found.model_files), "model file"), (len(found.dockerfiles), "Dockerfile"),
              (len(found.kubernetes), "Kubernetes manifest"),
              (len(found.terraform), "Terraform file"),
              (len(found.requirements) + len(found.lock_files), "dependency file"),
              (len(found.evidence), "evidence file"), (len(found.ci_workflows), "CI workflow")]
    return "found: " + ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for n, what in counts)


@cli.group()
def evidence() -> None:
    """Produce evidence with the standard tools (recipes)."""


offline_option = click.option("--offline", is_flag=True,
                              help="Skip the recipes that need the network (pip-audit, ...).")


def _recipe_plan(config_path: Path, offline: bool) -> tuple[Any, list[Any]]:
    from gatekeeper.recipes import plan
    from gatekeeper.survey import survey

    config = _load_config(config_path)
    return config, plan(survey(config.path.parent), _declared_kinds(config), offline)


def _declared_kinds(config: Any) -> tuple[str, ...]:
    """The kinds ai-system.yaml declares (``kinds:``); none without a manifest."""
    from gatekeeper.jsonio import list_or_empty, mapping_or_empty
    from gatekeeper.yamlio import load_yaml_file

    manifest = config.evidence.get("manifest")
    if not isinstance(manifest, str) or not (config.path.parent / manifest).is_file():
        return ()
    declared = mapping_or_empty(load_yaml_file(config.path.parent / manifest))
    return tuple(str(kind) for kind in list_or_empty(declared.get("kinds")))


def _print_steps(steps: list[Any]) -> None:
    for step in steps:
        state = "run " if step.skip is None else "skip"
        reason = f"  ({step.skip})" if step.skip else ""
        click.echo(f"{state}  {step.recipe.name:<13} {step.shown}{reason}")


@evidence.command("plan")
@config_option
@offline_option
def evidence_plan(config_path: Path, offline: bool) -> int:
    """Print the recipes that apply to this repository, and which would be skipped and why."""
    _, steps = _recipe_plan(config_path, offline)
    _print_steps(steps)
    if not steps:
        click.echo("no recipe applies: no model, Python, IaC or dependency file found")
    return 0


@evidence.command("run")
@config_option
@offline_option
def evidence_run(config_path: Path, offline: bool) -> int:
    """Run the recipes whose tools are installed, into evidence/, and list their outputs in
    gatekeeper.yaml (exit 3 when a tool failed)."""
    from gatekeeper import init as setup
    from gatekeeper import mlbom
    from gatekeeper.recipes import run
    from gatekeeper.survey import survey

    config, steps = _recipe_plan(config_path, offline)
    outcomes = run(steps, config.path.parent, lambda output: mlbom.write(config, output))
    for outcome in outcomes:
        click.echo(f"{'ok  ' if outcome.ok else 'FAIL'}  {outcome.step.recipe.name:<13} "
                   f"{outcome.step.output}  ({outcome.detail})")
    for step in steps:
        if step.skip is not None:
            click.echo(f"skip  {step.recipe.name:<13} {step.skip}")
    produced = _config_entries([o.step for o in outcomes if o.ok])
    # Documents, Dockerfiles and reports written since init are listed too.
    found = setup.evidence_entries(survey(config.path.parent))
    produced.update({key: value for key, value in found.items() if key not in produced})
    if produced and not setup.update_block(config.path, produced):
        click.echo(f"{config.path.name} has no evidence block written by gatekeeper init; "
                   "add these under evidence: yourself:")
        click.echo(_yaml_lines(produced))
    return EXIT_EVIDENCE_ERROR if any(not o.ok for o in outcomes) else 0


def _config_entries(steps: list[Any]) -> dict[str, Any]:
    """The ``evidence:`` entries of the files the steps produced."""
    entries: dict[str, list[Any]] = {}
    for step in steps:
        key = step.recipe.config_key.split(".", 1)[1]
        extra = {name: value.format(model_dir=_argument_after(step, "-p"))
                 for name, value in step.recipe.entry.items()}
        entries.setdefault(key, []).append({"path": step.output, **extra} if extra
                                           else step.output)
    return dict(entries)


def _argument_after(step: Any, flag: str) -> str:
    argv = list(step.argv)
    return argv[argv.index(flag) + 1] if flag in argv else "."


def _yaml_lines(entries: dict[str, Any]) -> str:
    import yaml

    return yaml.safe_dump({"evidence": entries}, sort_keys=False).rstrip()


@evidence.command("mlbom")
@config_option
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
              default="evidence/mlbom.cdx.json", show_default=True)
def evidence_mlbom(config_path: Path, output: Path) -> int:
    """Write a CycloneDX ML-BOM of the model artifacts (names and versions from ai-system.yaml)."""
    from gatekeeper import mlbom

    config = _load_config(config_path)
    count = mlbom.write(config, output)
    click.echo(f"wrote {output} ({count} model{'s' if count != 1 else ''})")
    return 0


def _terminated(signum: int, frame: Any) -> None:
    """SIGTERM unwinds like an error, so a half-staged output is removed (gatekeeper.outputs)."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> None:
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main_thread else None
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
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
    if argv is None:
        # The process ends here. Without this, the interpreter's shutdown walks every object
        # in cyclic collections once per module torn down: 0.15 s of a 1 s example run.
        gc.freeze()
    sys.exit(code if isinstance(code, int) else 0)
