"""The maturity model's fixed shape: its 11 domains and how many questions each asks.

Question ids are ``<DOMAIN>-Q<n>``, numbered in the seed document's order.
"""

from __future__ import annotations

import re

DOMAINS = ("GRC", "SDL", "DAT", "INF", "APP", "MOD", "MON", "IRR", "RTE", "HIL", "SAF")
QUESTION_COUNTS = {
    "GRC": 7, "SDL": 9, "DAT": 7, "INF": 7, "APP": 8, "MOD": 8,
    "MON": 7, "IRR": 7, "RTE": 6, "HIL": 6, "SAF": 6,
}
_QUESTION_ID = re.compile(r"^([A-Z]{3})-Q([1-9][0-9]?)$")


def is_question_id(question_id: str) -> bool:
    match = _QUESTION_ID.match(question_id)
    return match is not None and int(match.group(2)) <= QUESTION_COUNTS.get(match.group(1), 0)
