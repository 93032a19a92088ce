"""The emulator: moto's WSGI app, our extensions installed, our middleware around it."""

from __future__ import annotations

import threading

from . import FIXTURE_AMIS_PATH  # noqa: F401  (sets MOTO_AMIS_PATH before moto is imported)
from .call_counter import CallCounter, CallLog
from .config import emulator_config
from .control_api import ControlApi
from .fault_injection import FaultInjection, FaultPlan


def build_app():
    """(wsgi_app, control_api): the WSGI stack control → counter → faults → moto."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from .extensions import install_all

    install_all()
    moto_app = DomainDispatcherApplication(create_backend_app)
    call_log = CallLog()
    fault_plan = FaultPlan()
    aws_stack = CallCounter(FaultInjection(moto_app, fault_plan), call_log)
    control = ControlApi(aws_stack, moto_app, call_log, fault_plan, emulator_config)
    return control, control


def _request_handler(log_requests: bool):
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    if log_requests:
        return MotoRequestHandler

    class QuietRequestHandler(MotoRequestHandler):
        def log_request(self, *args, **kwargs) -> None:
            pass

    return QuietRequestHandler


class Emulator:
    """moto server on host:port (0 = a free port) in a daemon thread of this process."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, pending_seconds: float = 0.0, log_requests: bool = False
    ) -> None:
        self.host = host
        self.log_requests = log_requests
        self.port = port
        self.pending_seconds = pending_seconds
        self._server = None
        self._thread: threading.Thread | None = None
        self.control_api: ControlApi | None = None

    def start(self) -> "Emulator":
        from werkzeug.serving import make_server

        emulator_config.set_defaults(pending_seconds=self.pending_seconds)
        app, self.control_api = build_app()
        self._server = make_server(self.host, self.port, app, threaded=True, request_handler=_request_handler(self.log_requests))
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"bakery-emulator-{self.port}", daemon=True)
        self._thread.start()
        return self

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
