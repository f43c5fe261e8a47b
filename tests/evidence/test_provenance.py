"""in-toto / SLSA provenance: corpus attestations, key-signed DSSE made here, in-toto layouts."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner
from trust_helpers import GITHUB_ISSUER, SLSA, collect, ec_key, ed25519_key, write_public

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.signing import provenance
from gatekeeper.evidence.signing.trust import Trust

BCR_BUILDER = ("https://github.com/bazel-contrib/.github/.github/workflows/"
               "release_ruleset.yaml@refs/tags/v7.1.0")
GENERIC_BUILDER = ("https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
                   "generator_generic_slsa3.yml@refs/tags/v2.1.0")


def attestations(base, paths, trust):
    return collect(provenance, {"attestations": list(paths)}, base, trust)


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_slsa_v1_bundle_verifies_and_matches_its_artifact(corpus):
    (entry,) = attestations(corpus, [f"{SLSA}/bcr/rules_lint-v1.3.1.tar.gz.intoto.jsonl"],
                            {"identities": [{"identity": BCR_BUILDER, "issuer": GITHUB_ISSUER}]})
    assert entry["verified"] is True, entry["error"]
    assert entry["envelope"] == "sigstore-bundle"
    assert (entry["statement_type"], entry["slsa_version"]) == ("1", "1")
    assert entry["subjects"] == [{"name": "rules_lint-v1.3.1.tar.gz",
                                  "sha256": sha256(corpus / SLSA / "bcr/rules_lint-v1.3.1.tar.gz")}]
    assert entry["builder_id"] == BCR_BUILDER
    assert entry["build_type"] == "https://actions.github.io/buildtypes/workflow/v1"
    assert entry["source_repository"] == "https://github.com/aspect-build/rules_lint"
    assert entry["source_ref"] == "refs/heads/publish-to-bcr"
    assert entry["source_commit"] == "8f70009fde0c94ade6ce2a054b94718c819126ec"
    assert entry["invocation"]["id"].endswith("/actions/runs/14095611671/attempts/1")
    assert entry["materials"][0]["digest"] == {"gitCommit": entry["source_commit"]}
    assert entry["log"]["kind"] == "dsse/0.0.1"


def test_module_bazel_verifies_with_a_github_repository_identity(corpus):
    (entry,) = attestations(corpus, [f"{SLSA}/bcr/MODULE.bazel.intoto.jsonl"],
                            {"identities": [{"github": {"repository": "aspect-build/rules_lint"}}]})
    assert entry["verified"] is True
    assert entry["subjects"][0]["sha256"] == sha256(corpus / SLSA / "bcr/MODULE.bazel")


def test_statement_v01_with_slsa_v02_is_read(corpus):
    """The sigstore CLI refuses this file only because it parses in-toto Statement v1 alone
    (VERIFICATION-LOG: "Input should be 'https://in-toto.io/Statement/v1'"); the library's
    DSSE verification accepts the bundle, and gatekeeper reads Statement v0.1 itself."""
    trust = {"identities": [{"identity": GENERIC_BUILDER, "issuer": GITHUB_ISSUER}]}
    (entry,) = attestations(corpus, [f"{SLSA}/gha_generic-v2.1.0/*.intoto.jsonl"], trust)
    assert entry["verified"] is True, entry["error"]
    assert (entry["statement_type"], entry["slsa_version"]) == ("0.1", "0.2")
    assert entry["builder_id"] == GENERIC_BUILDER
    assert entry["source_repository"] == "https://github.com/slsa-framework/example-package"
    assert entry["source_ref"] == "refs/tags/v14"
    artifact = corpus / SLSA / "gha_generic-v2.1.0/binary-linux-amd64-push-v14"
    assert entry["subjects"][0]["sha256"] == sha256(artifact)


def test_intoto_v002_log_entries_are_unverifiable_with_the_library_reason(corpus):
    trust = {"identities": [{"github": {"repository": "slsa-framework/example-package"}}]}
    (entry,) = attestations(corpus, [f"{SLSA}/gha_delegator-v2.1.0/*.build.slsa"], trust)
    assert entry["verified"] is False and entry["unverifiable"] is True
    assert entry["error"].startswith("cannot be verified offline by this version: its "
                                     "transparency-log entry is of kind intoto/0.0.2")
    assert "Integrated time only supported for dsse/hashedrekord 0.0.1 types" in entry["error"]
    # What the statement claims is still shown (marked unverified), for the report.
    assert entry["slsa_version"] == "1"


def test_legacy_dsse_with_a_fulcio_certificate_is_unverifiable_offline(corpus):
    (entry,) = attestations(corpus, [f"{SLSA}/legacy-dsse/annotated-tag.intoto.jsonl"], {})
    assert entry["unverifiable"] is True
    assert "only be verified online" in entry["error"]


def test_npm_attestations_are_read_one_by_one(corpus):
    entries = attestations(corpus, [f"{SLSA}/npm/provenance-npm-test-cli-v1-prega.tgz.json"],
                           {"identities": [{"github": {"repository": "sigstore/sigstore-js"}}]})
    assert [entry["index"] for entry in entries] == [1, 2]
    assert entries[1]["unverifiable"] is True  # a Rekor intoto/0.0.2 entry


def test_real_key_signed_dsse_verifies(corpus):
    """witness's attestation collection: an ed25519 key-signed DSSE from in-toto/witness."""
    (entry,) = attestations(corpus, ["slsa/witness/cdx-att.witness-collection.dsse.json"],
                            {"keys": [{"name": "witness", "path": "slsa/witness/testpub.pem"}]})
    assert entry["verified"] is True
    assert entry["signer"] == {"method": "key", "key": "witness", "trusted_as": "witness",
                               "fingerprint": entry["signer"]["fingerprint"], "builders": []}
    assert entry["slsa_version"] is None  # not SLSA provenance: controls do not count it


def slsa_statement(subject_digest, builder="https://ci.example/builder@v1"):
    return {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [{"name": "model.safetensors", "digest": {"sha256": subject_digest}}],
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {
            "buildDefinition": {
                "buildType": "https://ci.example/buildtypes/training@v1",
                "externalParameters": {"source": "git+https://github.com/o/r@refs/tags/v1.0.0"},
                "resolvedDependencies": [{"uri": "git+https://github.com/o/r@refs/tags/v1.0.0",
                                          "digest": {"gitCommit": "a" * 40}}],
            },
            "runDetails": {"builder": {"id": builder},
                           "metadata": {"startedOn": "2026-11-01T00:00:00Z",
                                        "finishedOn": "2026-11-01T00:42:00.5+00:00"}},
        },
    }


def sign(path, statement, key):
    envelope = Envelope(json.dumps(statement).encode(), "application/vnd.in-toto+json", {})
    envelope.sign(CryptoSigner(key))
    path.write_text(json.dumps(envelope.to_dict()) + "\n")


@pytest.mark.parametrize("make_key", [ed25519_key, ec_key], ids=["ed25519", "ecdsa"])
def test_key_signed_slsa_v1_made_at_test_time_verifies(tmp_path, make_key):
    key = make_key()
    write_public(tmp_path / "builder.pub", key)
    sign(tmp_path / "build.intoto.jsonl", slsa_statement("ab" * 32), key)
    (entry,) = attestations(tmp_path, ["build.intoto.jsonl"],
                            {"keys": [{"name": "builder", "path": "builder.pub"}]})
    assert entry["verified"] is True and entry["envelope"] == "dsse"
    assert entry["signer"]["trusted_as"] == "builder"
    assert entry["source_repository"] == "https://github.com/o/r"
    assert entry["source_ref"] == "refs/tags/v1.0.0"
    assert entry["source_commit"] == "a" * 40
    assert entry["finished_on"] == "2026-11-01T00:42:00.500000Z"


def test_dsse_signed_by_an_untrusted_key_is_rejected(tmp_path):
    sign(tmp_path / "build.intoto.jsonl", slsa_statement("ab" * 32), ed25519_key())
    write_public(tmp_path / "builder.pub", ed25519_key())
    (entry,) = attestations(tmp_path, ["build.intoto.jsonl"],
                            {"keys": [{"name": "builder", "path": "builder.pub"}]})
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert entry["error"] == "no trusted key (builder) verifies the DSSE signature"


def test_dsse_whose_payload_was_changed_is_rejected(tmp_path):
    key = ed25519_key()
    write_public(tmp_path / "builder.pub", key)
    sign(tmp_path / "build.intoto.jsonl", slsa_statement("ab" * 32), key)
    envelope = json.loads((tmp_path / "build.intoto.jsonl").read_text())
    forged = json.dumps(slsa_statement("cd" * 32)).encode()
    envelope["payload"] = base64.b64encode(forged).decode()
    (tmp_path / "build.intoto.jsonl").write_text(json.dumps(envelope))
    (entry,) = attestations(tmp_path, ["build.intoto.jsonl"],
                            {"keys": [{"name": "builder", "path": "builder.pub"}]})
    assert entry["verified"] is False


def test_json_lines_hold_one_attestation_each(tmp_path):
    key = ed25519_key()
    write_public(tmp_path / "builder.pub", key)
    lines = []
    for digest in ("ab" * 32, "cd" * 32):
        sign(tmp_path / "one.json", slsa_statement(digest), key)
        lines.append((tmp_path / "one.json").read_text().strip())
    (tmp_path / "all.intoto.jsonl").write_text("\n".join(lines) + "\n")
    entries = attestations(tmp_path, ["all.intoto.jsonl"],
                           {"keys": [{"name": "builder", "path": "builder.pub"}]})
    assert [(entry["index"], entry["verified"]) for entry in entries] == [(1, True), (2, True)]


def test_unsigned_statement_is_rejected(tmp_path):
    (tmp_path / "build.json").write_text(json.dumps(slsa_statement("ab" * 32)))
    (entry,) = attestations(tmp_path, ["build.json"], {})
    assert entry["verified"] is False
    assert entry["error"] == "an unsigned in-toto statement: nobody vouches for it"


@pytest.mark.parametrize(
    ("text", "message"),
    [('{"payloadType": "application/vnd.in-toto+json", "payl', "malformed JSON"),
     ('{"hello": "world"}', "not an attestation")],
    ids=["truncated", "not an attestation"],
)
def test_unreadable_attestations_are_evidence_errors(tmp_path, text, message):
    (tmp_path / "build.intoto.jsonl").write_text(text)
    with pytest.raises(EvidenceError) as raised:
        attestations(tmp_path, ["build.intoto.jsonl"], {})
    assert str(raised.value).startswith("build.intoto.jsonl")
    assert message in str(raised.value)


def test_in_toto_layout_verifies_its_steps_but_does_not_run_inspections(corpus):
    """The demo layout's steps verify with alice's key; its inspection would run a command."""
    entry = collect_layout(corpus, "slsa/in-toto-demo/demo.dsse.layout",
                           [{"name": "alice", "path": "slsa/in-toto-demo/alice.pub"}])
    assert entry["signer"]["trusted_as"] == "alice"
    assert entry["steps"] == ["write-code", "package"]
    assert entry["products"] == [{"name": "foo.tar.gz",
                                  "sha256": sha256(corpus / "slsa/in-toto-demo/foo.tar.gz")}]
    assert entry["unverifiable"] is True
    assert "inspections (untar) run commands" in entry["error"]
    assert entry["expires"] == "2030-11-18T16:06:36Z"


def test_in_toto_layout_signed_by_an_untrusted_key_is_rejected(corpus, tmp_path):
    write_public(tmp_path / "other.pub", ec_key())
    entry = collect_layout(corpus, "slsa/in-toto-demo/demo.dsse.layout",
                           [{"name": "other", "path": str(tmp_path / "other.pub")}])
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert entry["error"] == "the layout is not signed by a trusted key (other)"


def test_in_toto_layout_signed_by_a_key_for_another_purpose_is_rejected(corpus):
    entry = collect_layout(corpus, "slsa/in-toto-demo/demo.dsse.layout",
                           [{"name": "alice", "path": "slsa/in-toto-demo/alice.pub",
                             "purposes": ["model-signing", "vsa"]}])
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert entry["error"] == ("signed by key alice, which trust.keys allows for model-signing, "
                              "vsa only, not for provenance")


def collect_layout(base, layout, keys):
    setting = {"layouts": [{"layout": layout, "links": "slsa/in-toto-demo"}]}
    context = CollectContext(base)
    context.trust = Trust({"keys": keys}, context)
    (entry,) = provenance.collect(setting, context)["provenance"]["layouts"]
    return entry


# in-toto's runlib (used here to record a link) warns about a pathspec deprecation.
LINK_RECORDING = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def make_layout(tmp_path, products=("model.bin",), link_signer=None):
    """A layout (no inspections) whose one step, train, must create model.bin only."""
    from in_toto import runlib
    from in_toto.models.layout import Layout, Step
    from in_toto.models.metadata import Metablock

    owner_key = ed25519_key()
    owner, builder = CryptoSigner(owner_key), CryptoSigner(ed25519_key())
    write_public(tmp_path / "owner.pub", owner_key)
    key = {**builder.public_key.to_dict(), "keyid": builder.public_key.keyid}
    layout = Layout(
        expires="2030-01-01T00:00:00Z",
        keys={builder.public_key.keyid: key},
        steps=[Step(name="train", pubkeys=[builder.public_key.keyid], threshold=1,
                    expected_products=[["CREATE", "model.bin"], ["DISALLOW", "*"]])],
    )
    metadata = Metablock(signed=layout)
    metadata.create_signature(owner)
    metadata.dump(str(tmp_path / "root.layout"))
    work, links = tmp_path / "work", tmp_path / "links"
    work.mkdir()
    links.mkdir()
    for name in products:
        (work / name).write_bytes(b"weights")
    runlib.in_toto_run("train", [], list(products), [], base_path=str(work),
                       signer=link_signer or builder, metadata_directory=str(links))
    context = CollectContext(tmp_path)
    context.trust = Trust({"keys": [{"name": "owner", "path": "owner.pub"}]}, context)
    setting = {"layouts": [{"layout": "root.layout", "links": "links"}]}
    (entry,) = provenance.collect(setting, context)["provenance"]["layouts"]
    return entry


@LINK_RECORDING
def test_in_toto_layout_made_at_test_time_verifies(tmp_path):
    entry = make_layout(tmp_path)
    assert entry["verified"] is True, entry["error"]
    digest = sha256(tmp_path / "work/model.bin")
    assert entry["products"] == [{"name": "model.bin", "sha256": digest}]


@LINK_RECORDING
def test_in_toto_layout_rule_violation_is_rejected(tmp_path):
    entry = make_layout(tmp_path, products=("model.bin", "backdoor.so"))
    assert entry["verified"] is False and entry["unverifiable"] is False
    assert "RuleVerificationError" in entry["error"]


@LINK_RECORDING
def test_in_toto_link_by_someone_else_is_rejected(tmp_path):
    entry = make_layout(tmp_path, link_signer=CryptoSigner(ed25519_key()))
    assert entry["verified"] is False
    assert entry["error"].startswith("in-toto: ")


def certified_signer(**build):
    return {"method": "sigstore", "identity": "https://github.com/o/r/.github/workflows/b.yml@v1",
            "build": build}


PREDICATE = {"slsa_version": "1", "builder_id": "https://github.com/o/r/.github/workflows/b.yml@v1",
             "source_repository": "https://github.com/o/r", "source_ref": "refs/tags/v1",
             "source_commit": "ABCDEF0123"}


def test_certificate_facts_are_compared_in_one_form():
    """A repository spelled git+https://….git and a commit in capitals agree with the
    certificate's https URI and lowercase hex: same facts, other spelling."""
    bound = provenance.bind_to_signer(PREDICATE, certified_signer(
        build_signer_uri=PREDICATE["builder_id"],
        source_repository_uri="git+https://github.com/o/r.git",
        source_repository_ref="refs/tags/v1",
        source_repository_digest="abcdef0123",
    ))
    assert all(claim["agrees"] for claim in bound["claims"].values()), bound["claims"]
    assert bound["source_commit"] == "abcdef0123"  # the certificate's value counts
    assert bound["claims"]["source_commit"]["from"] == "certificate"


def test_a_fact_neither_states_agrees_and_one_only_the_certificate_states_is_its():
    bound = provenance.bind_to_signer({**PREDICATE, "source_ref": None, "source_commit": None},
                                      certified_signer(build_signer_uri=PREDICATE["builder_id"],
                                                       source_repository_ref="refs/tags/v1"))
    assert bound["claims"]["source_commit"] == {
        "value": None, "from": "predicate", "predicate": None, "certificate": None,
        "agrees": True,
    }
    assert bound["source_ref"] == "refs/tags/v1" and bound["claims"]["source_ref"]["agrees"]
    # the predicate claims a repository the certificate does not state: nobody vouches
    assert bound["claims"]["source_repository"]["agrees"] is False
