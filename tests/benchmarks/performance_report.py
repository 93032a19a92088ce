"""docs/performance.md from the benchmark results (tests/output/benchmarks/results.json).

    .venv/bin/python -m tests.benchmarks.performance_report [--results FILE] [--output FILE] [--allow-partial]

Everything in the document is computed from the results file, except the notes in
``CODE_READING_NOTES``, which say what reading the peer modules' source showed and are marked as such.
Every timing row must be the median of 5 runs of ours and of the peer: results of a partial run
(run_benchmarks --only / --repetitions) are refused unless --allow-partial (then write them elsewhere).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RESULTS = REPO_ROOT / "tests" / "output" / "benchmarks" / "results.json"
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "performance.md"
RUNS = (("first", "first run"), ("rerun", "re-run"))

# Read from the peer modules' source (amazon.aws 10.1.2, community.aws 10.0.0), not measured by the benchmark itself.
CODE_READING_NOTES = [
    "`amazon.aws.autoscaling_instance_refresh` `state: started` calls `StartInstanceRefresh` and then exits with "
    "`module.exit_json(**result)` without `changed`: it reports **`changed: false` after starting a refresh** (seen in "
    "every run here: the task's items say `changed: false` next to a `StartInstanceRefresh` call). A playbook cannot "
    "use its `changed` to decide whether to wait, and `--check` is the only place it reports `changed: true`.",
    "`amazon.aws.autoscaling_instance_refresh` always calls `StartInstanceRefresh` (no check whether the group needs one), "
    "so idempotence is the playbook's job. Its `StartInstanceRefresh` is wrapped in `AWSRetry.jittered_backoff(catch_extra_error_codes="
    "[\"InstanceRefreshInProgress\"])`: when a refresh is still running, it retries for minutes and then fails. Seen while "
    "writing these benchmarks (3 groups, re-run while the first run's refreshes were still in progress): "
    "30 `StartInstanceRefresh` calls, 471 s, task failed.",
    "`amazon.aws.ec2_launch_template` compares the requested `LaunchTemplateData` with the **whole** data of the latest "
    "version (`launch_template_data == most_recent[\"LaunchTemplateData\"]`). Given only `image_id` (the rest coming from "
    "`source_version`), they never compare equal, so **every run creates a new version** and moves the default version, "
    "even when the image is already there. Only a playbook that restates the complete template is idempotent.",
    "`amazon.aws.autoscaling_group` calls `DisableMetricsCollection` on every update when `metrics_collection` is false "
    "(its default), one extra mutating call per group per run.",
    "`community.aws.ec2_ami_copy` waits with botocore's `image_available` waiter at a fixed 15 s delay "
    "(`delay = 15` in the module), so every copy still `pending` at the first look costs at least 15 s, "
    "one region after another in a loop. Its waiter accepts only `available` (success) and `failed` (failure): "
    "on real AWS a `DescribeImages` that does not yet see the new id (`InvalidAMIID.NotFound`, eventual consistency) "
    "ends the wait with an error. The emulator has no such delay, so this is not exercised here.",
    "`community.aws.ec2_ami_copy` `tag_equality` looks for an existing copy with `DescribeImages` filtered by the tags "
    "only (no `Owners`), so an image shared with the account that carries the same tags is taken as the copy. Its tags "
    "are applied by a separate `CreateTags` after `CopyImage`, so a failure between the two leaves an untagged copy that "
    "`tag_equality` will not find: the next run copies again.",
]


def incomplete(report) -> list:
    """Why these results cannot be docs/performance.md: scenarios not run, rows not the median of 5 runs each."""
    from tests.benchmarks.scenarios import SCENARIOS, TIMING_REPETITIONS

    from tests.benchmarks import bake_chain, bake_preflight

    measured = dict((scenario["name"], scenario) for scenario in report["scenarios"] if not scenario.get("is_probe"))
    problems = ["%s was not run" % scenario.name for scenario in SCENARIOS if scenario.name not in measured]
    preflight = report.get("bake_preflight")
    if preflight is None:
        problems.append("%s was not run" % bake_preflight.NAME)
    elif len(preflight["repetitions"]) < bake_preflight.REPETITIONS:
        problems.append("%s ran %d time(s), not %d" % (bake_preflight.NAME, len(preflight["repetitions"]), bake_preflight.REPETITIONS))
    if report.get("bake_chain") is None:
        problems.append("%s was not run" % bake_chain.NAME)
    for name, scenario in sorted(measured.items()):
        for implementation, result in sorted(scenario["implementations"].items()):
            runs = len(result["repetitions"])
            if runs < TIMING_REPETITIONS:
                problems.append("%s: %s ran %d time(s), not %d" % (name, implementation, runs, TIMING_REPETITIONS))
    return problems


def ratio(ours, peer) -> str:
    if not peer:
        return "–"
    return "%.2f" % (ours / peer)


def first_errors(errors: list, shown: int = 2) -> str:
    text = "; ".join(errors[:shown])
    return text + (" (+%d more like it)" % (len(errors) - shown) if len(errors) > shown else "")


def total(counts: dict) -> int:
    return sum(counts.values())


def run_counts(scenarios) -> str:
    counts = sorted({len(result["repetitions"]) for scenario in scenarios for result in scenario["implementations"].values()})
    return "/".join(str(count) for count in counts) or "0"


def summary_table(scenarios) -> list:
    lines = [
        "| scenario | run | ours (s) | peer (s) | time ours/peer | ours calls | peer calls | calls ours/peer |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in scenarios:
        ours, peer = scenario["implementations"]["ours"], scenario["implementations"]["peer"]
        for run, label in RUNS:
            ours_seconds, peer_seconds = ours["median_seconds"][run], peer["median_seconds"][run]
            ours_calls, peer_calls = total(ours["counts"][run]), total(peer["counts"][run])
            failed = " ✗" if not peer["all_succeeded"][run] else ""
            lines.append(
                "| %s | %s | %.2f | %.2f%s | %s | %d | %d | %s |"
                % (scenario["title"], label, ours_seconds, peer_seconds, failed, ratio(ours_seconds, peer_seconds), ours_calls, peer_calls, ratio(ours_calls, peer_calls))
            )
    return lines


def calls_table(scenario) -> list:
    implementations = scenario["implementations"]
    columns = [(name, run) for run, _ in RUNS for name in ("ours", "peer") if name in implementations]
    actions = sorted({action for name, run in columns for action in implementations[name]["counts"][run]})
    lines = [
        "| action | " + " | ".join("%s %s" % (name, dict(RUNS)[run]) for name, run in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for action in actions:
        lines.append("| `%s` | " % action + " | ".join(str(implementations[name]["counts"][run].get(action, 0)) for name, run in columns) + " |")
    lines.append("| **total** | " + " | ".join("**%d**" % total(implementations[name]["counts"][run]) for name, run in columns) + " |")
    return lines


def observations(scenario) -> list:
    """What the repetitions show beyond the timings: failures, non-idempotent re-runs, differing AWS state or answers."""
    notes = []
    for name, result in sorted(scenario["implementations"].items()):
        repetitions = result["repetitions"]
        for run, label in RUNS:
            failed = [r for r in repetitions if not r[run]["succeeded"]]
            if failed:
                notes.append("%s %s failed in %d of %d repetitions: %s" % (name, label, len(failed), len(repetitions), first_errors(failed[0][run]["errors"]) or "no message"))
        changed = [r for r in repetitions if r["rerun"]["changed"]]
        if changed:
            notes.append("%s re-run reported `changed` in %d of %d repetitions" % (name, len(changed), len(repetitions)))
        mutating = [r["rerun"]["mutating_calls"] for r in repetitions if r["rerun"]["mutating_calls"]]
        if mutating:
            notes.append("%s re-run made mutating calls (%s per repetition)" % (name, ", ".join(map(str, mutating))))
        low, high = result["call_spread"]["first"]
        if low != high:
            notes.append("%s first-run call totals varied between repetitions: %d–%d (the table shows the first repetition)" % (name, low, high))
    implementations = scenario["implementations"]
    if len(implementations) == 2:
        ours, peer = implementations["ours"]["repetitions"][0], implementations["peer"]["repetitions"][0]
        if ours["resources"] != peer["resources"]:
            notes.append("AWS afterwards differs: ours %s, peer %s" % (json.dumps(ours["resources"]), json.dumps(peer["resources"])))
        if ours["answers"] != peer["answers"]:
            notes.append("answers differ: ours %s, peer %s" % (json.dumps(ours["answers"]), json.dumps(peer["answers"])))
    return notes


def evidence(scenario) -> str:
    parts = []
    for name, result in sorted(scenario["implementations"].items()):
        resources = result["repetitions"][0]["resources"]
        if resources:
            parts.append("%s: %s" % (name, ", ".join("%s = %s" % (key, value) for key, value in sorted(resources.items()))))
    return "; ".join(parts)


def scenario_section(scenario) -> list:
    lines = ["### %s" % scenario["title"], ""]
    lines.append("Peer playbook: %s. Repetitions: %d." % (scenario["peer_description"], scenario["repetitions"]))
    if scenario.get("emulator_config"):
        lines.append("Emulator: `configure(%s)`." % ", ".join("%s=%s" % item for item in sorted(scenario["emulator_config"].items())))
    if scenario.get("faults"):
        lines.append("Faults: `%s`." % json.dumps(scenario["faults"]))
    lines += [""] + calls_table(scenario) + [""]
    if evidence(scenario):
        lines += ["AWS after the re-run (first repetition): %s." % evidence(scenario), ""]
    notes = observations(scenario)
    lines += ["- %s" % note for note in notes] if notes else ["- Both succeeded in every repetition, re-runs reported no change and made no mutating call."]
    return lines + [""]


def probe_section(probe) -> list:
    lines = ["### Probe: %s" % probe["title"], "", probe["peer_description"][0].upper() + probe["peer_description"][1:] + ".", ""]
    for name, result in sorted(probe["implementations"].items()):
        repetition = result["repetitions"][0]
        for run, label in RUNS:
            measured = repetition[run]
            lines.append(
                "- %s %s: %s, changed=%s, %d calls (%d mutating) %s%s"
                % (
                    name,
                    label,
                    "succeeded" if measured["succeeded"] else "**failed**",
                    str(measured["changed"]).lower(),
                    total(measured["counts"]),
                    measured["mutating_calls"],
                    json.dumps(measured["counts"], sort_keys=True),
                    (" — " + first_errors(measured["errors"])) if measured["errors"] else "",
                )
            )
        if repetition["resources"]:
            lines.append("- %s, AWS afterwards: %s" % (name, ", ".join("%s = %s" % item for item in sorted(repetition["resources"].items()))))
    return lines + [""]


def moto_gap_section() -> list:
    from tests.benchmarks.moto_gaps import FILLED

    lines = [
        "### Emulator (moto) gaps the peer modules hit",
        "",
        "Without these, the peer scenario fails against the emulator. The benchmark fills them in its own process "
        "(`tests/benchmarks/moto_gaps.py`, following the AWS API reference); the calls are still counted.",
        "",
    ]
    lines += ["- `%s`: %s; hit by `amazon.aws.autoscaling_group` on every group update." % item for item in sorted(FILLED.items())]
    return lines + [""]


def render(report) -> str:
    scenarios = [s for s in report["scenarios"] if not s.get("is_probe")]
    probes = [s for s in report["scenarios"] if s.get("is_probe")]
    environment = report.get("environment", {})
    lines = [
        "# Performance: bakery.ami next to amazon.aws / community.aws",
        "",
        "<!-- Generated by tests/benchmarks/performance_report.py from tests/output/benchmarks/results.json; do not edit. -->",
        "",
        "The same work, written once with `bakery.ami` and once with the peer modules as a user would write it, run by "
        "real `ansible-playbook` processes against the same in-process emulator (moto + our extensions), one after the "
        "other in one `make bench` run. The emulator is reset and the AWS state arranged afresh before every repetition.",
        "",
        "- **Wall time**: the whole `ansible-playbook` process, median of %s runs of each (ours and the peer, first run and "
        "re-run alike). It includes Ansible's own start-up (a playbook with one no-op task: **%.2f s** here) and, for looped "
        "peer tasks, one module process per loop item." % (run_counts(scenarios), report["baseline_seconds"]),
        "- **API calls**: every request the emulator's per-action counter recorded during the run, from the first repetition "
        "(the scenarios are deterministic; a spread between repetitions is noted).",
        "- **Ratio** = ours / peer: below 1 means ours took less time or made fewer calls.",
        "- The emulator answers in milliseconds and has no rate limits; against AWS, each call costs tens to hundreds of ms and "
        "waits are real, so call counts and serial waits matter more there than these wall times suggest.",
        "",
        "Measured with Python %s on %s CPUs, ansible %s (ansible-core %s), amazon.aws %s, community.aws %s, moto %s, boto3 %s, on %s; "
        "all benchmarks took %.0f s. The machine was shared with other work (1-minute load average %s at the start, %s at the "
        "end), which inflates every wall time, the peer's many module processes most."
        % (
            environment.get("python"),
            environment.get("cpus"),
            environment.get("ansible"),
            environment.get("ansible-core"),
            environment.get("collections", {}).get("amazon.aws"),
            environment.get("collections", {}).get("community.aws"),
            environment.get("moto"),
            environment.get("boto3"),
            environment.get("date"),
            report.get("total_seconds", 0),
            environment.get("load_average_at_start"),
            environment.get("load_average_at_end"),
        ),
        "",
        "## Results",
        "",
    ]
    lines += summary_table(scenarios)
    peer_failures = [s["title"] for s in scenarios if not all(s["implementations"]["peer"]["all_succeeded"].values())]
    if peer_failures:
        lines += ["", "✗: the peer playbook failed in at least one repetition (%s); see its section." % "; ".join(peer_failures)]
    partial = incomplete(report)
    if partial:
        lines += ["", "**Partial results** (rendered with `--allow-partial`): %s." % "; ".join(partial)]
    if report.get("bake_preflight"):
        from tests.benchmarks import bake_preflight

        lines += [""] + bake_preflight.section(report["bake_preflight"], report["baseline_seconds"])
    if report.get("bake_chain"):
        from tests.benchmarks import bake_chain

        lines += [""] + bake_chain.section(report["bake_chain"], report["baseline_seconds"])
    lines += ["", "## Scenarios: calls by action and what AWS held afterwards", ""]
    for scenario in scenarios:
        lines += scenario_section(scenario)
    lines += ["## Peer findings", ""]
    if probes:
        lines += ["Single runs that check a peer behaviour, with the calls and the resulting AWS state as evidence.", ""]
        for probe in probes:
            lines += probe_section(probe)
    lines += moto_gap_section()
    lines += ["### From reading the peer modules' source", ""]
    lines += ["- %s" % note for note in CODE_READING_NOTES]
    lines += [
        "",
        "## Reproduce",
        "",
        "```",
        "make bench                                    # fault matrix + docs/reliability.md + benchmarks + this file",
        "tests/benchmarks/run.sh --benchmarks-only     # benchmarks + this file only",
        ".venv/bin/python -m tests.benchmarks.performance_report   # re-render from tests/output/benchmarks/results.json",
        "# one scenario, to try it out (a partial run: rendered only with --allow-partial, never into this file)",
        ".venv/bin/python -m tests.benchmarks.run_benchmarks --only copy_8_regions --output /tmp/copy.json",
        "```",
        "",
        "Scenarios and the peer playbooks are data in `tests/benchmarks/scenarios.py`; the harness "
        "(`tests/benchmarks/harness.py`) starts one emulator, resets it before each repetition, runs the playbook and "
        "reads the emulator's call counter. Benchmarks are not a test gate: nothing asserts on timings.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--allow-partial", action="store_true", help="render results that are not every scenario at 5 runs each")
    options = parser.parse_args(argv)
    report = json.loads(options.results.read_text())
    problems = incomplete(report)
    if problems and not options.allow_partial:
        raise SystemExit(
            "%s is not a full benchmark run (%s): docs/performance.md shows every scenario as the median of 5 runs of ours "
            "and of the peer. Run them all (make bench), or pass --allow-partial --output elsewhere." % (options.results, "; ".join(problems))
        )
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(render(report))
    print("wrote %s" % options.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
