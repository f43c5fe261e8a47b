from pathlib import Path

import pytest

from gatekeeper.config import Enforcement, Profile, load_config
from gatekeeper.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gatekeeper.yaml"
    path.write_text(text)
    return path


def test_minimal_config_gets_default_thresholds_and_blocking_profile(tmp_path):
    config = load_config(write(tmp_path, "version: 1\nsubject: {name: demo}\n"))
    assert config.thresholds["sast"]["block_at"] == "high"
    assert config.profile.enforcement("SDL-sast-clean") is Enforcement.BLOCKING
    assert config.base_dir == tmp_path.resolve()


def test_thresholds_override_known_keys(tmp_path):
    config = load_config(
        write(tmp_path, "version: 1\nsubject: {name: d}\nthresholds: {sast: {block_at: low}}\n")
    )
    assert config.thresholds["sast"]["block_at"] == "low"
    assert config.thresholds["secrets"]["block_at"] == "info"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("subject: {name: d}\nevidnce: {}\n", "evidnce"),
        ("subject: {}\n", "subject"),
        ("subject: {name: d}\nthresholds: {sast: {block_on: low}}\n", "thresholds.sast.block_on"),
        ("subject: {name: d}\nthresholds: {sbom: {min_components: many}}\n", "expected int"),
        ("subject: {name: d}\nartifacts: [{path: m.bin, kind: weights}]\n", "artifacts[0].kind"),
    ],
)
def test_configuration_errors_name_the_file_and_key(tmp_path, body, problem):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, "version: 1\n" + body))
    assert "gatekeeper.yaml" in str(error.value)
    assert problem in str(error.value)


def test_profile_disabled_beats_advisory_beats_blocking():
    profile = Profile(blocking=("SDL-*",), advisory=("SDL-sast-*",), disabled=("SDL-sast-clean",))
    assert profile.enforcement("SDL-sast-clean") is Enforcement.DISABLED
    assert profile.enforcement("SDL-sast-other") is Enforcement.ADVISORY
    assert profile.enforcement("SDL-sbom-present") is Enforcement.BLOCKING
    assert profile.enforcement("GRC-model-card-complete") is Enforcement.ADVISORY
