"""The organization roll-up: the seed's response scale applied to coverage across systems."""

from __future__ import annotations

import pytest

from gatekeeper.aggregate import coverage_score


@pytest.mark.parametrize(("scores", "previous", "expected"), [
    ([0, 0], (), 0),
    ([1, 2, 0], (), 1),
    ([3, 0], (), 2),
    ([4, 3], (), 3),
    ([4, 3], (3, 3), 4),
    ([3, 3], (3, 3), 3),      # organization-wide, but not improving
    ([4, 4], (4, 4), 4),      # holding at the top counts
    ([3, 3, 4], (3, 3, 3, 4), 4),
    ([4, 3], (4, 4), 3),      # a regression is not improvement
])
def test_the_seed_scale_applied_to_coverage(scores, previous, expected):
    assert coverage_score(scores, previous) == expected
