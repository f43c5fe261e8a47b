"""The ``trust:`` section of gatekeeper.yaml, loaded: who may sign, with what, and how recently.

Collectors that verify signatures ask this object for trust material: the Sigstore trusted root
(the one shipped in the sigstore package, or a user's ``trusted_root.json``), identity policies
for Sigstore certificates, public keys, certificate chains. ``describe()`` is the ``trust``
section of the evidence document, so every report shows what a signature was checked against,
and policies read the trusted builders, the expected source and the maximum ages from it.

Heavy libraries (sigstore, cryptography) are imported only when a collector needs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.jsonio import sha256_bytes
from gatekeeper.timeutil import rfc3339

NAME = "trust"
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
DEFAULT_MAX_AGE_DAYS = {"signatures": 365, "provenance": 365}

# Fulcio's certificate extensions (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md)
_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1"
_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8"
_GITHUB_EXTENSIONS = {
    "trigger": "1.3.6.1.4.1.57264.1.2",
    "sha": "1.3.6.1.4.1.57264.1.3",
    "repository": "1.3.6.1.4.1.57264.1.5",
    "ref": "1.3.6.1.4.1.57264.1.6",
}
_SIGSTORE_OTHERNAME = "1.3.6.1.4.1.57264.1.7"
# What the certificate says about the build that signed (Fulcio's v2 extensions, DER UTF8String
# values): the facts provenance claims must agree with.
BUILD_EXTENSIONS = {
    "build_signer_uri": "1.3.6.1.4.1.57264.1.9",
    "build_signer_digest": "1.3.6.1.4.1.57264.1.10",
    "runner_environment": "1.3.6.1.4.1.57264.1.11",
    "source_repository_uri": "1.3.6.1.4.1.57264.1.12",
    "source_repository_digest": "1.3.6.1.4.1.57264.1.13",
    "source_repository_ref": "1.3.6.1.4.1.57264.1.14",
    "build_config_uri": "1.3.6.1.4.1.57264.1.18",
    "build_trigger": "1.3.6.1.4.1.57264.1.20",
    "run_invocation_uri": "1.3.6.1.4.1.57264.1.21",
}
# The sigstore library's private names gatekeeper relies on, for want of a public API in 4.x:
# the trust material shipped inside the package (read offline, without a TUF refresh) and the
# signing times the verifier itself relied on. pyproject.toml bounds sigstore below 5, and
# tests/evidence/test_sigstore_contract.py fails loudly when one of these changes.
SIGSTORE_PRIVATE_APIS = (
    ("sigstore._utils", "read_embedded"),
    ("sigstore._internal.tuf", "DEFAULT_TUF_URL"),
    ("sigstore._internal.tuf", "STAGING_TUF_URL"),
    ("sigstore.verify.verifier", "Verifier._establish_time"),
)
# What a key in trust.keys may vouch for; a key entry without ``purposes`` may vouch for all.
KEY_PURPOSES = ("provenance", "model-signing", "vsa")


def verified() -> dict[str, Any]:
    return {"verified": True, "unverifiable": False, "error": None}


def rejected(reason: str) -> dict[str, Any]:
    """The evidence was checked and is not acceptable: a failure."""
    return {"verified": False, "unverifiable": False, "error": reason}


def unverifiable(reason: str) -> dict[str, Any]:
    """The evidence could not be checked here (offline, unsupported format): an error."""
    return {"verified": False, "unverifiable": True, "error": reason}


UNSUPPORTED = "cannot be verified offline by this version"


def unsupported(reason: str) -> dict[str, Any]:
    """A well-formed signature in a shape the libraries here cannot verify offline: an error
    (exit 3), never a forgery verdict."""
    return unverifiable(f"{UNSUPPORTED}: {reason}")


def plain_error(error: Exception) -> str:
    """A library error in one line: a pydantic validation error as its first field and problem
    (no dump of the input, no URL), anything else as its first line."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            first = found[0]
            where = ".".join(str(part) for part in first.get("loc", ())) or "the document"
            more = f" (and {len(found) - 1} more problems)" if len(found) > 1 else ""
            return f"{where}: {first.get('msg', 'invalid')}{more}"
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def normalize_repository(uri: str) -> str:
    """``git+https://github.com/o/r.git@refs/tags/v1`` or ``github.com/o/r``: ``https://github.com/o/r``."""
    text = uri.strip().removeprefix("git+")
    if "://" not in text:
        text = "https://" + text
    scheme, _, rest = text.partition("://")
    return f"{scheme}://{rest.split('@', 1)[0]}".rstrip("/").removesuffix(".git")


@dataclass(frozen=True)
class TrustedKey:
    name: str
    path: str
    public_key: Any  # a cryptography public key
    fingerprint: str  # sha256 of the DER SubjectPublicKeyInfo
    pem_sha256: str  # sha256 of the PEM text: model-signing's key hint
    key_type: str
    purposes: tuple[str, ...] = KEY_PURPOSES
    builders: tuple[str, ...] = ()  # the builder ids its provenance may name

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name, "path": self.path, "type": self.key_type,
            "fingerprint": self.fingerprint, "purposes": list(self.purposes),
            "builders": list(self.builders),
        }


def beyond_purpose(key: TrustedKey, purpose: str) -> dict[str, Any] | None:
    """A rejection when ``key`` is trusted, but not for ``purpose``; None when it may vouch."""
    if purpose in key.purposes:
        return None
    return rejected(
        f"signed by key {key.name}, which trust.keys allows for {', '.join(key.purposes)} "
        f"only, not for {purpose}"
    )


@dataclass(frozen=True)
class TrustedChain:
    name: str
    paths: tuple[Path, ...]
    certificates: tuple[dict[str, str], ...]

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "certificates": list(self.certificates)}


def certificate_facts(cert: Any, path: str | None = None) -> dict[str, Any]:
    """Subject, issuer, validity and fingerprint of an X.509 certificate, for reports."""
    from cryptography.hazmat.primitives import hashes

    facts = {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "not_before": rfc3339(cert.not_valid_before_utc),
        "not_after": rfc3339(cert.not_valid_after_utc),
        "fingerprint": cert.fingerprint(hashes.SHA256()).hex(),
    }
    if path is not None:
        facts["path"] = path
    return facts


def _extension_text(cert: Any, dotted: str) -> str | None:
    """A Fulcio extension's text: raw bytes in OIDs .1-.6, a DER UTF8String from .8 on."""
    from cryptography import x509

    try:
        value = cert.extensions.get_extension_for_oid(x509.ObjectIdentifier(dotted)).value
    except x509.ExtensionNotFound:
        return None
    raw = value.value
    if int(dotted.rsplit(".", 1)[1]) >= 8 and raw[:1] == b"\x0c":
        length, start = raw[1], 2
        if length & 0x80:  # the long length form
            count = length & 0x7F
            length, start = int.from_bytes(raw[2 : 2 + count], "big"), 2 + count
        raw = raw[start : start + length]
    return bytes(raw).decode("utf-8", "replace")


def signer_facts(cert: Any) -> dict[str, Any]:
    """Who a Sigstore (Fulcio) certificate names: its identity, OIDC issuer, GitHub claims."""
    from cryptography import x509

    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        sans = None
    identities: list[str] = []
    if sans is not None:
        identities += sans.get_values_for_type(x509.UniformResourceIdentifier)
        identities += sans.get_values_for_type(x509.RFC822Name)
        identities += [
            other.value.decode("utf-8", "replace")
            for other in sans.get_values_for_type(x509.OtherName)
            if other.type_id.dotted_string == _SIGSTORE_OTHERNAME
        ]
    facts: dict[str, Any] = {
        "method": "sigstore",
        "identity": identities[0] if identities else None,
        "issuer": _extension_text(cert, _ISSUER_V2) or _extension_text(cert, _ISSUER_V1),
    }
    for name, table in (("github", _GITHUB_EXTENSIONS), ("build", BUILD_EXTENSIONS)):
        present = {
            key: value
            for key, dotted in table.items()
            if (value := _extension_text(cert, dotted)) is not None
        }
        if present:
            facts[name] = present
    return facts


class _FirstTrustedIdentity:
    """A sigstore verification policy: the certificate must match one trusted identity.

    Like sigstore's ``AnyOf``, but it remembers which identity matched (for the report) and
    says in plain words who signed when none does. No identity at all never passes.
    """

    def __init__(self, identities: list[tuple[str, Any]]):
        self._identities = identities
        self.matched: str | None = None

    def verify(self, cert: Any) -> None:
        from sigstore.errors import VerificationError

        if not self._identities:
            raise VerificationError("no Sigstore identity is trusted (configure trust.identities)")
        for name, policy in self._identities:
            try:
                policy.verify(cert)
            except VerificationError:
                continue
            self.matched = name
            return
        signer = signer_facts(cert)
        raise VerificationError(
            f"signed by {signer['identity']} (issuer {signer['issuer']}), which is not a "
            f"trusted identity ({len(self._identities)} configured in trust.identities)"
        )


class _WorkflowPath:
    """The certificate's identity is the named workflow file of the repository (any ref)."""

    def __init__(self, repository: str, workflow: str):
        self._prefix = f"https://github.com/{repository}/{workflow.lstrip('/')}@"

    def verify(self, cert: Any) -> None:
        from sigstore.errors import VerificationError

        identity = signer_facts(cert)["identity"] or ""
        if not identity.startswith(self._prefix):
            raise VerificationError(f"identity {identity} is not the workflow {self._prefix}…")


class Trust:
    """The trust settings of one run, loaded lazily from the ``trust:`` mapping."""

    def __init__(self, settings: dict[str, Any], context: CollectContext):
        self.settings = settings
        self.context = context
        self.used_sigstore = False

    # --- Sigstore ---------------------------------------------------------------------------

    @cached_property
    def _sigstore_root(self) -> tuple[bytes, dict[str, Any], str]:
        """The trusted root JSON, its description, and the instance whose signing config fits."""
        from sigstore import __version__ as sigstore_version

        require_sigstore_apis()
        settings = self.settings.get("sigstore", {})
        instance = settings.get("instance", "production")
        if "trusted_root" in settings:
            path = self.context.base_dir / settings["trusted_root"]
            data = self._read(path, "trust.sigstore.trusted_root")
            where = self.context.display_path(path)
            described = {"instance": "custom", "trusted_root": where}
        else:
            data = _embedded(instance, "trusted_root.json")
            described = {
                "instance": instance,
                "trusted_root": f"shipped in sigstore {sigstore_version}",
            }
        described["sha256"] = sha256_bytes(data)
        return data, described, instance

    @cached_property
    def sigstore_verifier(self) -> Any:
        from sigstore.models import TrustedRoot
        from sigstore.verify import Verifier
        from sigstore_models.trustroot import v1 as trustroot_v1

        data, described, _ = self._sigstore_root
        self.used_sigstore = True
        try:
            return Verifier(trusted_root=TrustedRoot(trustroot_v1.TrustedRoot.from_json(data)))
        except Exception as error:  # pydantic and sigstore errors: the file is not a root
            raise ConfigError(
                "trust.sigstore.trusted_root: not a usable Sigstore trusted root: "
                + plain_error(error),
                path=described["trusted_root"],
            ) from None

    def sigstore_trust_config(self) -> bytes:
        """A ClientTrustConfig (trusted root + signing config), for model-signing offline."""
        import orjson

        data, _, instance = self._sigstore_root
        return orjson.dumps(
            {
                "mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
                "trustedRoot": orjson.loads(data),
                "signingConfig": orjson.loads(_embedded(instance, "signing_config.v0.2.json")),
            }
        )

    def identity_policy(self) -> _FirstTrustedIdentity:
        """A fresh policy for one certificate (it records which identity matched)."""
        return _FirstTrustedIdentity([(name, policy) for name, policy in self._identity_policies])

    @cached_property
    def _identity_policies(self) -> list[tuple[str, Any]]:
        from sigstore.verify import policy

        policies: list[tuple[str, Any]] = []
        for entry in self.settings.get("identities", []):
            if "github" in entry:
                github = entry["github"]
                children: list[Any] = [
                    policy.OIDCIssuer(GITHUB_ISSUER),
                    policy.GitHubWorkflowRepository(github["repository"]),
                ]
                if "ref" in github:
                    children.append(policy.GitHubWorkflowRef(github["ref"]))
                if "trigger" in github:
                    children.append(policy.GitHubWorkflowTrigger(github["trigger"]))
                if "workflow" in github:
                    children.append(_WorkflowPath(github["repository"], github["workflow"]))
                policies.append((_identity_name(entry), policy.AllOf(children)))
            else:
                identity = policy.Identity(identity=entry["identity"], issuer=entry["issuer"])
                policies.append((_identity_name(entry), identity))
        return policies

    # --- keys and certificate chains --------------------------------------------------------

    @cached_property
    def keys(self) -> tuple[TrustedKey, ...]:
        from cryptography.hazmat.primitives import serialization

        keys = []
        for index, entry in enumerate(self.settings.get("keys", [])):
            path = self.context.base_dir / entry["path"]
            setting = f"trust.keys[{index}].path"
            data = self._read(path, setting)
            try:
                public_key = serialization.load_pem_public_key(data)
            except (ValueError, TypeError) as error:
                raise ConfigError(
                    f"{setting}: not a PEM public key ({error})",
                    path=self.context.display_path(path),
                ) from None
            der = public_key.public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            pem = public_key.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            keys.append(
                TrustedKey(
                    name=entry["name"],
                    path=self.context.display_path(path),
                    public_key=public_key,
                    fingerprint=sha256_bytes(der),
                    pem_sha256=sha256_bytes(pem),
                    key_type=_key_type(public_key),
                    purposes=tuple(entry.get("purposes", KEY_PURPOSES)),
                    builders=tuple(entry.get("builders", ())),
                )
            )
        return tuple(keys)

    def keys_for(self, purpose: str) -> tuple[TrustedKey, ...]:
        """The trusted keys that may vouch for ``purpose`` (one of KEY_PURPOSES)."""
        return tuple(key for key in self.keys if purpose in key.purposes)

    def key_paths(self) -> dict[str, Path]:
        return {
            entry["name"]: self.context.base_dir / entry["path"]
            for entry in self.settings.get("keys", [])
        }

    @cached_property
    def chains(self) -> tuple[TrustedChain, ...]:
        from cryptography import x509

        chains = []
        for index, entry in enumerate(self.settings.get("certificates", [])):
            paths, certificates = [], []
            for number, name in enumerate(entry["chain"]):
                path = self.context.base_dir / name
                setting = f"trust.certificates[{index}].chain[{number}]"
                data = self._read(path, setting)
                try:
                    loaded = x509.load_pem_x509_certificates(data)
                except ValueError as error:
                    raise ConfigError(
                        f"{setting}: not a PEM certificate ({error})",
                        path=self.context.display_path(path),
                    ) from None
                paths.append(path)
                certificates += [
                    certificate_facts(cert, self.context.display_path(path)) for cert in loaded
                ]
            chains.append(TrustedChain(entry["name"], tuple(paths), tuple(certificates)))
        return tuple(chains)

    # --- the evidence section ---------------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        source = self.settings.get("source")
        described: dict[str, Any] = {
            "identities": [
                _describe_identity(entry) for entry in self.settings.get("identities", [])
            ],
            "keys": [key.describe() for key in self.keys],
            "certificates": [chain.describe() for chain in self.chains],
            "builders": list(self.settings.get("builders", [])),
            "source": None if source is None else {
                "repository": normalize_repository(source["repository"]),
                "refs": list(source.get("refs", [])),
            },
            "max_age_days": {**DEFAULT_MAX_AGE_DAYS, **self.settings.get("max_age_days", {})},
        }
        if self.used_sigstore:
            described["sigstore"] = self._sigstore_root[1]
        return described

    def _read(self, path: Path, setting: str) -> bytes:
        if not path.is_file():
            raise ConfigError(f"{setting}: file not found", path=self.context.display_path(path))
        return self.context.read(path, NAME)


def check_trust_files(settings: dict[str, Any], base_dir: Path) -> None:
    """Load every file the ``trust:`` section names (keys, certificate chains, a custom Sigstore
    trusted root) now, so a missing or junk one stops the run as a configuration error naming
    the file, whether or not any evidence gets as far as needing it."""
    trust = Trust(settings, CollectContext(base_dir))
    _ = trust.keys, trust.chains
    if "trusted_root" in settings.get("sigstore", {}):
        _ = trust.sigstore_verifier


def missing_sigstore_apis() -> list[str]:
    """The names of SIGSTORE_PRIVATE_APIS the installed sigstore lacks."""
    import importlib

    missing = []
    for module_name, attribute in SIGSTORE_PRIVATE_APIS:
        try:
            target: Any = importlib.import_module(module_name)
        except ImportError:
            missing.append(f"{module_name}.{attribute}")
            continue
        for part in attribute.split("."):
            target = getattr(target, part, None)
            if target is None:
                missing.append(f"{module_name}.{attribute}")
                break
    return missing


def require_sigstore_apis() -> None:
    """Stop with a clear error (exit 3) when the installed sigstore lacks a name we rely on."""
    missing = missing_sigstore_apis()
    if missing:
        from sigstore import __version__

        raise EvidenceError(
            f"sigstore {__version__} lacks {', '.join(missing)}, which gatekeeper needs to "
            "verify Sigstore bundles offline",
            hint="install the sigstore version pyproject.toml names (sigstore>=4.0,<5)",
        )


def _embedded(instance: str, name: str) -> bytes:
    """A file of the Sigstore instance's trust material as shipped inside the sigstore package."""
    from sigstore._internal.tuf import DEFAULT_TUF_URL, STAGING_TUF_URL
    from sigstore._utils import read_embedded

    return read_embedded(name, STAGING_TUF_URL if instance == "staging" else DEFAULT_TUF_URL)


def _identity_name(entry: dict[str, Any]) -> str:
    if "name" in entry:
        return str(entry["name"])
    if "github" in entry:
        github = entry["github"]
        parts = [github["repository"], github.get("workflow"), github.get("ref")]
        return "github:" + ":".join(part for part in parts if part)
    return str(entry["identity"])


def _describe_identity(entry: dict[str, Any]) -> dict[str, Any]:
    described: dict[str, Any] = {"name": _identity_name(entry)}
    if "github" in entry:
        described["github"] = dict(entry["github"])
        described["issuer"] = GITHUB_ISSUER
    else:
        described["identity"] = entry["identity"]
        described["issuer"] = entry["issuer"]
    return described


def _key_type(public_key: Any) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return f"ecdsa-{public_key.curve.name}"
    if isinstance(public_key, ed25519.Ed25519PublicKey):
        return "ed25519"
    if isinstance(public_key, rsa.RSAPublicKey):
        return f"rsa-{public_key.key_size}"
    return type(public_key).__name__
