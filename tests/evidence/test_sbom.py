"""CycloneDX (JSON, XML) and SPDX SBOMs: the real corpus files load, bad files fail closed."""

import json

import orjson
import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.bom.sbom import read_sbom


def corpus_sboms(corpus):
    return sorted((corpus / "sbom").rglob("*.json"))


def test_every_corpus_sbom_loads_and_validates(corpus):
    files = corpus_sboms(corpus)
    assert len(files) == 9
    for path in files:
        sbom = read_sbom(path.read_bytes(), path.name)
        assert sbom["valid"], (path.name, sbom["validation_errors"])
        assert sbom["component_count"] == len(sbom["components"]) > 0
        assert sbom["format"] in ("cyclonedx", "spdx")


def test_cyclonedx_facts(corpus):
    path = corpus / "sbom/cyclonedx-py/env-with-extras.cyclonedx-py.cdx-1.5.json"
    sbom = read_sbom(path.read_bytes(), "env.json")
    assert sbom["spec_version"] == "1.5"
    arrow = next(c for c in sbom["components"] if c["name"] == "arrow")
    assert arrow["purl"] == "pkg:pypi/arrow@1.3.0"
    assert arrow["licenses"] == ["License :: OSI Approved :: Apache Software License"]


def test_mlbom_models_and_model_card(corpus):
    path = corpus / "sbom/cyclonedx-examples/spec-valid-machine-learning-1.6.json"
    sbom = read_sbom(path.read_bytes(), "ml.json")
    (model,) = sbom["models"]
    assert model["name"] == "stable-diffusion"
    card = model["model_card"]
    assert set(card["sections"]) >= {"modelParameters", "quantitativeAnalysis", "considerations"}
    assert card["performance_metrics"][0]["type"] == "The type of performance metric"


def test_spdx_packages_become_components(corpus):
    path = corpus / "sbom/trivy/conda-repo.trivy.spdx-2.3.json"
    sbom = read_sbom(path.read_bytes(), "conda.spdx.json")
    assert sbom["format"] == "spdx" and sbom["spec_version"] == "2.3"
    pip = next(c for c in sbom["components"] if c["name"] == "pip")
    assert pip["purl"] == "pkg:conda/pip@22.2.2"
    assert pip["licenses"] == ["MIT"]
    assert pip["type"] == "library"


def _model_bom(version):
    from cyclonedx.model import HashAlgorithm, HashType
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType

    component = Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name="clf",
        version="1",
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content="ab" * 32)],
    )
    return Bom(components=[component])


@pytest.mark.parametrize("version", ["V1_5", "V1_6", "V1_7"])
def test_cyclonedx_xml_is_validated_and_read(version):
    from cyclonedx.output import make_outputter
    from cyclonedx.schema import OutputFormat, SchemaVersion

    xml = make_outputter(_model_bom(version), OutputFormat.XML, SchemaVersion[version])
    sbom = read_sbom(xml.output_as_string().encode(), "bom.xml")
    assert sbom["serialization"] == "xml" and sbom["valid"]
    assert sbom["models"][0]["sha256"] == "ab" * 32


def test_schema_invalid_bom_is_recorded_not_passed():
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [{"name": "x", "type": "spaceship"}],
    }
    sbom = read_sbom(orjson.dumps(bom), "bad.cdx.json")
    assert not sbom["valid"]
    assert any("components[0].type" in error for error in sbom["validation_errors"])


def test_invalid_xml_bom_is_recorded():
    xml = (
        b'<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">'
        b'<components><component type="library"><version>1</version></component></components>'
        b"</bom>"
    )
    sbom = read_sbom(xml, "bad.xml")
    assert not sbom["valid"] and sbom["validation_errors"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'{"bomFormat": "CycloneDX", "specVersion": "1.6", ', "malformed JSON"),
        (
            b'{"bomFormat": "CycloneDX", "specVersion": "9.9"}',
            "unsupported CycloneDX specVersion '9.9'",
        ),
        (b'{"bomFormat": "CycloneDX"}', "without a specVersion"),
        (b'{"spdxVersion": "SPDX-3.0"}', "unsupported SPDX version"),
        (json.dumps({"version": "2.1.0", "runs": []}).encode(), "not an SBOM"),
        (b"<html><body>hi</body></html>", "not a CycloneDX BOM"),
        (
            b'<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x "y">]><bom xmlns="http://cyclonedx.org/schema/bom/1.6">&x;</bom>',
            "refused XML",
        ),
    ],
)
def test_bad_sbom_files_fail_closed(content, problem):
    with pytest.raises(EvidenceError) as error:
        read_sbom(content, "evidence/sbom.json")
    assert "evidence/sbom.json" in str(error.value)
    assert problem in str(error.value)


def test_each_entry_names_the_sbom_it_came_from(tmp_path):
    from gatekeeper.evidence.bom.sbom import collect
    from gatekeeper.evidence.context import CollectContext

    for name in ("a", "b"):
        bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
            {"type": "library", "name": f"lib-{name}"},
            {"type": "machine-learning-model", "name": f"model-{name}"}]}
        (tmp_path / f"{name}.cdx.json").write_bytes(orjson.dumps(bom))
    context = CollectContext(base_dir=tmp_path, root=tmp_path.resolve())
    sbom = collect(["a.cdx.json", "b.cdx.json"], context)["sbom"]
    assert [(c["name"], c["source"]) for c in sbom["components"].values()] == [
        ("lib-a", "a.cdx.json"), ("model-a", "a.cdx.json"),
        ("lib-b", "b.cdx.json"), ("model-b", "b.cdx.json")]
    assert [(m["name"], m["source"]) for m in sbom["models"]] == [
        ("model-a", "a.cdx.json"), ("model-b", "b.cdx.json")]
    assert [d["source"] for d in sbom["documents"]] == ["a.cdx.json", "b.cdx.json"]
