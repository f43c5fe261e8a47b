"""jsonio: deterministic output, and long arrays held serialised (JsonArray)."""

import orjson
import pytest

from gatekeeper.jsonio import JsonArray, dumps

VALUES = [{"b": 1, "a": [1, 2.5, None]}, "text: \"quoted\"", 3, {"nested": {"z": 1, "y": 2}}]


@pytest.mark.parametrize("pretty", [False, True])
def test_a_json_array_is_written_as_the_values_it_holds(pretty):
    document = {"z": 1, "items": VALUES, "empty": []}
    held = {"z": 1, "items": JsonArray(VALUES), "empty": JsonArray()}
    assert dumps(held, pretty=pretty) == dumps(document, pretty=pretty)


def test_parts_added_one_after_another_are_one_array_in_order():
    array = JsonArray(VALUES[:2])
    array.extend([])
    array.extend(VALUES[2:3])
    other = JsonArray(VALUES[3:])
    array.extend(other)
    assert len(array) == len(VALUES)
    assert array.values() == VALUES
    assert orjson.loads(dumps({"a": array}, pretty=False)) == {"a": VALUES}


def test_an_empty_json_array_is_an_empty_array():
    assert dumps(JsonArray(), pretty=False) == b"[]"
    assert len(JsonArray()) == 0 and JsonArray().values() == []


def test_values_are_serialised_when_added_so_later_changes_do_not_show():
    value = {"a": 1}
    array = JsonArray([value])
    value["a"] = 2
    assert array.values() == [{"a": 1}]


def test_anything_else_orjson_cannot_write_is_still_refused():
    with pytest.raises(TypeError):
        dumps({"a": object()}, pretty=False)
    with pytest.raises(TypeError):
        dumps({"a": {1, 2}})


def test_a_long_list_is_serialised_in_parts_and_written_whole():
    from gatekeeper.jsonio import JSON_ARRAY_PART

    values = [{"i": i} for i in range(2 * JSON_ARRAY_PART + 7)]
    array = JsonArray(values)
    assert len(array) == len(values)
    assert dumps({"a": array}, pretty=False) == dumps({"a": values}, pretty=False)
