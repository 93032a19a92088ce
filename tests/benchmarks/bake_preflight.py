"""Time to fail at preflight: playbooks/bake.yml with a bake AWS would refuse, from the start of ansible-playbook to its
failure, against the benchmark's emulator. Ours only: the peer modules have no preflight (their bake would fail after
the build and the copies).

The bake (the three tiny test layers of tests/integration/bake_fixtures, the whole chain): alias/bakery exists in
us-east-1 and eu-west-1 but not in us-west-2, ap-east-1 is an opt-in region the account has not enabled, and eu-west-1's
copy would be under the AWS managed key while the images are shared with an account. Target: under 15 s. Not a test
gate; tests/integration/test_bake_preflight.py checks the same failure for what it says and does.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from tests.integration.bake_support import bake_env, bake_vars
from tests.integration.playbook_runner import REPO_ROOT, run_playbook

NAME = "bake_preflight_fail"
TITLE = "A bake AWS would refuse fails at preflight (3 layers; missing alias, region not enabled, shared under the AWS managed key)"
TARGET_SECONDS = 15
REPETITIONS = 5
BAKE_PLAYBOOK = REPO_ROOT / "playbooks" / "bake.yml"
SETTINGS = {
    "bake_kms_key_id": "alias/bakery",
    "bake_copy_regions": [{"region": "eu-west-1", "kms_key_id": "alias/aws/ebs"}, "us-west-2", "ap-east-1"],
    "bake_share_accounts": ["111122223333"],
}
EXPECTED_PROBLEMS = 9  # the three problems, for each of the three layers


def arrange(aws):
    for region in ("us-east-1", "eu-west-1"):
        kms = aws.client("kms", region=region)
        kms.create_alias(AliasName="alias/bakery", TargetKeyId=kms.create_key()["KeyMetadata"]["KeyId"])


def measure(bench, repetitions=REPETITIONS, log=print):
    """``repetitions`` × (reset, arrange, one timed bake.yml run): the record results.json keeps."""
    runs = []
    for index in range(repetitions):
        bench.aws.control.reset()
        arrange(bench.aws)
        bench.aws.control.clear_calls()
        with tempfile.TemporaryDirectory(prefix="bakery-bench-preflight-") as workdir:
            started = time.monotonic()
            run = run_playbook(BAKE_PLAYBOOK, bench.aws.env, extra_vars=bake_vars(Path(workdir), **SETTINGS),
                               extra_env=bake_env(Path(workdir)), timeout=600)
            seconds = time.monotonic() - started
        calls = bench.aws.control.calls()
        reported = run.stdout.count("layer tiny-00")
        runs.append({
            "seconds": round(seconds, 2),
            "failed_at_preflight": not run.succeeded and "Preflight found %d problem(s)" % EXPECTED_PROBLEMS in run.stdout,
            "problems_reported": reported,
            "calls": len(calls),
            "dry_runs": sum(1 for call in calls if call["dry_run"]),
            "mutating_calls": sum(1 for call in calls if call["mutating"]),
        })
        log("  ours #%d failed after %6.2fs, %d calls (%d DryRun, %d mutating)%s" % (
            index + 1, seconds, len(calls), runs[-1]["dry_runs"], runs[-1]["mutating_calls"],
            "" if runs[-1]["failed_at_preflight"] else " NOT AT PREFLIGHT"))
    return {
        "name": NAME,
        "title": TITLE,
        "target_seconds": TARGET_SECONDS,
        "settings": SETTINGS,
        "median_seconds": round(statistics.median(run["seconds"] for run in runs), 2),
        "max_seconds": max(run["seconds"] for run in runs),
        "repetitions": runs,
    }


def section(record, baseline_seconds) -> list:
    """The docs/performance.md section of the record."""
    runs = record["repetitions"]
    all_at_preflight = all(run["failed_at_preflight"] for run in runs)
    lines = [
        "## Time to fail at preflight",
        "",
        "%s: `playbooks/bake.yml` from start to failure, ours only (the peer modules have no preflight: their bake fails "
        "after the build and the copies). Settings: `%s`. Median of %d runs: **%.2f s** (slowest %.2f s; target under %d s; "
        "ansible-playbook's own start-up here: %.2f s)."
        % (record["title"], record["settings"], len(runs), record["median_seconds"], record["max_seconds"],
           record["target_seconds"], baseline_seconds),
        "",
        "| run | seconds | failed at preflight | calls | DryRun | mutating |",
        "|---:|---:|---|---:|---:|---:|",
    ]
    for number, run in enumerate(runs, 1):
        lines.append("| %d | %.2f | %s | %d | %d | %d |" % (number, run["seconds"], "yes" if run["failed_at_preflight"] else "**no**",
                                                       run["calls"], run["dry_runs"], run["mutating_calls"]))
    lines += ["", "- Every run failed at the preflight with all 9 problems listed and no mutating call." if all_at_preflight
              else "- **Not every run failed at the preflight**: see the rows above.", ""]
    return lines
