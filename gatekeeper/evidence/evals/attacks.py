"""The attack-class table (``attack_classes.yaml``): which class of attack a red-team test is.

garak probes are looked up by family, promptfoo plugins and strategies by id and then by the
id's prefix. ``None`` means the test attacks nothing (garak's ``test`` probes); a name the
table does not know is class ``other``, which is gated like any class.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from gatekeeper.yamlio import load_yaml_text

OTHER = "other"
TABLES = ("garak", "promptfoo_plugins", "promptfoo_strategies")


@cache
def table() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("attack_classes.yaml").read_text("utf-8")
    classes: dict[str, Any] = load_yaml_text(text, "gatekeeper/evidence/evals/attack_classes.yaml")
    return classes


def class_of(kind: str, name: str) -> str | None:
    """The class of garak probe ``name`` (kind ``garak``) or a promptfoo plugin or strategy."""
    entries = table()[kind]
    key = name.split(".", 1)[0] if kind == "garak" else name
    for candidate in (key, key.split(":", 1)[0]):
        if candidate in entries:
            found: str | None = entries[candidate]
            return found
    return OTHER


def describe(class_id: str) -> dict[str, Any]:
    """``{"id", "title", "owasp_llm", "atlas"}`` of one class, as the evidence carries it."""
    entry = table()["classes"][class_id]
    return {
        "id": class_id,
        "title": entry["title"],
        "owasp_llm": list(entry["owasp_llm"]),
        "atlas": list(entry["atlas"]),
    }


def classes_of_technique(technique: str) -> list[str]:
    """The classes whose ATLAS techniques include ``technique`` or the technique it is a
    sub-technique of (AML.T0024.000 is a case of AML.T0024)."""
    parent = technique[: len("AML.T0000")]
    return sorted(
        class_id
        for class_id, entry in table()["classes"].items()
        if technique in entry["atlas"] or parent in entry["atlas"]
    )
