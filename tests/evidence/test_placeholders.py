"""The placeholder and filler detector shared by manifest facts and document sections."""

import pytest

from gatekeeper.evidence.documentation.placeholders import placeholder_reason


@pytest.mark.parametrize(
    "text",
    ["TBD", "tbd", " N/A ", "n/a", "-", "--", "...", "?", "xxx", "XXXX", "changeme", "TODO",
     "To be determined.", "placeholder", "", "   "],
)
def test_placeholder_values(text):
    assert placeholder_reason(text) is not None


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("Argo Rollouts, TBD which cluster", "TBD"),
        ("TODO: describe the rollback", "TODO"),
        ("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", "Lorem ipsum"),
        ("The key is XXX until the vault is set up", "XXX"),
        ("see FIXME", "FIXME"),
    ],
)
def test_markers_anywhere(text, marker):
    assert placeholder_reason(text) == f"it holds the placeholder {marker!r}"


def test_markers_are_capitals_only_in_prose():
    assert placeholder_reason("Reviewers remove todo comments before merging the change") is None


def test_one_word_repeated_is_filler():
    assert placeholder_reason("security " * 8) == "filler: 'security' is 8 of its 8 words"
    # The boundary: one word at 40% of eight or more words.
    assert placeholder_reason("data " * 4 + "one two three four five six seven") is None  # 4 of 11
    assert placeholder_reason("data " * 4 + "one two three four five six") is not None  # 4 of 10


def test_a_repeated_sentence_is_filler():
    text = "We take security seriously. " * 3
    assert placeholder_reason(text) == "filler: 3 sentences, only 1 different"
    two_of_three = "We take security seriously. We rotate keys monthly. We take security seriously."
    assert placeholder_reason(two_of_three) is None
    two_of_four = "Keys rotate. Keys rotate. Alerts page the on-call. Alerts page the on-call."
    assert placeholder_reason(two_of_four) == "filler: 4 sentences, only 2 different"


@pytest.mark.parametrize(
    "text",
    [
        "Argo Rollouts AnalysisTemplate on the triage-api rollout",
        "aws-kms",
        "arn:aws:kms:eu-west-1:111122223333:alias/model-weights",
        "A classifier that scores the sentiment of short customer messages.",
    ],
)
def test_real_text_is_not_a_placeholder(text):
    assert placeholder_reason(text) is None
