"""Interrupt an ansible-playbook run the way a crashed controller would: SIGKILL to it and to every process below it,
right after the run's N-th AWS call (counted by the emulator, so a seed replays the same kill point).

ansible-core's workers call setsid(), so the modules they run are out of reach of a kill of the playbook's process
group: the tree is frozen (SIGSTOP, so nothing forks or calls AWS any more), then killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass

POLL_SECONDS = 0.05
# The interruption tests draw their kill points with random.Random(seed) for each of these. Fixed, so a failing kill
# replays exactly; picked so that the kill points they draw in both tests' ranges all differ.
KILL_SEEDS = [11, 23, 37, 41, 53, 67, 71, 83, 97, 101]


@dataclass
class Interruption:
    """Where a run was stopped: ``calls_made`` is every AWS call it made (at least ``kill_after_call`` when it was
    killed; calls in flight at the kill are answered and count)."""

    kill_after_call: int
    calls_made: int
    finished_before_kill: bool


def descendants(pid):
    """Every process below ``pid``, children before their children."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(0), []):
            found.append(child)
            queue.append(child)
    return found


def _signal(pid, number):
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass


def kill_process_tree(process):
    """SIGKILL ``process`` (a session leader) and everything below it, its own process group included."""
    frozen = []
    pending = [process.pid]
    while pending:
        for pid in pending:
            _signal(pid, signal.SIGSTOP)
        frozen += pending
        # A process that forked just before it stopped has a child the previous look missed.
        pending = [pid for pid in descendants(process.pid) if pid not in frozen]
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for pid in frozen:
        _signal(pid, signal.SIGKILL)
    return process.wait()


def start_playbook(command, env, cwd=None):
    """ansible-playbook in a session of its own (so its kill reaches nothing else), its output discarded."""
    return subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def kill_after_calls(process, control, kill_after_call, timeout=600):
    """Wait until the emulator has answered ``kill_after_call`` calls since its call log was last cleared, then kill
    the run. A run that ends first is not killed (``finished_before_kill``): the caller decides what that means."""
    return kill_when(process, control, lambda calls: len(calls) >= kill_after_call, kill_after_call, timeout)


def kill_when(process, control, reached, kill_after_call=0, timeout=600):
    """Kill the run as soon as ``reached(calls)`` holds for the emulator's call log (every call since it was last
    cleared, in order). A run that ends first is not killed (``finished_before_kill``)."""
    deadline = time.monotonic() + timeout
    while True:
        calls = control.calls()
        if reached(calls):
            kill_process_tree(process)
            return Interruption(kill_after_call or len(calls), len(control.calls()), finished_before_kill=False)
        if process.poll() is not None:
            return Interruption(kill_after_call, len(control.calls()), finished_before_kill=True)
        if time.monotonic() > deadline:
            kill_process_tree(process)
            raise AssertionError("the run made %d AWS calls in %ds and never reached its kill point" % (len(calls), timeout))
        time.sleep(POLL_SECONDS)
