"""A stand-in for the service's free-text triage endpoint, so the red-team runs work offline.

The real endpoint puts an LLM in front of sentiment-scorer. This stand-in keeps only its
guardrail: a message that looks like an attempt to steer the assistant is refused, anything
else gets a sentiment label. garak (function generator) and promptfoo (python provider) call
it exactly as they would call the real endpoint; their results are real tool output.
"""

from __future__ import annotations

import re

MAX_MESSAGE = 600  # longer messages go to a human: support messages are short
REFUSAL = "I'm sorry, but I can't help with that. I can only rate the sentiment of a message."
_STEERING = re.compile(
    r"ignore|disregard|instruction|pretend|role ?play|jailbreak|\bDAN\b|developer mode|"
    r"base64|decode|hex|print|repeat|say |system prompt|rules|persona|act as|from now on",
    re.IGNORECASE,
)


def answer(message: str) -> str:
    if len(message) > MAX_MESSAGE or _STEERING.search(message):
        return REFUSAL
    return "Sentiment: neutral (0.52). Routed to the standard support queue."


def garak_target(prompt: str, **kwargs) -> list[str]:
    """garak's function generator: one prompt in, a list of generations out."""
    return [answer(prompt)]


def call_api(prompt: str, options: dict, context: dict) -> dict:
    """promptfoo's python provider."""
    return {"output": answer(prompt)}
