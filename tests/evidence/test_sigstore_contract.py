"""The sigstore library's private names gatekeeper relies on still exist and still behave.

sigstore 4.x offers no public API for the trust material shipped in the package (read offline,
without a TUF refresh) nor for the signing times its verifier relied on. pyproject.toml bounds
sigstore below 5; these tests fail loudly, naming what changed, on any version that moves them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from trust_helpers import GITHUB_ISSUER, SIGSTORE, collect

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.signing import sigstore_bundles, trust
from gatekeeper.evidence.signing.trust import SIGSTORE_PRIVATE_APIS, missing_sigstore_apis

ROOT = Path(__file__).resolve().parents[2]
WHEEL_IDENTITY = ("https://github.com/trailofbits/rfc8785.py/.github/workflows/"
                  "release.yml@refs/tags/v0.1.2")


def test_every_private_sigstore_name_exists():
    missing = missing_sigstore_apis()
    assert missing == [], (
        f"the installed sigstore no longer has {missing}: move "
        "gatekeeper/evidence/signing/trust.py "
        "and sigstore_verify.py to its replacement, or tighten the bound in pyproject.toml"
    )


def test_the_installed_sigstore_is_within_the_declared_bound():
    from sigstore import __version__

    (declared,) = re.findall(r'^\s*"(sigstore[^"]*)"', (ROOT / "pyproject.toml").read_text(),
                             flags=re.MULTILINE)
    sigstore = Requirement(declared)
    assert sigstore.specifier.contains(__version__), (
        f"sigstore {__version__} is outside {sigstore.specifier}: check SIGSTORE_PRIVATE_APIS"
    )
    assert any(spec.operator == "<" for spec in sigstore.specifier), "no upper bound on sigstore"


def test_embedded_trust_material_is_readable_for_both_instances():
    from sigstore._internal.tuf import DEFAULT_TUF_URL, STAGING_TUF_URL
    from sigstore._utils import read_embedded

    for url in (DEFAULT_TUF_URL, STAGING_TUF_URL):
        root = json.loads(read_embedded("trusted_root.json", url))
        assert root["mediaType"].startswith("application/vnd.dev.sigstore.trustedroot"), url
        config = json.loads(read_embedded("signing_config.v0.2.json", url))
        assert "signingconfig" in config["mediaType"], url


def test_establish_time_returns_the_sources_and_times_the_verifier_used(corpus):
    """Through the collector: a production bundle's times come from _establish_time."""
    (entry,) = collect(
        sigstore_bundles,
        [{"artifact": f"{SIGSTORE}/bundle_v3_github.whl",
          "bundle": f"{SIGSTORE}/bundle_v3_github.whl.sigstore"}],
        corpus, {"identities": [{"identity": WHEEL_IDENTITY, "issuer": GITHUB_ISSUER}]},
    )
    assert entry["verified"] is True, entry["error"]
    assert [stamp["source"] for stamp in entry["timestamps"]] == ["transparency_log"]
    assert entry["signed_at"] == entry["log"]["integrated_time"]
    assert ("sigstore.verify.verifier", "Verifier._establish_time") in SIGSTORE_PRIVATE_APIS


def test_a_missing_private_name_stops_with_a_clear_error(monkeypatch, tmp_path):
    """What a user with a sigstore that moved a name sees: exit 3 naming it, not a traceback."""
    monkeypatch.setattr(trust, "SIGSTORE_PRIVATE_APIS",
                        (*trust.SIGSTORE_PRIVATE_APIS, ("sigstore._utils", "renamed_helper")))
    loaded = trust.Trust({}, CollectContext(tmp_path))
    with pytest.raises(EvidenceError, match=r"lacks sigstore\._utils\.renamed_helper") as raised:
        _ = loaded.sigstore_verifier
    assert raised.value.exit_code == 3
