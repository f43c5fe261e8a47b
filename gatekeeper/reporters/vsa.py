"""SLSA verification summary (VSA): an in-toto Statement v1, signed as a DSSE envelope.

It says: this verifier checked these artifacts (the subject, by digest) against this policy (by
the digest of every policy module, the thresholds and the profile) at this time, using these
evidence files (each by digest), and the result was PASSED or FAILED. A deployment stage checks
the signature, the subject digest and the policy digest with ``gatekeeper verify-summary``
instead of running the gate again. Per-control outcomes and maturity levels travel as extension
fields under URI names, as the in-toto parsing rules require.

Signing is with a key through securesystemslib (a PEM private key: Ed25519, ECDSA or RSA). An
unsigned VSA proves nothing, so without a key this format is an error, never an unsigned file.

A saved results document is signed only if it is what the gate would have said: ``check_results``
recomputes the verdict (with the library's ``decide``) and the summary from its control outcomes,
and compares its policy digest with the one the configuration gives now; any disagreement is
refused (exit 3). ``verify`` checks, besides signature and result, the subject, the policy
digest, the verifier id, the resourceUri and the age of the summary.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.jsonio import dumps, parse_json, read_bytes, sha256_file
from gatekeeper.reporters.view import utc

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://slsa.dev/verification_summary/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
VERIFIER_ID = "https://gatekeeper.dev/verifier/v1"
CONTROLS_FIELD = "https://gatekeeper.dev/vsa/controls/v1"
MATURITY_FIELD = "https://gatekeeper.dev/vsa/maturity/v1"
PASSWORD_ENV = "GATEKEEPER_VSA_KEY_PASSWORD"
_SHA256 = re.compile(r"^(?:sha256:)?([0-9a-f]{64})$")


@dataclass(frozen=True)
class Signing:
    """How to sign and what to name: the signer, and optional subject and resource URI."""

    signer: Any  # a securesystemslib Signer
    subjects: tuple[dict[str, Any], ...] = ()
    resource_uri: str | None = None


def load_signer(path: Path) -> Any:
    """A securesystemslib signer from a PEM private key.

    An encrypted key's password comes from $GATEKEEPER_VSA_KEY_PASSWORD.
    """
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from securesystemslib.signer import CryptoSigner

    data = read_bytes(path, ConfigError)
    password = os.environ.get(PASSWORD_ENV)
    try:
        key = load_pem_private_key(data, password.encode() if password else None)
        return CryptoSigner(key)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ConfigError(
            f"not a usable PEM private key: {error}", path=path,
            hint=f"an Ed25519, ECDSA or RSA key in PEM; an encrypted key's password goes in "
                 f"${PASSWORD_ENV}",
        ) from None


def load_public_key(path: Path) -> Any:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_pem_public_key
    from securesystemslib.signer import SSlibKey

    data = read_bytes(path, ConfigError)
    try:
        return SSlibKey.from_crypto(load_pem_public_key(data))
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ConfigError(f"not a usable PEM public key: {error}", path=path) from None


def subject(value: str) -> dict[str, Any]:
    """``--vsa-subject``: a file (named and hashed here) or a digest ``sha256:<hex>``."""
    match = _SHA256.match(value)
    if match:
        return {"digest": {"sha256": match.group(1)}}
    path = Path(value)
    return {"name": path.as_posix(), "digest": {"sha256": sha256_file(path, ConfigError)}}


def _subjects(results: dict[str, Any], given: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    name = results["subject"]["name"]
    if given:
        return [{"name": item.get("name", name), "digest": item["digest"]} for item in given]
    artifacts = [
        {"name": source["path"], "digest": {"sha256": source["sha256"]}}
        for source in results["evidence"]["sources"] if source["collector"] == "artifacts"
    ]
    if not artifacts:
        raise ConfigError(
            "a verification summary needs a subject, and this run has no artifacts",
            hint="list the released files under artifacts: in gatekeeper.yaml, "
                 "or give --vsa-subject FILE (or sha256:<digest>)",
        )
    return artifacts


def _default_resource_uri(results: dict[str, Any]) -> str:
    subject_ = results["subject"]
    uri = f"pkg:generic/{quote(subject_['name'], safe='')}"
    return uri + (f"@{quote(subject_['version'], safe='')}" if subject_.get("version") else "")


def _controls(results: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for control in results["controls"]:
        entry = {"outcome": control["outcome"], "enforcement": control["enforcement"]}
        if control.get("waiver"):
            entry["exception"] = control["waiver"]["exception"]
        found[control["id"]] = entry
    return found


def _maturity(maturity: dict[str, Any]) -> dict[str, Any]:
    return {
        "overall": maturity["overall"],
        "domains": {d["id"]: {"level": d["level"], "mean": d["mean"]}
                    for d in maturity["domains"]},
    }


def statement(results: dict[str, Any], signing: Signing) -> dict[str, Any]:
    passed = results["verdict"]["outcome"] == "pass"
    maturity = results.get("maturity")
    levels = ["GATEKEEPER_GATE_PASSED"] if passed else ["FAILED"]
    if passed and maturity:
        levels.append(f"GATEKEEPER_MATURITY_LEVEL_{maturity['overall']['level']}")
    predicate: dict[str, Any] = {
        "verifier": {
            "id": VERIFIER_ID,
            "version": {"gatekeeper": results["tool"]["version"],
                        results["engine"]["kind"]: results["engine"].get("version", "")},
        },
        "timeVerified": utc(results["evaluated_at"]),
        "resourceUri": signing.resource_uri or _default_resource_uri(results),
        "policy": {
            "uri": f"pkg:generic/gatekeeper@{results['tool']['version']}#policies",
            "digest": {"sha256": results["policy"]["digest"]},
        },
        "inputAttestations": [
            {"uri": source["path"], "digest": {"sha256": source["sha256"]}}
            for source in results["evidence"]["sources"] if source["collector"] != "artifacts"
        ],
        "verificationResult": "PASSED" if passed else "FAILED",
        "verifiedLevels": levels,
        "slsaVersion": "1.0",
        CONTROLS_FIELD: _controls(results),
    }
    if maturity:
        predicate[MATURITY_FIELD] = _maturity(maturity)
    return {
        "_type": STATEMENT_TYPE,
        "subject": _subjects(results, signing.subjects),
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }


def check_results(results: dict[str, Any], path: Path, policy_digest: str) -> None:
    """Refuse to sign a results document whose verdict, summary or policy digest is not what
    its control outcomes and the configuration's policies give (someone edited it)."""
    problems = altered(results, policy_digest)
    if problems:
        raise EvidenceError(
            "refusing to sign a verification summary for an altered results document: "
            + "; ".join(problems),
            path=path,
            hint="sign the results of an unedited run (gatekeeper check -f vsa does both)",
        )


def altered(results: dict[str, Any], policy_digest: str | None = None) -> list[str]:
    """How a results document contradicts itself: a verdict or summary its control outcomes
    do not give, or (when ``policy_digest`` is given) another policy digest. Empty: none."""
    from gatekeeper.results import decide, summary
    from gatekeeper.scoring import below_minimum

    controls = [_control_result(control) for control in results["controls"]]
    let_through = frozenset(
        entry["control"] for entry in (results.get("baseline") or {}).get("let_through", [])
    )
    maturity = results.get("maturity")
    verdict = decide(controls, below_minimum(maturity) if maturity else (), let_through)
    stated = results["verdict"]
    problems = []
    if (stated["outcome"], stated["exit_code"]) != (verdict.outcome, verdict.exit_code):
        problems.append(
            f"its verdict says {stated['outcome']} (exit {stated['exit_code']}) but its control "
            f"outcomes give {verdict.outcome} (exit {verdict.exit_code})"
        )
    counted = summary(controls)
    if results["summary"] != counted:
        problems.append(f"its summary says {_counts(results['summary'])} but its controls "
                        f"count {_counts(counted)}")
    if policy_digest is not None and results["policy"]["digest"] != policy_digest:
        problems.append(
            f"its policy digest is {results['policy']['digest']} but the configuration's "
            f"policies, thresholds and profile give {policy_digest}"
        )
    return problems


def _control_result(control: dict[str, Any]) -> Any:
    """A saved control result, as ``decide`` reads it (id, enforcement, outcome, messages)."""
    from gatekeeper.config import Enforcement
    from gatekeeper.engine.policies import Control
    from gatekeeper.results import ControlResult, Message, Outcome

    metadata = Control(
        id=control["id"], package=control["package"], path=Path(control["package"]),
        title=control["title"], description=control["description"],
        remediation=control["remediation"], severity=control["severity"],
        questions=tuple(control["questions"]), waivable=control["waivable"],
    )
    return ControlResult(
        control=metadata,
        enforcement=Enforcement(control["enforcement"]),
        outcome=Outcome(control["outcome"]),
        messages=tuple(Message.from_dict(message) for message in control["messages"]),
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))


def render(results: dict[str, Any], *, color: bool = False, signing: Signing | None = None) -> str:
    from securesystemslib.dsse import Envelope

    if signing is None:
        raise ConfigError(
            "the vsa format needs a signing key: give --vsa-key PATH (a PEM private key)",
            hint="an unsigned verification summary proves nothing, so gatekeeper writes none",
        )
    payload = dumps(statement(results, signing), pretty=False)
    envelope = Envelope(payload=payload, payload_type=PAYLOAD_TYPE, signatures={})
    envelope.sign(signing.signer)
    return dumps(envelope.to_dict()).decode("utf-8")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _envelope(path: Path) -> Any:
    from securesystemslib.dsse import Envelope

    document = parse_json(read_bytes(path), path)
    try:
        return Envelope.from_dict(document)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise EvidenceError(f"not a DSSE envelope: {error!r}", path=path) from None


def _statement(envelope: Any, path: Path) -> tuple[dict[str, Any] | None, str]:
    if envelope.payload_type != PAYLOAD_TYPE:
        return None, f"payload type is {envelope.payload_type!r}, not {PAYLOAD_TYPE}"
    try:
        document = parse_json(envelope.payload, path)
    except EvidenceError:
        return None, "the signed payload is not JSON"
    if not isinstance(document, dict) or document.get("_type") != STATEMENT_TYPE:
        return None, f"the payload is not an in-toto Statement v1 ({STATEMENT_TYPE})"
    if document.get("predicateType") != PREDICATE_TYPE:
        return None, f"predicate type is {document.get('predicateType')!r}, not {PREDICATE_TYPE}"
    if not isinstance(document.get("predicate"), dict):
        return None, "the statement has no predicate"
    return document, f"{STATEMENT_TYPE} with {PREDICATE_TYPE}"


@dataclass(frozen=True)
class Expectations:
    """What ``verify-summary`` requires of a summary besides its signature and PASSED.

    ``subject_file`` None means any subject (``--any-subject``, said explicitly).
    """

    subject_file: Path | None = None
    policy_digest: str | None = None
    verifier_id: str = VERIFIER_ID
    resource_uri: str | None = None
    max_age: timedelta | None = None
    now: datetime | None = None


def parse_max_age(value: str) -> timedelta:
    """``--max-age``: a whole number of days, hours or minutes (``7d``, ``12h``, ``30m``)."""
    match = re.fullmatch(r"([0-9]+)([dhm])", value.strip())
    if not match or int(match.group(1)) == 0:
        raise ConfigError(f"--max-age {value!r}: expected a positive number of days, hours or "
                          f"minutes, like 7d, 12h or 30m")
    unit = {"d": "days", "h": "hours", "m": "minutes"}[match.group(2)]
    return timedelta(**{unit: int(match.group(1))})


def verify(path: Path, key: Any, expect: Expectations) -> list[Check]:
    """Check a VSA: signature, statement, result, verifier, and what ``expect`` requires.

    Stops at the first check that fails to establish trust (signature, statement): nothing in an
    unverified payload is read.
    """
    from securesystemslib.exceptions import VerificationError

    envelope = _envelope(path)
    try:
        envelope.verify([key], 1)
    except (VerificationError, ValueError) as error:
        return [Check("signature", False, f"not signed by key {key.keyid[:16]}…: {error}")]
    checks = [Check("signature", True, f"signed by key {key.keyid[:16]}…")]
    document, detail = _statement(envelope, path)
    checks.append(Check("statement", document is not None, detail))
    if document is None:
        return checks
    predicate = document["predicate"]
    result = predicate.get("verificationResult")
    checks.append(Check("result", result == "PASSED", f"verificationResult {result}"))
    checks.append(_verifier_check(predicate, expect.verifier_id))
    if expect.resource_uri is not None:
        checks.append(_resource_check(predicate, expect.resource_uri))
    if expect.max_age is not None:
        checks.append(_age_check(predicate, expect.max_age, expect.now))
    subject_file, policy_digest = expect.subject_file, expect.policy_digest
    if subject_file is not None:
        digest = sha256_file(subject_file, ConfigError)
        names = [s.get("name", "?") for s in document.get("subject", [])
                 if isinstance(s, dict) and s.get("digest", {}).get("sha256") == digest]
        checks.append(Check(
            "subject", bool(names),
            f"{subject_file} (sha256 {digest[:12]}…) is subject {names[0]}" if names
            else f"{subject_file} (sha256 {digest[:12]}…) is not a subject of this summary",
        ))
    if policy_digest is not None:
        wanted = _SHA256.match(policy_digest.strip().lower())
        if not wanted:
            raise ConfigError(f"--policy-digest {policy_digest!r}: not a sha256 digest")
        actual = (predicate.get("policy") or {}).get("digest", {}).get("sha256")
        checks.append(Check(
            "policy", actual == wanted.group(1),
            f"policy digest {actual}" + ("" if actual == wanted.group(1)
                                         else f", expected {wanted.group(1)}"),
        ))
    return checks



def _verifier_check(predicate: dict[str, Any], expected: str) -> Check:
    actual = (predicate.get("verifier") or {}).get("id")
    return Check("verifier", actual == expected,
                 f"verifier {actual}" + ("" if actual == expected else f", expected {expected}"))


def _resource_check(predicate: dict[str, Any], expected: str) -> Check:
    actual = predicate.get("resourceUri")
    return Check("resource", actual == expected,
                 f"resourceUri {actual}" + ("" if actual == expected else f", expected {expected}"))


def _age_check(predicate: dict[str, Any], max_age: timedelta, now: datetime | None) -> Check:
    from gatekeeper.timeutil import parse_rfc3339

    stated = predicate.get("timeVerified")
    verified_at = parse_rfc3339(stated) if isinstance(stated, str) else None
    if verified_at is None:
        return Check("age", False, f"timeVerified {stated!r} is not an RFC 3339 time")
    age = (now or datetime.now(verified_at.tzinfo)) - verified_at
    if age < timedelta(0):
        return Check("age", False, f"timeVerified {stated} is in the future")
    return Check("age", age <= max_age,
                 f"verified {_duration(age)} ago at {stated} (at most {_duration(max_age)})")


def _duration(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    return f"{hours // 24}d {hours % 24}h" if hours >= 24 else f"{int(span.total_seconds() // 60)}m"
