import pytest

from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.yamlio import load_yaml_file, load_yaml_text


def test_dates_stay_strings():
    assert load_yaml_text("created: 2026-01-31\n", "x.yaml") == {"created": "2026-01-31"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("base: &b {x: 1}\nother: *b\n", "anchors (&name) are not allowed"),
        ("a: [1, 2\n", "line 2"),
    ],
)
def test_refuses_what_a_reviewer_would_not_see(text, problem):
    with pytest.raises(ConfigError) as error:
        load_yaml_text(text, "exceptions.yaml")
    assert "exceptions.yaml" in str(error.value)
    assert problem in str(error.value)


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(EvidenceError, match="missing.yaml: file not found"):
        load_yaml_file(tmp_path / "missing.yaml", EvidenceError)
