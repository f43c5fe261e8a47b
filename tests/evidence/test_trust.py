"""The trust: section, loaded: names, normalized source, and trust material that is wrong."""

from __future__ import annotations

import pytest
from trust_helpers import SIGSTORE, collect

from gatekeeper.errors import ConfigError
from gatekeeper.evidence import sigstore_bundles
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.trust import Trust, normalize_repository


@pytest.mark.parametrize(
    "uri",
    ["https://github.com/o/r", "git+https://github.com/o/r@refs/tags/v1", "github.com/o/r",
     "https://github.com/o/r.git", "https://github.com/o/r/"],
)
def test_repositories_are_compared_in_one_form(uri):
    assert normalize_repository(uri) == "https://github.com/o/r"


def test_describe_names_every_identity_and_fills_the_defaults(tmp_path):
    context = CollectContext(tmp_path)
    described = Trust({
        "identities": [
            {"identity": "alice@example.org", "issuer": "https://accounts.google.com"},
            {"github": {"repository": "o/r", "ref": "refs/tags/v1"}},
        ],
        "max_age_days": {"signatures": 7},
        "source": {"repository": "git+https://github.com/o/r.git"},
    }, context).describe()
    assert [identity["name"] for identity in described["identities"]] == [
        "alice@example.org", "github:o/r:refs/tags/v1",
    ]
    assert described["identities"][1]["issuer"] == "https://token.actions.githubusercontent.com"
    assert described["max_age_days"] == {"signatures": 7, "provenance": 365}
    assert described["source"] == {"repository": "https://github.com/o/r", "refs": []}
    assert "sigstore" not in described  # nothing was verified with Sigstore


def test_a_key_file_that_is_no_key_is_a_configuration_error(tmp_path):
    (tmp_path / "release.pub").write_text("not a key")
    context = CollectContext(tmp_path)
    with pytest.raises(ConfigError) as raised:
        Trust({"keys": [{"name": "release", "path": "release.pub"}]}, context).describe()
    assert str(raised.value).startswith("release.pub: trust.keys[0].path: not a PEM public key")


def test_a_trusted_root_that_is_no_root_is_a_configuration_error(corpus, tmp_path):
    (tmp_path / "root.json").write_text('{"mediaType": "nonsense"}')
    trust = {"sigstore": {"trusted_root": str(tmp_path / "root.json")}}
    setting = [{"artifact": f"{SIGSTORE}/bundle_v3_github.whl",
                "bundle": f"{SIGSTORE}/bundle_v3_github.whl.sigstore"}]
    with pytest.raises(ConfigError) as raised:
        collect(sigstore_bundles, setting, corpus, trust)
    assert "not a usable Sigstore trusted root" in str(raised.value)
