"""Run one benchmark scenario against the in-process emulator: fresh state, a timed playbook, the calls it made.

One emulator serves the whole benchmark run; every repetition starts from a reset (moto state, call log,
faults, config), so ours and the peer's playbooks meet exactly the same AWS.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass, field

from tests.emulator.pytest_plugin import AwsEndpoint
from tests.emulator.server import Emulator
from tests.integration.playbook_runner import run_tasks


@dataclass
class PlaybookMeasurement:
    """One ansible-playbook run: wall time of the whole process, the AWS calls it made, what it reported."""

    seconds: float
    succeeded: bool
    changed: bool
    counts: dict
    mutating_calls: int
    errors: list = field(default_factory=list)

    @property
    def total_calls(self) -> int:
        return sum(self.counts.values())


@dataclass
class Repetition:
    first: PlaybookMeasurement
    rerun: PlaybookMeasurement
    resources: dict  # what AWS holds after the re-run (the scenario's evidence: copies, permissions, versions...)
    answers: dict = field(default_factory=dict)  # what the playbook answered, when the scenario is a question


@dataclass
class ImplementationResult:
    """Every repetition of one implementation (ours or the peer's) of one scenario."""

    implementation: str
    repetitions: list

    def median_seconds(self, run: str) -> float:
        return statistics.median(getattr(repetition, run).seconds for repetition in self.repetitions)

    def counts(self, run: str) -> dict:
        """Calls by action of the first repetition (the scenarios are deterministic; see call_spread)."""
        return getattr(self.repetitions[0], run).counts

    def call_spread(self, run: str) -> tuple:
        totals = [getattr(repetition, run).total_calls for repetition in self.repetitions]
        return min(totals), max(totals)

    def all_succeeded(self, run: str) -> bool:
        return all(getattr(repetition, run).succeeded for repetition in self.repetitions)


def _failures(task) -> list:
    """'task: message' per failed loop item (a looped task's own msg only says that one failed), else the task's."""
    items = [item for item in task.get("results", []) if item.get("failed")]
    messages = [str(item.get("msg") or item.get("exception") or "")[:300] for item in items] or [str(task.get("msg") or task.get("exception") or "")[:400]]
    distinct = sorted(set(messages))
    return ["%s: %s%s" % (task.name, message, " (%d items)" % messages.count(message) if len(items) > 1 else "") for message in distinct]


class BenchmarkEmulator:
    """The emulator, started once in this process, and the way to run a playbook against it."""

    def __init__(self, fill_moto_gaps: bool = True) -> None:
        if fill_moto_gaps:
            from tests.benchmarks import moto_gaps

            moto_gaps.install()
        self.server = Emulator().start()
        self.aws = AwsEndpoint(self.server.endpoint_url)
        self.workdir = tempfile.TemporaryDirectory(prefix="bakery-bench-")

    def close(self) -> None:
        self.server.stop()
        self.workdir.cleanup()

    def fresh(self, scenario) -> dict:
        """Reset the emulator, arrange the scenario's AWS state, then apply its emulator settings and faults."""
        self.aws.control.reset()
        context = scenario.arrange(self.aws)
        if scenario.emulator_config:
            self.aws.control.configure(**scenario.emulator_config)
        if scenario.faults:
            self.aws.control.set_faults(scenario.faults, seed=scenario.fault_seed)
        return context

    def run(self, tasks, extra_vars=None) -> tuple:
        """(PlaybookMeasurement, PlaybookRun) of one ansible-playbook run of ``tasks`` on localhost."""
        self.aws.control.clear_calls()
        started = time.monotonic()
        playbook_run = run_tasks(self.workdir.name, self.aws.env, tasks, extra_vars=extra_vars)
        seconds = time.monotonic() - started
        calls = self.aws.control.calls()
        counts = self.aws.control.counts()
        tasks_run = playbook_run.tasks()
        errors = [failure for task in tasks_run if task.failed for failure in _failures(task)]
        # Results of looped tasks sit under "results"; a loop item's change counts as the task's.
        changed = any(task.changed or any(item.get("changed") for item in task.get("results", [])) for task in tasks_run)
        if not playbook_run.succeeded and not errors:
            errors.append((playbook_run.stderr or playbook_run.stdout)[-400:])
        measurement = PlaybookMeasurement(
            seconds=round(seconds, 3),
            succeeded=playbook_run.succeeded,
            changed=changed,
            counts=counts,
            mutating_calls=sum(1 for call in calls if call["mutating"]),
            errors=errors,
        )
        return measurement, playbook_run

    def measure(self, scenario, implementation: str, repetitions: int, log=print) -> ImplementationResult:
        """``repetitions`` × (fresh state, first run, re-run, inspect AWS)."""
        tasks_of = scenario.ours if implementation == "ours" else scenario.peer
        results = []
        for index in range(repetitions):
            context = self.fresh(scenario)
            first, first_run = self.run(tasks_of(context))
            rerun, _ = self.run(tasks_of(context))
            self.aws.control.clear_faults()
            resources = scenario.inspect(self.aws, context) if scenario.inspect else {}
            answers = scenario.answers(first_run, implementation) if scenario.answers else {}
            results.append(Repetition(first, rerun, resources, answers))
            log(
                "  %-4s #%d first %6.2fs %4d calls%s | re-run %6.2fs %4d calls (%d mutating)%s"
                % (
                    implementation,
                    index + 1,
                    first.seconds,
                    first.total_calls,
                    "" if first.succeeded else " FAILED",
                    rerun.seconds,
                    rerun.total_calls,
                    rerun.mutating_calls,
                    "" if rerun.succeeded else " FAILED",
                )
            )
        return ImplementationResult(implementation, results)

    def baseline_seconds(self, repetitions: int = 3) -> float:
        """Median wall time of a playbook with one no-op task: ansible-playbook's own start-up cost."""
        self.aws.control.reset()
        return statistics.median(self.run([{"name": "no-op", "ansible.builtin.meta": "noop"}])[0].seconds for _ in range(repetitions))
