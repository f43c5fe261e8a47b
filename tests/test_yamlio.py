from pathlib import Path

import pytest
import yaml

from gatekeeper import yamlio
from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.yamlio import line_of, load_yaml_documents, load_yaml_file, load_yaml_text

ROOT = Path(__file__).resolve().parents[1]


def test_dates_stay_strings():
    assert load_yaml_text("created: 2026-01-31\n", "x.yaml") == {"created": "2026-01-31"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("base: &b {x: 1}\nother: *b\n", "anchors (&name) are not allowed"),
        ("other: *b\n", "line 1, column 8: aliases (*name) are not allowed"),
        ("unused: &b 1\n", "line 1, column 9: anchors (&name) are not allowed"),
        ("a: {b: 1, b: 2}\n", "line 1, column 11: duplicate key 'b'"),
        ("1: one\n", "the key 1 is not a string"),
        ("yes: one\n", "the key True is not a string"),
        ("a: [1, 2\n", "line 2"),
    ],
)
def test_refuses_what_a_reviewer_would_not_see(text, problem):
    with pytest.raises(ConfigError) as error:
        load_yaml_text(text, "exceptions.yaml")
    assert "exceptions.yaml" in str(error.value)
    assert problem in str(error.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("min_components: .inf\n", "line 1, column 17: .inf is not a finite number"),
        ("a: [1, -.Inf]\n", "line 1, column 8: -.Inf is not a finite number"),
        ("a: .NaN\n", ".NaN is not a finite number"),
        ("a: 1.0e+400\n", "1.0e+400 is not a finite number"),
        ("a: 18446744073709551616\n", "beyond the 64-bit integers"),
        ("a: -9223372036854775809\n", "beyond the 64-bit integers"),
        ("a: !!binary aGk=\n", "binary values are not JSON"),
        ("a: !!set {x, y}\n", "set values are not JSON"),
        ("a: !!omap [x: 1]\n", "omap values are not JSON"),
        ("a: !!pairs [x: 1]\n", "pairs values are not JSON"),
    ],
)
@pytest.mark.parametrize("loader", ["libyaml", "pure Python"])
def test_refuses_values_json_cannot_carry(text, problem, loader, monkeypatch):
    """What these files say reaches policies as JSON, where orjson would write NaN and
    infinity as null (a threshold of .inf read as null passes everything) and refuse the rest
    with a traceback."""
    if loader == "pure Python":
        monkeypatch.setattr(yamlio, "_FastStrictLoader", None)
    with pytest.raises(ConfigError) as error:
        load_yaml_text(text, "gatekeeper.yaml")
    assert "gatekeeper.yaml" in str(error.value) and problem in str(error.value)


@pytest.mark.parametrize("loader", ["libyaml", "pure Python"])
def test_json_numbers_at_the_edges_are_read(loader, monkeypatch):
    if loader == "pure Python":
        monkeypatch.setattr(yamlio, "_FastStrictLoader", None)
    text = "a: [18446744073709551615, -9223372036854775808, 1.5e+300, 0x10, -0.0, 1e400]\n"
    assert load_yaml_text(text, "x.yaml") == {  # YAML 1.1: an exponent needs its dot and sign
        "a": [2**64 - 1, -(2**63), 1.5e300, 16, -0.0, "1e400"]}


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(EvidenceError, match=r"missing\.yaml: file not found"):
        load_yaml_file(tmp_path / "missing.yaml", EvidenceError)


def test_a_template_is_an_error_not_a_traceback(tmp_path):
    with pytest.raises(ConfigError, match="line 1, column 8: a mapping or list used as a key"):
        load_yaml_text("name: {{ .Values.name }}\n", "values.yaml")


def test_documents_allow_anchors_and_keep_their_first_lines():
    text = "a: &x {b: 1}\nc: *x\n---\n# comment\nd: 2021-01-01\n"
    assert load_yaml_documents(text, "m.yaml") == [
        (1, {"a": {"b": 1}, "c": {"b": 1}}),
        (5, {"d": "2021-01-01"}),
    ]
    with pytest.raises(ConfigError, match=r"m\.yaml: line 2, column 1: duplicate key 'a'"):
        load_yaml_documents("a: 1\na: 2\n", "m.yaml")


def test_line_of_finds_the_line_of_a_key_path():
    text = "a: 1\nb:\n  - x: 1\n  - x: 2\n    y: 3\n"
    assert line_of(text, ["b", 1, "y"]) == 5
    assert line_of(text, ["b", 1, "z"]) == 4  # a missing key points at its mapping
    assert line_of(text, ["b", 9]) == 3  # past the end of a list: the list
    assert line_of(text, []) == 1
    assert line_of("a: [\n", ["a"]) is None  # text that does not parse has no lines


def test_the_lines_of_one_text_come_from_one_composition(monkeypatch):
    # a message or a record per drill asks a line of the same file: composing the whole file
    # again for each made reading a long drills file quadratic
    loaders = []
    compose = yaml.compose
    monkeypatch.setattr(yaml, "compose",
                        lambda text, Loader: loaders.append(Loader) or compose(text, Loader))
    text = "".join(f"- id: drill-{index}\n  scenario: s\n" for index in range(200))
    assert [line_of(text, [index, "scenario"]) for index in range(200)] == list(range(2, 401, 2))
    libyaml = getattr(yaml, "__with_libyaml__", False)
    expected = yaml.CSafeLoader if libyaml else yamlio._StrictLoader
    assert loaders == [expected]


def test_libyaml_and_the_pure_python_loader_read_every_shipped_file_alike(monkeypatch):
    """The fast path (libyaml) must give what the pure-Python loader gives, or it is not the
    same check: every YAML file and every policy's METADATA block shipped here."""
    import gatekeeper.engine.policies as policies

    assert yamlio._FastStrictLoader is not None, "PyYAML without libyaml: the slow path only"
    blocks = [path.read_text() for path in ROOT.glob("**/*.yaml") if ".git" not in path.parts]

    def remember(text, path, error_type=ConfigError):
        blocks.append(text)
        return load_yaml_text(text, path, error_type)

    monkeypatch.setattr(policies, "load_yaml_text", remember)
    for policy in policies.load_policies().modules:
        if policy.package.startswith(policies.CONTROL_PREFIX):
            policies.metadata_block(policy)
    compared = 0
    for text in blocks:
        try:
            slow = yaml.load(text, Loader=yamlio._StrictLoader)
        except yaml.YAMLError:
            continue  # a file the strict loader refuses (anchors in Kubernetes examples)
        assert yaml.load(text, Loader=yamlio._FastStrictLoader) == slow
        assert load_yaml_text(text, "x.yaml") == slow
        compared += 1
    assert compared > 90
