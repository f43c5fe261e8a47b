"""The import layering: no stage imports a later one.

Every module of the package is given a stage; every import it makes (at the top, inside a
function, under ``TYPE_CHECKING``: all of them, read with ``ast``) must be of its own stage or
an earlier one. A module no stage names fails the test, so a new module is placed on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gatekeeper"

# In order. A name covers its submodules, except the package itself (``gatekeeper``: the
# version), which covers only itself.
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base helpers", (
        "gatekeeper", "gatekeeper.errors", "gatekeeper.jsonio", "gatekeeper.yamlio",
        "gatekeeper.timeutil", "gatekeeper.identity", "gatekeeper.schemas", "gatekeeper.config",
        "gatekeeper.catalog", "gatekeeper.outputs", "gatekeeper.kinds", "gatekeeper.survey",
        "gatekeeper.recipes", "gatekeeper.mlbom",
    )),
    ("collect", ("gatekeeper.evidence",)),
    ("evaluate", ("gatekeeper.engine",)),
    ("verdict", ("gatekeeper.verdict",)),
    ("outcomes", ("gatekeeper.results",)),
    ("waive, compare, score", (
        "gatekeeper.waivers",
        "gatekeeper.baseline", "gatekeeper.scoring", "gatekeeper.attestations",
        "gatekeeper.org_policy", "gatekeeper.prior_runs", "gatekeeper.selection",
    )),
    ("pipeline", ("gatekeeper.pipeline",)),
    ("report", ("gatekeeper.reporters",)),
    ("after the run", ("gatekeeper.history", "gatekeeper.aggregate", "gatekeeper.assess",
                       "gatekeeper.serve", "gatekeeper.init")),
    ("command line", ("gatekeeper.cli", "gatekeeper.__main__")),
)

# Imports of a later stage that stay, each with its reason. The test fails when one is no
# longer made, so this list cannot go stale.
ALLOWED: dict[tuple[str, str], str] = {
    ("gatekeeper.config", "gatekeeper.evidence.signing.trust"):
        "trust files are read when the configuration loads, so a bad key or root is a "
        "configuration error (exit 2) naming both files; imported inside check_trust, only "
        "when `trust:` is set",
    ("gatekeeper.config", "gatekeeper.history.url"):
        "`history:` is validated (a password in its URL refused) when the configuration "
        "loads; history/url.py reads a URL and imports only gatekeeper.errors",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def stage_of(module: str) -> int | None:
    """The index of the stage a module belongs to (the longest name that covers it)."""
    best: tuple[int, int] | None = None
    for index, (_, names) in enumerate(STAGES):
        for name in names:
            covers = module == name or (name != "gatekeeper" and module.startswith(name + "."))
            if covers and (best is None or len(name) > best[0]):
                best = (len(name), index)
    return best[1] if best else None


def imports_of(source: str, module: str, is_package: bool) -> set[str]:
    """Every gatekeeper module a source imports, wherever the import statement is."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
            # `from gatekeeper.x import y` imports the module gatekeeper.x.y when y is one
            found.update(f"{name}.{alias.name}" for alias in node.names
                         if f"{name}.{alias.name}" in MODULES)
    return {name for name in found if name == "gatekeeper" or name.startswith("gatekeeper.")}


def violations() -> set[tuple[str, str]]:
    found = set()
    for module, path in MODULES.items():
        own = stage_of(module)
        assert own is not None
        for imported in imports_of(path.read_text(encoding="utf-8"), module,
                                   path.name == "__init__.py"):
            later = stage_of(imported)
            if later is not None and later > own:
                found.add((module, imported))
    return found


def test_every_module_has_a_stage():
    assert [m for m in MODULES if stage_of(m) is None] == []


def test_no_stage_imports_a_later_one():
    unexplained = sorted(violations() - ALLOWED.keys())
    assert unexplained == [], "\n".join(
        f"{module} ({STAGES[stage_of(module) or 0][0]}) imports {imported} "
        f"({STAGES[stage_of(imported) or 0][0]})" for module, imported in unexplained
    )


def test_every_allowed_exception_is_still_needed():
    assert sorted(ALLOWED.keys() - violations()) == []


def test_the_shared_report_views_import_no_reporter():
    source = (PACKAGE / "reporters" / "view.py").read_text(encoding="utf-8")
    imported = imports_of(source, "gatekeeper.reporters.view", False)
    assert sorted(m for m in imported if m.startswith("gatekeeper.reporters")) == []


@pytest.mark.parametrize("name", ["junit", "sarif", "github", "markdown", "html", "oscal"])
def test_a_reporter_reads_the_results_document_not_the_catalog_or_the_engine(name):
    source = (PACKAGE / "reporters" / f"{name}.py").read_text(encoding="utf-8")
    imported = imports_of(source, f"gatekeeper.reporters.{name}", False)
    assert sorted(m for m in imported if stage_of(m) in (0, 1, 2)
                  and m.startswith(("gatekeeper.catalog", "gatekeeper.engine",
                                    "gatekeeper.evidence", "gatekeeper.config"))) == []


def test_imports_inside_functions_and_relative_imports_are_read():
    source = (
        "from . import view\n"
        "def render():\n"
        "    from gatekeeper.cli import main\n"
        "    import gatekeeper.pipeline\n"
    )
    assert imports_of(source, "gatekeeper.reporters.text", False) >= {
        "gatekeeper.reporters", "gatekeeper.reporters.view", "gatekeeper.cli",
        "gatekeeper.pipeline",
    }


def test_a_later_stage_is_later():
    assert stage_of("gatekeeper.evidence.documentation.front_matter") == 1
    assert stage_of("gatekeeper.waivers") > stage_of("gatekeeper.evidence.scans.sarif")
    assert stage_of("gatekeeper.reporters.view") < stage_of("gatekeeper.cli")
    assert stage_of("gatekeeper") == 0 and stage_of("gatekeeper.cli") == len(STAGES) - 1
