"""Strict, safe YAML for the files people write by hand (config, exceptions, attestations).

On top of ``yaml.SafeLoader`` it refuses what makes a reviewed file say something its reader
did not see: anchors and aliases, duplicate keys, and implicit timestamps (a date stays the
string it was written as, so each consumer parses it explicitly and a typo is an error). Its
values are JSON's: no NaN or infinity, no integer past 64 bits, no bytes or sets, since what
it reads reaches policies and reports as JSON.

Kubernetes manifests are read with ``load_yaml_documents``: several documents per file, and
anchors and aliases allowed (some real manifests repeat blocks that way, and the cluster accepts
them); duplicate keys are still refused and dates still stay strings.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import yaml

from gatekeeper.errors import ConfigError, GatekeeperError

# A file written by hand (gatekeeper.yaml) is never this large; a larger one is refused
# before it is parsed.
YAML_READ_LIMIT = 16 * 1024 * 1024


class _NoDuplicateKeys(yaml.constructor.SafeConstructor):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):  # {{ template }} parses as a mapping key
                raise yaml.MarkedYAMLError(
                    "while reading a mapping", node.start_mark,
                    "a mapping or list used as a key (a template, not YAML?)", key_node.start_mark,
                )
            if key in seen:
                raise yaml.MarkedYAMLError(
                    "while reading a mapping", node.start_mark,
                    f"duplicate key {key!r}", key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _NoDuplicateKeysLoader(_NoDuplicateKeys, yaml.SafeLoader):
    pass


class _StringKeys(_NoDuplicateKeys):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Keys are strings: the files read with this loader are checked against JSON Schemas,
        whose keys are (``1:``, ``yes:`` or ``?`` would make a key of another type)."""
        mapping = super().construct_mapping(node, deep=deep)
        for (key_node, _), key in zip(node.value, mapping, strict=False):
            if not isinstance(key, str):
                raise yaml.MarkedYAMLError(
                    "while reading a mapping", node.start_mark,
                    f"the key {key!r} is not a string (quote it)", key_node.start_mark,
                )
        return mapping


# The values are JSON's too: what is read here reaches policies and reports as JSON, which has
# no NaN or infinity (orjson writes them as null: ``min_components: .inf`` would read as null
# and let every SBOM pass), no integer past 64 bits, no bytes and no sets.
def _finite_float(loader: Any, node: yaml.ScalarNode) -> float:
    value: float = loader.construct_yaml_float(node)
    if not math.isfinite(value):
        raise _not_json(node, f"{node.value} is not a finite number (JSON has no NaN or infinity)")
    return value


def _64_bit_int(loader: Any, node: yaml.ScalarNode) -> int:
    value: int = loader.construct_yaml_int(node)
    if not -(2**63) <= value < 2**64:
        raise _not_json(node, f"{node.value} is beyond the 64-bit integers JSON readers share")
    return value


def _refused_tag(loader: Any, node: yaml.Node) -> Any:
    raise _not_json(node, f"{node.tag.rsplit(':', 1)[-1]} values are not JSON "
                          "(write a string, a number, a list or a mapping)")


def _not_json(node: yaml.Node, problem: str) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError("while reading a value", None, problem, node.start_mark)


def _refuse_anchors(event: Any) -> None:
    mark: Any = event.start_mark
    if isinstance(event, yaml.AliasEvent):
        raise yaml.MarkedYAMLError("while reading", None, "aliases (*name) are not allowed", mark)
    if getattr(event, "anchor", None):
        raise yaml.MarkedYAMLError("while reading", None, "anchors (&name) are not allowed", mark)


class _StrictLoader(_StringKeys, yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:
        _refuse_anchors(self.peek_event())
        return super().compose_node(parent, index)


# The same checks over libyaml (ten times faster: the policies' METADATA and the catalog are
# read on every run); its composer is C, so anchors are refused from its events beforehand.
_FastStrictLoader: Any = None
if getattr(yaml, "__with_libyaml__", False):

    class _CStrictLoader(_StringKeys, yaml.CSafeLoader):
        pass

    _FastStrictLoader = _CStrictLoader

for _strict in (_StrictLoader, _FastStrictLoader):
    if _strict is not None:
        _strict.add_constructor("tag:yaml.org,2002:float", _finite_float)
        _strict.add_constructor("tag:yaml.org,2002:int", _64_bit_int)
        for _tag in ("binary", "set", "omap", "pairs"):
            _strict.add_constructor(f"tag:yaml.org,2002:{_tag}", _refused_tag)

# Keep dates as written: drop the implicit timestamp resolver (every loader here).
_DATES_AS_WRITTEN = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _loader in (_NoDuplicateKeysLoader, _StrictLoader, _FastStrictLoader):
    if _loader is not None:
        _loader.yaml_implicit_resolvers = _DATES_AS_WRITTEN


def _strict_load(text: str) -> Any:
    """The strict loader's value of ``text``: from libyaml when it accepts the text, else from
    the pure-Python loader, whose messages (line, column, problem) are the ones users see."""
    if _FastStrictLoader is not None:
        try:
            for event in yaml.parse(text, Loader=yaml.CSafeLoader):
                _refuse_anchors(event)
            return yaml.load(text, Loader=_FastStrictLoader)
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=_StrictLoader)


def load_yaml_text(
    text: str, path: Path | str, error_type: type[GatekeeperError] = ConfigError
) -> Any:
    return _parse(lambda: _strict_load(text), path, error_type)


def load_yaml_documents(
    text: str, path: Path | str, error_type: type[GatekeeperError] = ConfigError
) -> list[tuple[int, Any]]:
    """(first line, value) of every document of a stream; anchors and aliases are allowed."""
    documents: list[tuple[int, Any]] = _parse(lambda: _documents(text), path, error_type)
    return documents


def _documents(text: str) -> list[tuple[int, Any]]:
    loader = _NoDuplicateKeysLoader(text)
    try:
        documents = []
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                break
            documents.append((node.start_mark.line + 1, loader.construct_document(node)))
        return documents
    finally:
        loader.dispose()


def _parse(load: Any, path: Path | str, error_type: type[GatekeeperError]) -> Any:
    try:
        return load()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise error_type(f"{where}{error.problem or error.context}", path=path) from None
    except yaml.YAMLError as error:
        raise error_type(f"not valid YAML: {error}", path=path) from None


def load_yaml_file(path: Path, error_type: type[GatekeeperError] = ConfigError) -> Any:
    from gatekeeper.jsonio import decode_text, read_bytes

    text = decode_text(read_bytes(path, error_type, limit=YAML_READ_LIMIT), path, error_type)
    return load_yaml_text(text, path, error_type)


@functools.lru_cache(maxsize=4)
def _composed(text: str) -> Any:
    """The node tree of ``text`` (None when it does not parse), composed once for all the
    lines asked of one file (a message or a record per drill, per incident...), by libyaml
    where it is installed: the text loaded already, strictly."""
    try:
        return yaml.compose(text, Loader=yaml.CSafeLoader if _FastStrictLoader else _StrictLoader)
    except yaml.YAMLError:
        return None


def line_of(text: str, parts: Sequence[str | int]) -> int | None:
    """The 1-based line where the value at ``parts`` (keys and list indexes) starts in ``text``.

    For messages about a document that already loaded: the deepest node found is used, so a
    path that ends at a missing key points at its parent mapping.
    """
    node = _composed(text)
    line = node.start_mark.line + 1 if node is not None else None
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            node = next((value for key, value in node.value if key.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
