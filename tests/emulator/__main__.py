"""python -m tests.emulator {run,start,stop} [--port 4566] [--pidfile .build/emulator.pid] [--pending-seconds N]

run   serve in the foreground until Ctrl-C / SIGTERM
start run in a background process, write its pid to --pidfile, return once the port answers
stop  stop the process named in --pidfile and remove the file
Run from the repository root.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

START_TIMEOUT_SECONDS = 60


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.emulator", description="bakery.ami local AWS emulator")
    parser.add_argument("command", choices=["run", "start", "stop"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    parser.add_argument("--pidfile", type=Path, default=Path(".build/emulator.pid"))
    parser.add_argument("--pending-seconds", type=float, default=0.0)
    parser.add_argument(
        "--podman-instances", action="store_true",
        help="instances of podman-mapped AMIs run as containers (extensions/podman_instances.py)",
    )
    parser.add_argument(
        "--podman-volume", action="append", default=[], metavar="HOST:CONTAINER[:OPTIONS]",
        help="extra volume for every instance container (repeatable), e.g. a host apt cache",
    )
    return parser.parse_args(argv)


def port_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    from .server import Emulator

    from .config import emulator_config

    if args.podman_instances or args.podman_volume:
        emulator_config.set_defaults(podman_instances=args.podman_instances, podman_volumes=args.podman_volume)
    server = Emulator(host=args.host, port=args.port, pending_seconds=args.pending_seconds, log_requests=True).start()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    print(f"bakery emulator listening on {server.endpoint_url}", flush=True)
    try:
        while not stopping:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    server.stop()
    return 0


def start(args: argparse.Namespace) -> int:
    if port_answers(args.host, args.port):
        print(f"error: {args.host}:{args.port} is already in use; stop that emulator or pick another --port", file=sys.stderr)
        return 1
    args.pidfile.parent.mkdir(parents=True, exist_ok=True)
    log_path = args.pidfile.with_suffix(".log")
    command = [
        sys.executable, "-m", "tests.emulator", "run",
        "--host", args.host, "--port", str(args.port), "--pending-seconds", str(args.pending_seconds),
    ]
    if args.podman_instances:
        command.append("--podman-instances")
    for volume in args.podman_volume:
        command += ["--podman-volume", volume]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    args.pidfile.write_text(f"{process.pid}\n")
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            print(f"error: the emulator exited with {process.returncode}; see {log_path}", file=sys.stderr)
            args.pidfile.unlink(missing_ok=True)
            return 1
        if port_answers(args.host, args.port):
            print(f"bakery emulator started: http://{args.host}:{args.port} (pid {process.pid})")
            return 0
        time.sleep(0.1)
    process.terminate()
    args.pidfile.unlink(missing_ok=True)
    print(f"error: the emulator did not answer on port {args.port} within {START_TIMEOUT_SECONDS}s; see {log_path}", file=sys.stderr)
    return 1


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by whoever adopted it) still answers kill(pid, 0).
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def stop(args: argparse.Namespace) -> int:
    if not args.pidfile.exists():
        print(f"no pidfile at {args.pidfile}: nothing to stop")
        return 0
    pid = int(args.pidfile.read_text().strip())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        args.pidfile.unlink(missing_ok=True)
        print(f"emulator pid {pid} was not running")
        return 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not is_running(pid):
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    args.pidfile.unlink(missing_ok=True)
    print(f"bakery emulator stopped (pid {pid})")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    return {"run": run, "start": start, "stop": stop}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
