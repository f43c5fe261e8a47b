#!/usr/bin/env python3
"""Regenerate the assessment app's screenshots in docs/img/ (docs/serve.md, README).

Real runs only: the gate checks copies of the two examples with fixed times and pushes each run
into a fresh SQLite results history (model-release twice: first with two documented answers
that lift INF to level 3, then as shipped, so the organization page shows a regression), then
`gatekeeper serve`'s app runs on a free loopback port and headless Chromium (Debian's
`chromium`) photographs the model, questionnaire and organization pages.

    python tools/screenshots.py   # docs/img/serve-{model,questionnaire,organization}.png
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gatekeeper.cli import main  # noqa: E402
from gatekeeper.jsonio import sha256_file  # noqa: E402
from gatekeeper.serve.app import create_app  # noqa: E402
from gatekeeper.serve.project import Settings  # noqa: E402
from gatekeeper.serve.run import serving_in_thread  # noqa: E402

OUT = ROOT / "docs" / "img"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
PAGES = {"model": ("/", 1500), "questionnaire": ("/questionnaire", 1600),
         "organization": ("/organization", 700)}
PINNED = "docs/DR_DRILL_2026-10.md"
DOCUMENTED = """\
  INF-Q4:
    score: 3
    evidence: {pinned}
    attested_by: Sam Okafor (platform security)
    date: "2026-10-20"
    expires: "2027-10-20"
    evidence_files: [{{path: {pinned}, sha256: {sha256}}}]
  INF-Q5:
    score: 3
    evidence: {pinned}
    attested_by: Sam Okafor (platform security)
    date: "2026-10-20"
    expires: "2027-10-20"
    evidence_files: [{{path: {pinned}, sha256: {sha256}}}]
"""


def gate(folder: Path, now: str, history: Path, results: str) -> None:
    try:
        main(["check", "-c", str(folder / "gatekeeper.yaml"), "--now", now, "--history",
              str(history), "--results", str(folder / results), "--format", "json",
              "--output", str(folder / "report.json")])
    except SystemExit as done:
        if done.code not in (0, 1):
            raise SystemExit(f"gatekeeper check {folder}: exit {done.code}") from None


def example(work: Path, name: str) -> Path:
    ignore = shutil.ignore_patterns("gatekeeper-results.json", "__pycache__")
    return Path(shutil.copytree(ROOT / "examples" / name, work / name, ignore=ignore))


def runs(work: Path, history: Path) -> Path:
    release = example(work, "model-release")
    attestations = release / "attestations.yaml"
    shipped = attestations.read_text()
    documented = DOCUMENTED.format(pinned=PINNED, sha256=sha256_file(release / PINNED))
    attestations.write_text(shipped.replace("  IRR-Q1:\n", documented + "  IRR-Q1:\n", 1))
    gate(release, "2026-11-01T10:00:00Z", history, "earlier-results.json")
    attestations.write_text(shipped)
    gate(release, "2026-11-20T10:00:00Z", history, "gatekeeper-results.json")
    gate(example(work, "unsafe-release"), "2026-11-10T10:00:00Z", history,
         "gatekeeper-results.json")
    return release


def photograph(url: str, path: Path, height: int, profile: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    subprocess.run(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={profile}", f"--window-size=1400,{height}",
         f"--screenshot={path}", url],
        check=True, capture_output=True, timeout=120,
    )


def main_() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        history = work / "history.db"
        release = runs(work, history)
        settings = Settings(release / "gatekeeper.yaml", release / "gatekeeper-results.json",
                            history_url=str(history), now=lambda: NOW)
        with serving_in_thread(create_app(settings)) as url:
            for name, (route, height) in PAGES.items():
                target = OUT / f"serve-{name}.png"
                photograph(url + route, target, height, work / "profile")
                print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main_())
