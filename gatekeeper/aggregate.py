"""`gatekeeper aggregate`: many systems' results rolled up to the organization.

Each results file is one AI system's run (its ``maturity`` section). Per question, the seed's
response scale is applied to coverage across the systems, where a system "has" a question
when it scores at least 3 there:

  0  none: every system scores 0
  1  inconsistent: some system has partial evidence (1-2), none has it
  2  some systems have it
  3  every system has it (organization-wide)
  4  every system has it and the organization is improving: the question's mean score rose
     over the ``--previous`` results (or holds at 4); without --previous the trend is unknown
     and the score stops at 3

The organization's domain levels follow from these scores with the same CMMI staged rule as
one system's. A results file of another schema version, or without a maturity section, is an
error (exit 2), never a silent mix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean
from typing import Any

import orjson

from gatekeeper import __version__
from gatekeeper.catalog.loader import Catalog, load_catalog
from gatekeeper.errors import ConfigError
from gatekeeper.schemas import load_document
from gatekeeper.scoring import MET, overall, rounded_mean, score_domains

AGGREGATE_SCHEMA_VERSION = "1"
READS_RESULTS_VERSION = "1"
ORG_BLOCKER_KEYS = ("text", "score", "target_level", "phase", "systems_met", "systems_total")


@dataclass(frozen=True)
class SystemRun:
    path: Path | str  # a results file, or ``history:run/<n>`` for a run from the history
    results: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.results["subject"]["name"])

    @property
    def title(self) -> str:
        subject = self.results["subject"]
        return " ".join(filter(None, [subject["name"], subject.get("version")]))

    def scores(self) -> dict[str, int]:
        return {q["id"]: q["score"] for q in self.results["maturity"]["questions"]}


def load_run(path: Path, catalog: Catalog) -> SystemRun:
    results, _ = load_document(
        path, "results", what="results", error_type=ConfigError,
        hint="re-run `gatekeeper check` for this system with this version of gatekeeper: "
        "aggregate never mixes versions",
    )
    if "maturity" not in results:
        raise ConfigError(
            "no maturity section", path=path, hint="re-run `gatekeeper check` to score maturity"
        )
    check_questions([q["id"] for q in results["maturity"]["questions"]], catalog, path)
    return SystemRun(path, results)


def check_questions(found: list[str], catalog: Catalog, where: Path | str) -> None:
    """A run scored by another catalog is never mixed in: the same questions, in order."""
    if found != [q.id for q in catalog.questions]:
        raise ConfigError(
            f"maturity.questions: expected the catalog's {len(catalog.questions)} questions in "
            f"order, found {len(found)}",
            path=where,
        )


def load_runs(paths: Sequence[Path], catalog: Catalog, role: str) -> list[SystemRun]:
    runs: list[SystemRun] = []
    for path in paths:
        run = load_run(path, catalog)
        twin = next((r for r in runs if r.name == run.name), None)
        if twin is not None:
            raise ConfigError(
                f"{role}: system {run.name!r} is also in {twin.path}; give one results file per "
                "system",
                path=path,
            )
        runs.append(run)
    return runs


def coverage_score(scores: Sequence[int], previous: Sequence[int] = ()) -> int:
    """The seed's scale over systems: 0 none ... 3 organization-wide, 4 and improving over
    the previous scores (mean higher, or holding at 4)."""
    met = sum(score >= MET for score in scores)
    if met == len(scores):
        mean, before = fmean(scores), fmean(previous) if previous else None
        improving = before is not None and (mean > before or mean == before == 4)
        return 4 if improving else 3
    if met:
        return 2
    return 1 if any(scores) else 0


def organization_questions(
    runs: Sequence[SystemRun], previous: Sequence[SystemRun], catalog: Catalog
) -> list[dict[str, Any]]:
    now = [run.scores() for run in runs]
    before = [run.scores() for run in previous]
    questions = []
    for question in catalog.questions:
        scores = [s[question.id] for s in now]
        earlier = [s[question.id] for s in before]
        questions.append({
            "id": question.id,
            "domain": question.domain,
            "text": question.text,
            "target_level": question.target_level,
            "phase": question.phase,
            "score": coverage_score(scores, earlier),
            "systems_met": sum(score >= MET for score in scores),
            "systems_total": len(scores),
            "mean": rounded_mean(scores),
            "previous_mean": rounded_mean(earlier) if earlier else None,
        })
    return questions


def _system(run: SystemRun) -> dict[str, Any]:
    maturity = run.results["maturity"]
    return {
        "name": run.name,
        "version": run.results["subject"].get("version"),
        "file": str(run.path),
        "evaluated_at": run.results["evaluated_at"],
        "verdict": run.results["verdict"]["outcome"],
        "overall": maturity["overall"],
        "domains": {d["id"]: d["level"] for d in maturity["domains"]},
    }


def aggregate(
    paths: Sequence[Path], previous_paths: Sequence[Path] = (), catalog: Catalog | None = None
) -> dict[str, Any]:
    """The organization roll-up document (schemas/aggregate.schema.json)."""
    catalog = catalog or load_catalog()
    if not paths:
        raise ConfigError("give at least one results file (gatekeeper-results.json)")
    runs = load_runs(paths, catalog, "results")
    previous = load_runs(previous_paths, catalog, "--previous")
    return roll_up(runs, previous, catalog)


def aggregate_history(store: Any, catalog: Catalog | None = None) -> dict[str, Any]:
    """The roll-up over each system's latest run in the history (``gatekeeper.history``),
    compared with each system's run before it (the improvement a score of 4 needs)."""
    catalog = catalog or load_catalog()
    latest: list[SystemRun] = []
    previous: list[SystemRun] = []
    for row in store.latest(depth=2):
        run = history_run(row, catalog)
        (latest if row["rank"] == 1 else previous).append(run)
    if not latest:
        raise ConfigError("the history holds no runs", hint="push results first "
                          "(gatekeeper check --history URL, or gatekeeper history push)")
    return roll_up(latest, previous, catalog)


def history_run(row: dict[str, Any], catalog: Catalog) -> SystemRun:
    """A stored run as the parts of a results document that the roll-up reads."""
    where = f"history:run/{row['id']}"
    if row["maturity"] is None:
        raise ConfigError("no maturity section", path=where,
                          hint="re-run `gatekeeper check` to score maturity and push again")
    scores, ids = row["scores"], [q.id for q in catalog.questions]
    if set(scores) != set(ids):  # stored rows have no order of their own: compare as sets
        check_questions(list(scores), catalog, where)
    maturity = orjson.loads(row["maturity"])
    return SystemRun(where, {
        "subject": {"name": row["system"], "version": row["version"]},
        "evaluated_at": row["evaluated_at"],
        "verdict": {"outcome": row["verdict"]},
        "maturity": {
            "overall": maturity["overall"],
            "domains": [{"id": d, "level": level} for d, level in maturity["domains"].items()],
            "questions": [{"id": q, "score": scores[q]} for q in ids],
        },
    })


def roll_up(
    runs: Sequence[SystemRun], previous: Sequence[SystemRun], catalog: Catalog
) -> dict[str, Any]:
    questions = organization_questions(runs, previous, catalog)
    domains = score_domains(questions, catalog, None, ORG_BLOCKER_KEYS)
    if previous:
        earlier_questions = organization_questions(previous, [], catalog)
        before = score_domains(earlier_questions, catalog, None, ORG_BLOCKER_KEYS)
        for domain, earlier in zip(domains, before, strict=True):
            domain["previous_level"] = earlier["level"]
    return {
        "schema_version": AGGREGATE_SCHEMA_VERSION,
        "tool": {"name": "gatekeeper", "version": __version__},
        "systems": [_system(run) for run in runs],
        "previous": [str(run.path) for run in previous],
        "organization": {
            "overall": overall(domains, questions),
            "domains": domains,
            "questions": questions,
        },
    }


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _trend(domain: dict[str, Any]) -> str:
    """↑ or ↓ against the --previous results' level; nothing when equal or not compared."""
    before = domain.get("previous_level", domain["level"])
    return "↑" if domain["level"] > before else "↓" if domain["level"] < before else ""


def render_text(document: dict[str, Any], width: int = 80) -> str:
    organization = document["organization"]
    systems = document["systems"]
    total = organization["overall"]
    compared = f" · compared with {len(document['previous'])} previous"
    lines = [
        f"gatekeeper aggregate · {len(systems)} system{'s' if len(systems) != 1 else ''}"
        + (compared if document["previous"] else ""),
        "Question scores over systems: 0 none, 1 inconsistent, 2 some systems,",
        "3 organization-wide, 4 organization-wide and improving (needs --previous)",
        "",
        f"ORGANIZATION  level {total['level']} (lowest domain) · mean level "
        f"{total['mean_level']:.1f} · mean score {total['mean']:.2f}/4",
        f"{'DOMAIN':<8}{'LEVEL':<7}{'MET':<7}FIRST BLOCKING QUESTION (score, systems meeting it)",
    ]
    for domain in organization["domains"]:
        level = f"{domain['level']}{_trend(domain)}"
        met = f"{domain['questions_met']}/{domain['questions_total']}"
        cell = "(top level)"
        if domain["blockers"]:
            b = domain["blockers"][0]
            cell = (f"{b['question']} {b['score']}/4 ({b['systems_met']} of "
                    f"{b['systems_total']}): {b['text']}")
        lines.append(f"{domain['id']:<8}{level:<7}{met:<7}{_clip(cell, width - 22)}")
    ids = [d["id"] for d in organization["domains"]]
    name_width = width - 4 * (len(ids) + 1)
    lines += ["", f"{'PER SYSTEM':<{name_width}}{'ALL':>4}" + "".join(f"{i:>4}" for i in ids)]
    for system in systems:
        title = " ".join(filter(None, [system["name"], system["version"]]))
        lines.append(
            f"{_clip(title, name_width - 1):<{name_width}}{system['overall']['level']:>4}"
            + "".join(f"{system['domains'][i]:>4}" for i in ids)
        )
    return "\n".join(lines) + "\n"
