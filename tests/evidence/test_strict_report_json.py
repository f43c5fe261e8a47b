"""Scanner reports are read strictly (a key twice, NaN, Infinity refused) whichever parser
reads them: orjson when it can prove no key repeats, the standard library's otherwise."""

import json

import orjson
import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.scans import scan_results
from gatekeeper.evidence.scans.scan_results import parse_report


def _reference(text: str):
    return json.loads(text, object_pairs_hook=scan_results._unique_keys,
                      parse_constant=scan_results._no_constant)


@pytest.mark.parametrize("text", [
    '{"a": 1, "a": 2}',
    '{"a": 1, "a": 1}',
    '{"x": {"b": "c", "b": "c"}}',
    '[{"k": []}, {"k": [], "k": {}}]',
    '{"uri": "file:///a:b", "uri": "file:///a:b"}',
    '{"msg": "\\u003a", "a": 1, "a": 2}',
    '{"msg": "\\u003A\\u003a", "a": 1, "a": 2, "b": 3, "b": 4}',
    '{"a": {"a": 1, "a": {"b": 2}}}',
])
def test_a_key_twice_is_refused_naming_the_key(text):
    with pytest.raises(EvidenceError, match=r"the key '(a|b|k|uri)' appears twice"):
        parse_report(text.encode(), "evidence/x.sarif")


@pytest.mark.parametrize("text", [
    '{"a": 1, "b": [1, 2.5, -0, 1e3, true, null], "c": {"d": "x:y:z", "e:f": ":"}}',
    '{"msg": "\\u003a", "uri": "\\u003a:b", "x": "a\\\\u003ab"}',
    '{"big": 123456789012345678901234567890, "i64": 9223372036854775807}',
    '{"negative": -1234567890123456789012, "float": 12345678901234567890.5}',
    '{"s": "\\ud800"}',
    '\ufeff{"bom": ":"}',
    '[]',
    '{"a": "\\"quoted: yes\\"", "b": "\\\\"}',
])
def test_a_strict_report_reads_as_the_standard_library_reads_it(text):
    assert parse_report(text.encode(), "x.json") == _reference(text.removeprefix("\ufeff"))


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(constant):
    with pytest.raises(EvidenceError, match="malformed JSON"):
        parse_report(f'{{"a": {constant}}}'.encode(), "x.json")


def _fast(text: str):
    return scan_results._unique_keys_document(text.encode())


def test_the_fast_path_proves_what_it_returns():
    """Without a duplicate the fast path answers; with one (or an escaped colon, or a long
    integer) it declines and the standard library decides."""
    assert _fast('{"a": "b:c"}') == {"a": "b:c"}
    assert _fast('{"a": 1, "a": 2}') is scan_results._NOT_PROVEN
    assert _fast('{"a": "\\u003a"}') is scan_results._NOT_PROVEN
    assert _fast('{"a": 1234567890123456789}') is scan_results._NOT_PROVEN
    assert _fast('{"a": 123456789012345678}') == {"a": 123456789012345678}
    assert _fast('\ufeff{"a": ":"}') == {"a": ":"}  # a byte-order mark is no reason to decline
    assert _fast('{"a": "\xe9"}') == {"a": "\xe9"}


LONG = scan_results.COUNTED_WHOLE


@pytest.mark.parametrize("value", [
    {"runs": [{"results": [{"m": {"t": "a:b"}, "k:": i} for i in range(2 * LONG + 3)]}]},
    [{"a": [{"b": {"c": {"d": ":"}}}]}] * 3,
    {"k:e:y": {"x": [1, {"y:": "z"}]}, "l": list(range(LONG + 1))},
    [list(range(3))] * (LONG + 1),
    "a:b",
    {},
])
def test_colons_are_counted_as_orjson_writes_them_whatever_the_shape(value):
    """Counted a part at a time (long arrays in slices, the first levels walked), the colons
    are those of the whole value written back: the count the fast path relies on."""
    assert scan_results._colons(value) == orjson.dumps(value).count(b":")


def test_a_key_twice_past_the_first_slice_of_a_long_array_is_refused():
    results = [{"ruleId": "R", "level": "note"} for _ in range(LONG + 5)]
    text = orjson.dumps({"runs": [{"results": results}]}).decode()
    last = text.rindex('"level"')
    twice = text[:last] + '"ruleId":"S",' + text[last:]
    assert _fast(twice) is scan_results._NOT_PROVEN
    with pytest.raises(EvidenceError, match="the key 'ruleId' appears twice"):
        parse_report(twice.encode(), "x.sarif")
