"""Run the benchmark scenarios, ours then the peer's, and write the raw results as JSON.

    .venv/bin/python -m tests.benchmarks.run_benchmarks [--only NAME ...] [--repetitions N] [--output PATH]

Every scenario runs 5 times for ours and 5 times for the peer (each a first run and a re-run), and its table rows
are the medians; probes run once. --only and --repetitions are for trying a scenario out: tests.benchmarks.
performance_report refuses to render docs/performance.md from such a partial run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from tests.benchmarks import bake_chain, bake_preflight
from tests.benchmarks.harness import BenchmarkEmulator
from tests.benchmarks.scenarios import PROBES, SCENARIOS

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "tests" / "output" / "benchmarks" / "results.json"


def scenario_record(scenario, results, repetitions):
    record = {
        "name": scenario.name,
        "is_probe": scenario in PROBES,
        "faults": scenario.faults,
        "title": scenario.title,
        "peer_description": scenario.peer_description,
        "emulator_config": scenario.emulator_config,
        "repetitions": repetitions,
        "implementations": {},
    }
    for result in results:
        record["implementations"][result.implementation] = {
            "median_seconds": {run: round(result.median_seconds(run), 2) for run in ("first", "rerun")},
            "counts": {run: result.counts(run) for run in ("first", "rerun")},
            "call_spread": {run: list(result.call_spread(run)) for run in ("first", "rerun")},
            "all_succeeded": {run: result.all_succeeded(run) for run in ("first", "rerun")},
            "repetitions": [asdict(repetition) for repetition in result.repetitions],
        }
    return record


def environment():
    """What the numbers were measured with."""
    import platform
    from importlib.metadata import version

    collections = {}
    for name in ("amazon/aws", "community/aws"):
        for manifest in Path(sys.prefix).glob("lib/python*/site-packages/ansible_collections/%s/MANIFEST.json" % name):
            collections[name.replace("/", ".")] = json.loads(manifest.read_text())["collection_info"]["version"]
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "ansible": version("ansible"),
        "ansible-core": version("ansible-core"),
        "moto": version("moto"),
        "boto3": version("boto3"),
        "collections": collections,
        "date": time.strftime("%Y-%m-%d"),
        "load_average_at_start": round(os.getloadavg()[0], 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="scenario names to run (default: all)")
    parser.add_argument("--repetitions", type=int, help="override every scenario's repetitions (not the probes')")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--no-probes", action="store_true", help="skip the single-run probes of peer behaviour")
    options = parser.parse_args(argv)

    names = [scenario.name for scenario in SCENARIOS + PROBES] + [bake_preflight.NAME, bake_chain.NAME]
    unknown = sorted(set(options.only or ()) - set(names))
    if unknown:
        parser.error("--only %s: no such scenario; scenarios: %s" % (", ".join(unknown), ", ".join(names)))
    candidates = SCENARIOS + ([] if options.no_probes else PROBES)
    scenarios = [scenario for scenario in candidates if not options.only or scenario.name in options.only]
    bench = BenchmarkEmulator()
    started = time.monotonic()
    try:
        report = {"environment": environment(), "baseline_seconds": round(bench.baseline_seconds(), 2), "scenarios": []}
        print("ansible-playbook with one no-op task: %.2fs" % report["baseline_seconds"], flush=True)
        for scenario in scenarios:
            repetitions = scenario.repetitions if scenario in PROBES else (options.repetitions or scenario.repetitions)
            print("%s (%d repetitions)" % (scenario.name, repetitions), flush=True)
            results = [
                bench.measure(scenario, implementation, repetitions, log=lambda line: print(line, flush=True))
                for implementation in scenario.implementations
            ]
            report["scenarios"].append(scenario_record(scenario, results, repetitions))
        if not options.only or bake_preflight.NAME in options.only:
            repetitions = options.repetitions or bake_preflight.REPETITIONS
            print("%s (%d repetitions)" % (bake_preflight.NAME, repetitions), flush=True)
            report["bake_preflight"] = bake_preflight.measure(bench, repetitions, log=lambda line: print(line, flush=True))
        if not options.only or bake_chain.NAME in options.only:
            print("%s (each design once, then a bake of cache hits)" % bake_chain.NAME, flush=True)
            report["bake_chain"] = bake_chain.measure(bench, log=lambda line: print(line, flush=True))
    finally:
        bench.close()
    report["total_seconds"] = round(time.monotonic() - started, 1)
    report["environment"]["load_average_at_end"] = round(os.getloadavg()[0], 1)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(report, indent=1, sort_keys=True))
    print("benchmarks took %.0fs; raw results in %s" % (report["total_seconds"], options.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
