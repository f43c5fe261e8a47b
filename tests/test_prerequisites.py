"""The prerequisite map between questions: data, validated when the catalog loads."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gatekeeper.catalog.loader import _check_prerequisites, load_catalog
from gatekeeper.errors import PolicyError


def _check(prerequisites: dict) -> None:
    _check_prerequisites(replace(load_catalog(), prerequisites=prerequisites))


def test_every_shipped_prerequisite_is_lower_and_in_the_same_domain():
    catalog = load_catalog()
    target = {q.id: q.target_level for q in catalog.questions}
    assert catalog.prerequisites  # the map is there, and loaded
    for question, required in catalog.prerequisites.items():
        for prerequisite in required:
            assert prerequisite[:3] == question[:3]
            assert target[prerequisite] < target[question]


@pytest.mark.parametrize(("prerequisites", "problem"), [
    ({"GRC-Q6": ("GRC-Q9",)}, "GRC-Q6: unknown question 'GRC-Q9'"),
    ({"GRC-Q9": ("GRC-Q4",)}, "GRC-Q9: unknown question 'GRC-Q9'"),
    ({"GRC-Q6": ("SDL-Q2",)}, "GRC-Q6: prerequisite SDL-Q2 is in another domain"),
    ({"GRC-Q4": ("GRC-Q2",)}, "GRC-Q4 (target 3): prerequisite GRC-Q2 must have a lower"),
    ({"GRC-Q4": ("GRC-Q6",)}, "GRC-Q4 (target 3): prerequisite GRC-Q6 must have a lower"),
])
def test_a_broken_prerequisite_is_refused_naming_the_file(prerequisites, problem):
    with pytest.raises(PolicyError) as raised:
        _check(prerequisites)
    assert problem in str(raised.value)
    assert "gatekeeper/catalog/prerequisites.yaml" in str(raised.value)


def test_a_lower_prerequisite_of_the_same_domain_is_accepted():
    _check({"GRC-Q4": ("GRC-Q1",)})
