"""A chain of four small layers against the limit: playbooks/bake.yml with images pending 20 s after CreateImage and
copies to three regions pending 60 s (the emulator's per-action pending times), podman-backed builders, each layer a
trivial role (bake_marker writes a file). Ours only, in both designs of the bake:

- overlapped (bake_overlap_copies: true, the default): a layer starts its copies and the chain goes on; every layer's
  copies are waited for side by side after the last build (playbooks/bake_finish.yml);
- one wait per layer (bake_overlap_copies: false, the design before it): each layer waits for its copies first.

The limit is what no design can avoid: each layer's build (its builder from RunInstances to CreateImage, as the
emulator's call log times them in that very run) and image creation (20 s) one after the other, since each layer is
built from its parent's image, plus one copy wait (60 s), the last layer's. Then the same bake again: every layer a
cache hit, timed, with its calls by action. Not a test gate: tests/integration/test_bake.py checks what the bake does.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

from tests.integration.bake_support import bake_env, bake_vars
from tests.integration.playbook_runner import REPO_ROOT, run_playbook

NAME = "bake_chain_4_layers"
TITLE = "A chain of 4 small layers, images pending 20 s, copies to 3 regions pending 60 s"
BAKE_PLAYBOOK = REPO_ROOT / "playbooks" / "bake.yml"
LAYERS = 4
CREATE_SECONDS = 20
COPY_SECONDS = 60
COPY_REGIONS = ["eu-west-1", "us-west-2", "eu-central-1"]
RATIO_TARGET = 1.15
CACHE_HIT_TARGET_SECONDS = 10
DESIGNS = {"overlapped": True, "one wait per layer": False}


def layers_file(directory: Path) -> Path:
    """Four layers on the Debian 12 fixture image, each writing one marker file."""
    layers = [{"name": "chain-000", "base": "debian12"}] + [{"name": "chain-%03d" % n, "parent": "chain-%03d" % (n - 1)} for n in range(1, LAYERS)]
    for number, layer in enumerate(layers):
        layer.update(roles=["bake_marker"], refresh_package_lists=False, vars={"bake_marker_name": "%03d" % number, "bake_marker_content": str(number)})
    path = directory / "layers-chain.yml"
    path.write_text(yaml.safe_dump({
        "bake_base_images": {"debian12": {"name": "debian-12-amd64-*", "owners": ["136693071363"], "architecture": "x86_64", "ssh_user": "admin"}},
        "bake_layers": layers,
    }))
    return path


def limit_seconds(calls) -> tuple:
    """(the limit, each layer's build in seconds): builds (RunInstances -> CreateImage) and creations in series, one copy."""
    launched = [call["time"] for call in calls if call["action"] == "RunInstances" and not call["dry_run"] and call["status"] == 200]
    imaged = [call["time"] for call in calls if call["action"] == "CreateImage" and call["status"] == 200]
    builds = [round(end - start, 2) for start, end in zip(launched, imaged)]
    return round(sum(builds) + len(builds) * CREATE_SECONDS + COPY_SECONDS, 2), builds


def bake(bench, workdir: Path, layers: Path, overlap: bool, poll_interval: int):
    bench.aws.control.clear_calls()
    started = time.monotonic()
    run = run_playbook(BAKE_PLAYBOOK, bench.aws.env,
                       extra_vars=bake_vars(workdir, layers_file=layers, bake_copy_regions=COPY_REGIONS, bake_overlap_copies=overlap,
                                            bake_poll_interval=poll_interval),
                       extra_env=bake_env(workdir), timeout=3600)
    seconds = round(time.monotonic() - started, 2)
    return run, seconds, bench.aws.control.calls()


def measure(bench, poll_interval=5, log=print):
    """Each design once from a fresh emulator (the waits are the emulator's, so a run repeats closely), then, after the
    overlapped one, the same bake of cache hits."""
    record = {"name": NAME, "title": TITLE, "create_seconds": CREATE_SECONDS, "copy_seconds": COPY_SECONDS, "copy_regions": COPY_REGIONS,
              "poll_interval": poll_interval, "designs": {}}
    for design, overlap in DESIGNS.items():
        bench.aws.control.reset()
        bench.aws.control.configure(podman_instances=True, pending_seconds=0,
                                    image_pending_seconds={"CreateImage": CREATE_SECONDS, "CopyImage": COPY_SECONDS})
        with tempfile.TemporaryDirectory(prefix="bakery-bench-chain-") as directory:
            workdir = Path(directory)
            layers = layers_file(workdir)
            run, seconds, calls = bake(bench, workdir, layers, overlap, poll_interval)
            limit, builds = limit_seconds(calls)
            result = {"seconds": seconds, "succeeded": run.succeeded, "limit_seconds": limit, "builds": builds,
                      "ratio": round(seconds / limit, 3), "calls": len(calls),
                      "copies": sum(1 for call in calls if call["action"] == "CopyImage" and not call["dry_run"])}
            log("  %-20s %7.2fs, limit %7.2fs (builds %s), ratio %.3f, %d calls%s" % (
                design, seconds, limit, builds, result["ratio"], len(calls), "" if run.succeeded else " FAILED"))
            if not run.succeeded:
                result["error"] = run.stdout[-2000:]
            if overlap and run.succeeded:
                hit, hit_seconds, hit_calls = bake(bench, workdir, layers, overlap, poll_interval)
                counts = Counter("%s:%s" % (call["service"], call["action"]) for call in hit_calls)
                result["cache_hit"] = {"seconds": hit_seconds, "succeeded": hit.succeeded and hit.stdout.count("cache hit") >= LAYERS,
                                       "calls": len(hit_calls), "mutating": sum(1 for call in hit_calls if call["mutating"]),
                                       "counts": dict(sorted(counts.items()))}
                log("  cache hits           %7.2fs, %d calls (%d mutating)" % (hit_seconds, len(hit_calls), result["cache_hit"]["mutating"]))
        record["designs"][design] = result
    return record


def section(record, baseline_seconds) -> list:
    """The docs/performance.md section of the record."""
    lines = [
        "## A chain of 4 layers against the limit",
        "",
        "%s: `playbooks/bake.yml`, podman-backed builders, each layer a trivial role (`bake_marker`). The limit is what no "
        "design can avoid: the layers' builds (RunInstances to CreateImage, timed from the emulator's call log of the "
        "same run) and image creations (%d s each) in series, plus one copy wait (%d s). Copies progress lines every %d s "
        "(`bake_poll_interval`). ansible-playbook's own start-up here: %.2f s."
        % (record["title"], record["create_seconds"], record["copy_seconds"], record["poll_interval"], baseline_seconds),
        "",
        "| design | seconds | limit (s) | ratio | builds (s) | calls | CopyImage |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for design, result in record["designs"].items():
        lines.append("| %s | %s | %.1f | %s | %s | %d | %d |" % (
            design, ("%.1f" % result["seconds"]) if result["succeeded"] else "**failed**", result["limit_seconds"],
            ("**%.2f**" if result["ratio"] <= RATIO_TARGET else "%.2f") % result["ratio"],
            ", ".join("%.1f" % build for build in result["builds"]), result["calls"], result["copies"]))
    hit = record["designs"].get("overlapped", {}).get("cache_hit")
    if hit:
        lines += [
            "",
            "The same bake again, every layer a cache hit: **%.2f s**, %d calls (%d mutating; the table counts the "
            "preflight's DryRun probes, which are not), target %d s%s."
            % (hit["seconds"], hit["calls"], hit["mutating"], CACHE_HIT_TARGET_SECONDS, "" if hit["succeeded"] else "; **not every layer was a cache hit**"),
            "",
            "| action | calls |",
            "|---|---:|",
        ] + ["| `%s` | %d |" % (action, count) for action, count in hit["counts"].items()]
    lines.append("")
    return lines
