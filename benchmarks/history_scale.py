"""How the results history scales: a synthetic organization of SYSTEMS AI systems x RUNS
weekly runs, loaded into each store URL given, then ``aggregate --history`` over each
system's latest run and ``history trend`` over one system, timed.

    python benchmarks/history_scale.py URL... [--systems 2000] [--runs 52]

URL: a SQLite file or sqlite:///path, or postgresql://user@host/db (password in PGPASSWORD).
Each run is a compact results document with the example's controls (outcome, enforcement,
strength), the catalog's 78 questions, five evidence digests and a red-team series of twelve
attack classes; scores and rates drift from run to run. Issue 17 asks for <= 2 s for each
query on PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from gatekeeper.aggregate import aggregate_history
from gatekeeper.catalog.loader import load_catalog
from gatekeeper.history.store import open_store
from gatekeeper.timeutil import rfc3339

CLASSES = ["prompt_injection", "jailbreak", "data_leakage", "excessive_agency",
           "harmful_content", "improper_output", "misinformation", "obfuscation",
           "sensitive_disclosure", "system_prompt_leakage", "unbounded_consumption", "toxicity"]
START = datetime(2025, 12, 1, tzinfo=timezone.utc)


def synthetic_run(system: int, week: int, question_ids: list[str], rng: random.Random) -> dict:
    controls = [{"id": f"CTRL-{i:02d}", "outcome": rng.choice(("pass", "pass", "pass", "fail")),
                 "enforcement": "blocking", "strength": "measured"} for i in range(72)]
    controls.append({"id": "RTE-red-team-gate", "outcome": "pass", "enforcement": "blocking",
                     "details": {"attack_classes": [
                         {"class": c, "rate": round(rng.random() * 0.2, 3)} for c in CLASSES]}})
    scores = [rng.randint(max(0, week // 20), 4) for _ in question_ids]
    return {
        "schema_version": "1",
        "subject": {"name": f"system-{system:04d}", "version": f"1.{week}.0"},
        "evaluated_at": rfc3339(START + timedelta(weeks=week, minutes=system)),
        "policy": {"digest": f"{system:064x}", "org_policy": None},
        "verdict": {"outcome": "pass", "exit_code": 0},
        "controls": controls,
        "evidence": {"sources": [{"path": f"evidence/{n}.json", "collector": "sbom",
                                  "sha256": f"{system * 1000 + week * 10 + n:064x}"}
                                 for n in range(5)]},
        "maturity": {
            "overall": {"level": min(scores) + 1, "mean": sum(scores) / len(scores),
                        "mean_level": 2.0},
            "domains": [{"id": d, "level": rng.randint(1, 5)} for d in
                        ("GRC", "SDL", "DAT", "INF", "APP", "MOD", "MON", "IRR", "RTE", "HIL",
                         "SAF")],
            "questions": [{"id": q, "score": s, "base_score": s, "source": "controls",
                           "strength": "measured"} for q, s in zip(question_ids, scores,
                                                                   strict=True)],
        },
    }


def timed(what: str, function: Any) -> Any:
    start = time.perf_counter()
    value = function()
    print(f"  {what}: {time.perf_counter() - start:.2f} s", flush=True)
    return value


def bench(url: str, systems: int, runs: int) -> None:
    print(f"{url.split('@')[-1]}: {systems} systems x {runs} runs", flush=True)
    catalog = load_catalog()
    question_ids = [q.id for q in catalog.questions]
    store = open_store(url)
    rng = random.Random(17)

    def load() -> None:
        for system in range(systems):
            store.push_many([synthetic_run(system, week, question_ids, rng)
                             for week in range(runs)])

    timed(f"load {systems * runs} runs", load)
    document = timed("aggregate --history (latest run of each system)",
                     lambda: aggregate_history(store, catalog))
    assert len(document["systems"]) == systems
    trend = timed("history trend (one system, attack_success, all runs)",
                  lambda: store.trend(f"system-{min(42, systems - 1):04d}", "attack_success"))
    assert len(trend) == runs * len(CLASSES)
    timed("history list (newest 50)", lambda: store.runs(limit=50))
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--systems", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=52)
    arguments = parser.parse_args()
    for url in arguments.urls:
        bench(url, arguments.systems, arguments.runs)


if __name__ == "__main__":
    main()
