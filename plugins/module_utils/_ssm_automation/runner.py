# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start an SSM Automation runbook once per request, wait for it, and report its steps and outputs.

Idempotency. StartAutomationExecution takes a ``ClientToken`` (a UUID; AWS: "User-provided
idempotency token. The token must be unique ... and can't be reused"), which protects one start
from a retried request. Across runs, every execution this module starts carries the tag key
``bakery:ssm-automation:<request id>`` (the request id is a UUID of the document, version,
parameters and ``idempotency_key``); DescribeAutomationExecutions' ``TagKey`` filter finds them in
one call. A pending, running or succeeded execution of the same request is adopted, never started
again; when every earlier one ended unsuccessfully, a new one starts with a token that also
names those, so it is never a reused token. Planning makes only read calls.
"""

from __future__ import annotations

import time

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, poll_until

SUCCEEDED_STATES = ("Success", "CompletedWithSuccess")
UNSUCCESSFUL_STATES = ("Failed", "TimedOut", "Cancelled", "Cancelling", "Rejected", "CompletedWithFailure", "Exited", "ChangeCalendarOverrideRejected")
IMAGE_OUTPUT_SUFFIX = ".ImageId"
NOT_FOUND_CODE = "AutomationExecutionNotFoundException"


class AutomationFailedError(BakeryError):
    def __init__(self, result):
        self.result = result
        step = result.get("failed_step")
        super().__init__(
            "automation execution %s of %s ended %s%s: %s"
            % (
                result["execution_id"],
                result["document_name"],
                result["status"],
                " at step %s" % step if step else "",
                result.get("failure_message") or "no failure message",
            )
        )

    def result_fields(self):
        return dict(self.result)


class AutomationPlan:
    def __init__(self, adopted, ended_ids):
        self.adopted = adopted
        self.ended_ids = ended_ids

    @property
    def needs_start(self):
        return self.adopted is None


class AutomationRunner:
    def __init__(self, ssm_api, request, backoff=None, clock=time.monotonic):
        self.api = ssm_api
        self.request = request
        self.backoff = backoff or Backoff(initial_delay=2.0, max_delay=30.0)
        self.clock = clock

    def plan(self):
        earlier = self.api.paginate(
            "describe_automation_executions",
            "AutomationExecutionMetadataList",
            Filters=[{"Key": "TagKey", "Values": [self.request.request_tag_key]}],
        )
        live = [entry for entry in earlier if entry.get("AutomationExecutionStatus") not in UNSUCCESSFUL_STATES]
        # The newest live one: a re-run while it still runs, or after it succeeded, reports that one.
        live.sort(key=lambda entry: entry.get("ExecutionStartTime") or 0, reverse=True)
        ended = [entry["AutomationExecutionId"] for entry in earlier if entry.get("AutomationExecutionStatus") in UNSUCCESSFUL_STATES]
        return AutomationPlan(live[0] if live else None, ended)

    def start(self, plan):
        return self.api.call("start_automation_execution", **self.request.start_fields(plan.ended_ids))["AutomationExecutionId"]

    def describe(self, execution_id):
        try:
            return self.api.call("get_automation_execution", AutomationExecutionId=execution_id)["AutomationExecution"]
        except BakeryError as error:
            # Right after the start the execution may not be readable yet (eventual consistency).
            if getattr(error, "code", None) == NOT_FOUND_CODE:
                return None
            raise

    def wait(self, execution_id, progress):
        started = self.clock()

        def probe():
            execution = self.describe(execution_id)
            if execution is None:
                return False, "not yet visible"
            status = execution.get("AutomationExecutionStatus")
            seen = {"status": status, "current_step": execution.get("CurrentStepName"), "seconds": round(self.clock() - started, 1)}
            if not progress or (progress[-1]["status"], progress[-1]["current_step"]) != (seen["status"], seen["current_step"]):
                progress.append(seen)
            if status in SUCCEEDED_STATES or status in UNSUCCESSFUL_STATES:
                return True, execution
            return False, "%s (step %s)" % (status, execution.get("CurrentStepName"))

        return poll_until(probe, "automation execution %s of %s to end" % (execution_id, self.request.document_name), self.request.wait_timeout, self.backoff)


def run_automation(ssm_api, request, check_mode, backoff=None):
    """Plan, and unless in check mode start (or adopt) and wait; the module's result (with ``diff``)."""
    runner = AutomationRunner(ssm_api, request, backoff)
    plan = runner.plan()
    result = {
        "changed": plan.needs_start,
        "document_name": request.document_name,
        "parameters": request.parameters,
        "request_tag": request.request_tag_key,
        "execution_id": None,
        "status": None,
        "outputs": {},
        "image_id": None,
        "step_executions": [],
        "failure_message": None,
        "failed_step": None,
        "progress": [],
        "diff": {
            "before": {"execution_id": plan.adopted["AutomationExecutionId"] if plan.adopted else None},
            "after": {
                "execution_id": plan.adopted["AutomationExecutionId"] if plan.adopted else "(new execution)",
                "document_name": request.document_name,
                "parameters": request.parameters,
            },
        },
    }
    if check_mode:
        if plan.adopted:
            _add_execution(result, plan.adopted)
        else:
            result["would_start"] = {"document_name": request.document_name, "document_version": request.document_version, "parameters": request.parameters}
        return result
    execution_id = runner.start(plan) if plan.needs_start else plan.adopted["AutomationExecutionId"]
    result["execution_id"] = execution_id
    result["diff"]["after"]["execution_id"] = execution_id
    execution = runner.wait(execution_id, result["progress"]) if request.wait else (runner.describe(execution_id) or {"AutomationExecutionId": execution_id})
    _add_execution(result, execution)
    if result["status"] in UNSUCCESSFUL_STATES:
        raise AutomationFailedError(result)
    return result


def _add_execution(result, execution):
    result["execution_id"] = execution.get("AutomationExecutionId")
    result["status"] = execution.get("AutomationExecutionStatus")
    result["outputs"] = execution.get("Outputs") or {}
    result["failure_message"] = execution.get("FailureMessage")
    result["image_id"] = image_id_output(result["outputs"])
    steps = [_step_record(step) for step in execution.get("StepExecutions") or []]
    result["step_executions"] = steps
    failed = [step for step in steps if step["status"] in ("Failed", "TimedOut", "Cancelled")]
    if failed:
        result["failed_step"] = failed[0]["step_name"]
        result["failure_message"] = result["failure_message"] or failed[0]["failure_message"]


def image_id_output(outputs):
    """The new image id among the outputs (``createImage.ImageId`` for AWS-UpdateLinuxAmi)."""
    for name in sorted(outputs):
        if name.endswith(IMAGE_OUTPUT_SUFFIX) and outputs[name]:
            return outputs[name][0]
    return None


def _time(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _step_record(step):
    return {
        "step_name": step.get("StepName"),
        "action": step.get("Action"),
        "status": step.get("StepStatus"),
        "start_time": _time(step.get("ExecutionStartTime")),
        "end_time": _time(step.get("ExecutionEndTime")),
        "outputs": step.get("Outputs") or {},
        "failure_message": step.get("FailureMessage"),
    }
