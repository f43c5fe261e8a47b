"""What `gatekeeper model` shows: each view of the catalog as plain data, and as text.

Views: domains, levels, questions, roadmap, checklist, glossary. ``--domain`` narrows the
domain-shaped views; which questions are automated comes from the loaded controls.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from gatekeeper.errors import ConfigError

if TYPE_CHECKING:  # the CLI imports VIEWS at start-up; the catalog loads only when used
    from gatekeeper.catalog.loader import Catalog, Question

VIEWS = ("domains", "levels", "questions", "roadmap", "checklist", "glossary")
WIDTH = 80


def question_data(question: Question, controls: tuple[str, ...]) -> dict[str, Any]:
    return {
        "id": question.id,
        "domain": question.domain,
        "text": question.text,
        "target_level": question.target_level,
        "phase": question.phase,
        "mode": "automated" if controls else "attested",
        "controls": list(controls),
        "evidence_hint": question.evidence_hint,
        "frameworks": {key: list(ids) for key, ids in question.frameworks.items()},
    }


def _domains(catalog: Catalog, links: Mapping[str, tuple[str, ...]], domain: str | None) -> Any:
    return [
        {
            "id": d.id,
            "name": d.name,
            "table_name": d.table_name,
            "scope": d.scope,
            "levels": [
                {"level": level.level, "name": level.name, "description": text}
                for level, text in zip(catalog.levels, d.levels, strict=True)
            ],
            "standards_alignment": d.standards_alignment,
            "questions": len(catalog.domain_questions(d.id)),
            "automated": sum(bool(links[q.id]) for q in catalog.domain_questions(d.id)),
        }
        for d in catalog.domains
        if domain in (None, d.id)
    ]


def _levels(catalog: Catalog, links: Mapping[str, tuple[str, ...]], domain: str | None) -> Any:
    if domain is not None:
        return {"domain": domain, "levels": _domains(catalog, links, domain)[0]["levels"]}
    return {
        "levels": [vars(level) for level in catalog.levels],
        "scale": [vars(point) for point in catalog.scale],
    }


def _questions(catalog: Catalog, links: Mapping[str, tuple[str, ...]], domain: str | None) -> Any:
    return [
        question_data(q, links[q.id]) for q in catalog.questions if domain in (None, q.domain)
    ]


def _roadmap(catalog: Catalog, links: Mapping[str, tuple[str, ...]], domain: str | None) -> Any:
    return [
        {
            "id": phase.id,
            "name": phase.name,
            "levels": list(phase.levels),
            "objectives": list(phase.objectives),
            "guardrails": list(phase.guardrails),
            "questions": [
                q.id for q in catalog.questions
                if q.phase == phase.id and domain in (None, q.domain)
            ],
        }
        for phase in catalog.phases
    ]


def _checklist(catalog: Catalog, links: Mapping[str, tuple[str, ...]], domain: str | None) -> Any:
    return [{"id": c.id, "name": c.name, "items": list(c.items)} for c in catalog.checklists]


def _glossary(catalog: Catalog, links: Mapping[str, tuple[str, ...]], domain: str | None) -> Any:
    return [vars(term) for term in catalog.glossary]


_DATA = {
    "domains": _domains,
    "levels": _levels,
    "questions": _questions,
    "roadmap": _roadmap,
    "checklist": _checklist,
    "glossary": _glossary,
}
_WHOLE_MODEL = ("checklist", "glossary")


def view_data(
    name: str, catalog: Catalog, links: Mapping[str, tuple[str, ...]], domain: str | None = None
) -> Any:
    """The view as plain data; ``links`` maps each question to the controls that answer it."""
    if domain is not None and name in _WHOLE_MODEL:
        raise ConfigError(f"--domain does not apply to `gatekeeper model {name}`")
    return _DATA[name](catalog, links, domain)


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent if first is None else first,
        subsequent_indent=indent, break_on_hyphens=False,
    )


def _text_domains(data: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for d in data:
        lines += [
            f"{d['id']}  {d['name']}  ({d['questions']} questions, {d['automated']} automated)",
            *_wrap(d["scope"]),
        ]
        if len(data) == 1:
            for level in d["levels"]:
                lines += _wrap(level["description"], "      ",
                               f"  L{level['level']} {level['name']}: ")
            lines += _wrap(d["standards_alignment"], "    ", "  Standards: ")
        lines.append("")
    return lines


def _text_levels(data: dict[str, Any]) -> list[str]:
    lines = [f"Levels of {data['domain']}:" if "domain" in data else "Maturity levels:"]
    for level in data["levels"]:
        lines += _wrap(level["description"], "      ", f"  L{level['level']} {level['name']}: ")
    if "scale" in data:
        lines += ["", "Response scale (question scores):"]
        for point in data["scale"]:
            lines += _wrap(point["description"], "      ", f"  {point['score']}  {point['name']}: ")
    return [*lines, ""]


def _text_questions(data: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    domain = None
    for q in data:
        if q["domain"] != domain:
            domain = q["domain"]
            lines += ["", domain] if lines else [domain]
        how = "controls: " + ", ".join(q["controls"]) if q["controls"] else "attested"
        lines += _wrap(q["text"], " " * 14, f"  {q['id']:<8}L{q['target_level']}  ")
        lines += _wrap(how, " " * 16, " " * 14)
    return [*lines, ""]


def _text_roadmap(data: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for phase in data:
        low, high = phase["levels"]
        lines.append(f"{phase['id']}  {phase['name']} (levels {low}-{high})")
        for objective in phase["objectives"]:
            lines += _wrap(objective, "    ", "  - ")
        for guardrail in phase["guardrails"]:
            lines += _wrap(guardrail, "    ", "  guardrail: ")
        lines += _wrap(", ".join(phase["questions"]) or "none", "    ", "  questions: ")
        lines.append("")
    return lines


def _text_checklist(data: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for checklist in data:
        lines.append(checklist["name"])
        for item in checklist["items"]:
            lines += _wrap(item, "    ", "  - ")
        lines.append("")
    return lines


def _text_glossary(data: list[dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    for term in data:
        lines += _wrap(term["definition"], "    ", f"{term['term']}: ")
    return [*lines, ""]


_TEXT: dict[str, Callable[[Any], list[str]]] = {
    "domains": _text_domains,
    "levels": _text_levels,
    "questions": _text_questions,
    "roadmap": _text_roadmap,
    "checklist": _text_checklist,
    "glossary": _text_glossary,
}


def render_text(name: str, data: Any) -> str:
    return "\n".join(_TEXT[name](data)).rstrip("\n") + "\n"
