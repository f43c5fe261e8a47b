"""The maturity model as data: the YAML files beside this module, read into frozen values.

``model.yaml`` (levels, response scale, domains), ``questions.yaml`` (the 78 questions),
``roadmap.yaml`` (phases, checklists) and ``glossary.yaml`` are transcribed from the seed
document and checked against it by the tests; ``prerequisites.yaml`` says which questions of a
domain build on which (read from the seed's wording; see gatekeeper.scoring). Which controls
answer a question is not in these files: each control's METADATA names its questions, so
``answering_controls`` derives the link from whatever policies are loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Protocol

from gatekeeper.catalog import DOMAINS, QUESTION_COUNTS
from gatekeeper.errors import PolicyError

FRAMEWORKS = ("nist_ai_rmf", "owasp_llm", "atlas", "saif")


@dataclass(frozen=True)
class Level:
    level: int
    name: str
    description: str


@dataclass(frozen=True)
class ScalePoint:
    score: int
    name: str
    description: str


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    table_name: str
    scope: str
    levels: tuple[str, ...]  # the five level descriptions, level 1 first
    standards_alignment: str


@dataclass(frozen=True)
class Phase:
    id: str
    name: str
    levels: tuple[int, int]
    objectives: tuple[str, ...]
    guardrails: tuple[str, ...] = ()

    @property
    def number(self) -> int:
        return int(self.id.removeprefix("phase-"))


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    target_level: int
    phase: str
    evidence_hint: str
    frameworks: dict[str, tuple[str, ...]]

    @property
    def domain(self) -> str:
        return self.id.split("-", 1)[0]


@dataclass(frozen=True)
class Checklist:
    id: str
    name: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    term: str
    definition: str


@dataclass(frozen=True)
class Catalog:
    levels: tuple[Level, ...]
    scale: tuple[ScalePoint, ...]
    domains: tuple[Domain, ...]
    questions: tuple[Question, ...]
    phases: tuple[Phase, ...]
    checklists: tuple[Checklist, ...]
    glossary: tuple[Term, ...]
    # question id -> the questions it builds on (same domain, lower target level)
    prerequisites: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def domain(self, domain_id: str) -> Domain:
        return next(d for d in self.domains if d.id == domain_id)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    def phase(self, phase_id: str) -> Phase:
        return next(p for p in self.phases if p.id == phase_id)

    def domain_questions(self, domain_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.domain == domain_id)


class NamesQuestions(Protocol):
    """Anything with an id and the questions it answers (a loaded Control)."""

    @property
    def id(self) -> str: ...

    @property
    def questions(self) -> tuple[str, ...]: ...


def phase_for_target(phases: tuple[Phase, ...], target_level: int) -> str:
    """The first phase whose level range reaches the target level (2 -> phase-1, 5 -> phase-4)."""
    return next(p.id for p in phases if p.levels[1] >= target_level)


def answering_controls(
    catalog: Catalog, controls: Iterable[NamesQuestions]
) -> dict[str, tuple[str, ...]]:
    """Question id -> the ids of the controls whose METADATA names it (empty: attested)."""
    answers: dict[str, list[str]] = {q.id: [] for q in catalog.questions}
    for control in controls:
        for question in control.questions:
            answers[question].append(control.id)
    return {question: tuple(ids) for question, ids in answers.items()}


DATA_FILES = (
    "model.yaml", "questions.yaml", "roadmap.yaml", "glossary.yaml", "prerequisites.yaml"
)


def _read(name: str) -> dict[str, Any]:
    """One shipped data file. libyaml's safe loader, when present, parses it ten times faster
    than the strict pure-Python one (~20 ms instead of ~190 ms on every run); the strict
    loader is for files people write, and the tests read these files with it too."""
    import yaml

    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        loaded: dict[str, Any] = yaml.load(text, Loader=loader)
        return loaded
    except yaml.YAMLError as error:
        raise PolicyError(
            f"broken catalog data: {error}", path=f"gatekeeper/catalog/{name}"
        ) from None


def _phases(raw: list[dict[str, Any]]) -> tuple[Phase, ...]:
    return tuple(
        Phase(
            id=item["id"],
            name=item["name"],
            levels=(item["levels"][0], item["levels"][1]),
            objectives=tuple(item["objectives"]),
            guardrails=tuple(item.get("guardrails", [])),
        )
        for item in raw
    )


def _question(item: dict[str, Any], phases: tuple[Phase, ...]) -> Question:
    return Question(
        id=item["id"],
        text=item["text"],
        target_level=item["target_level"],
        phase=phase_for_target(phases, item["target_level"]),
        evidence_hint=" ".join(item["evidence_hint"].split()),
        frameworks={key: tuple(item["frameworks"].get(key, [])) for key in FRAMEWORKS},
    )


@cache
def load_catalog() -> Catalog:
    model, roadmap = _read("model.yaml"), _read("roadmap.yaml")
    phases = _phases(roadmap["phases"])
    catalog = Catalog(
        levels=tuple(Level(**item) for item in model["levels"]),
        scale=tuple(ScalePoint(**item) for item in model["scale"]),
        domains=tuple(
            Domain(**{**item, "levels": tuple(item["levels"])}) for item in model["domains"]
        ),
        questions=tuple(_question(item, phases) for item in _read("questions.yaml")["questions"]),
        phases=phases,
        checklists=tuple(
            Checklist(item["id"], item["name"], tuple(item["items"]))
            for item in roadmap["checklists"]
        ),
        glossary=tuple(Term(**item) for item in _read("glossary.yaml")["glossary"]),
        prerequisites={
            question: tuple(required)
            for question, required in _read("prerequisites.yaml")["prerequisites"].items()
        },
    )
    _check_shape(catalog)
    _check_prerequisites(catalog)
    return catalog


def _check_shape(catalog: Catalog) -> None:
    """The data agrees with the fixed shape the policy loader relies on (DOMAINS, counts)."""
    if tuple(d.id for d in catalog.domains) != DOMAINS:
        raise PolicyError("catalog domains differ from gatekeeper.catalog.DOMAINS")
    for domain in DOMAINS:
        ids = [q.id for q in catalog.domain_questions(domain)]
        expected = [f"{domain}-Q{n}" for n in range(1, QUESTION_COUNTS[domain] + 1)]
        if ids != expected:
            raise PolicyError(f"catalog questions of {domain}: expected {expected}, got {ids}")


def _check_prerequisites(catalog: Catalog) -> None:
    """Every prerequisite links two known questions of one domain, the required one at a lower
    target level (so scoring in target-level order sees prerequisites first)."""
    targets = {q.id: q.target_level for q in catalog.questions}
    where = "gatekeeper/catalog/prerequisites.yaml"
    for question, required in catalog.prerequisites.items():
        for prerequisite in (question, *required):
            if prerequisite not in targets:
                raise PolicyError(f"{question}: unknown question {prerequisite!r}", path=where)
        for prerequisite in required:
            if prerequisite.split("-")[0] != question.split("-")[0]:
                raise PolicyError(
                    f"{question}: prerequisite {prerequisite} is in another domain", path=where
                )
            if targets[prerequisite] >= targets[question]:
                raise PolicyError(
                    f"{question} (target {targets[question]}): prerequisite {prerequisite} "
                    f"must have a lower target level, not {targets[prerequisite]}",
                    path=where,
                )
