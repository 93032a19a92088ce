#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: ssm_automation
short_description: Run an AWS Systems Manager Automation runbook (such as AWS-UpdateLinuxAmi) and wait for its outputs
version_added: 0.1.0
description:
  - Starts an SSM Automation runbook with parameters, by default C(AWS-UpdateLinuxAmi), which launches an instance
    from the C(SourceAmiId) parameter, applies the distribution's updates, creates a new image from it and terminates it.
  - Waits until the execution ends, polling with exponential backoff, and returns its status, every step's status and
    the runbook's outputs - for C(AWS-UpdateLinuxAmi) the new image id (RV(image_id)).
  - Fails with the failing step's name and message when the execution ends unsuccessfully.
  - Idempotent. Every execution it starts carries the tag key C(bakery:ssm-automation:<request id>), a UUID of the
    document, version, parameters and O(idempotency_key). A pending, running or succeeded execution of the same request
    is adopted (and waited for) instead of starting another, so a re-run makes no mutating call. When every earlier
    execution of the request ended unsuccessfully, a new one starts.
  - Each start carries a deterministic C(ClientToken) derived from the request and those unsuccessful executions, so a
    StartAutomationExecution retried after a lost response cannot start the runbook twice.
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  document_name:
    description:
      - The Automation runbook (SSM document) name or ARN.
    type: str
    default: AWS-UpdateLinuxAmi
  document_version:
    description:
      - The runbook version (a number, C($DEFAULT) or C($LATEST)). Defaults to the document's default version.
    type: str
  parameters:
    description:
      - The runbook's parameters. Each value is a string or a list of strings (Automation parameters are lists);
        numbers and booleans are sent as strings, dicts and lists inside lists as JSON.
      - For C(AWS-UpdateLinuxAmi), C(SourceAmiId) is required and only its parameters are accepted -
        C(SourceAmiId), C(IamInstanceProfileName), C(AutomationAssumeRole), C(TargetAmiName), C(InstanceType),
        C(SubnetId), C(SecurityGroupIds), C(IncludePackages), C(ExcludePackages), C(PreUpdateScript),
        C(PostUpdateScript), C(MetadataOptions).
    type: dict
    default: {}
  tags:
    description:
      - Tags for the execution, in addition to the request tag this module sets.
    type: dict
  idempotency_key:
    description:
      - Any string that takes part in the request id. With the same document and parameters, a new value starts a new
        execution even when an earlier one succeeded - for instance the patch window, C("{{ '%Y-%m' | strftime }}").
    type: str
  wait:
    description:
      - Wait until the execution ends. With V(false), returns right after the start with the current status.
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait, in seconds. The execution keeps running in AWS after a timeout; a re-run adopts it.
    type: int
    default: 3600
extends_documentation_fragment:
  - bakery.ami.aws
attributes:
  check_mode:
    support: full
    description: Makes only read calls; reports an execution that would be adopted, or RV(would_start).
  diff_mode:
    support: full
    description: Shows the execution id before and after (a placeholder for one that would start), the document and parameters.
notes:
  - The role or user running the module needs C(ssm:StartAutomationExecution), C(ssm:GetAutomationExecution),
    C(ssm:DescribeAutomationExecutions) and C(ssm:AddTagsToResource), and the runbook's own permissions
    (or the runbook parameter C(AutomationAssumeRole)).
seealso:
  - module: bakery.ami.image_prune
  - name: AWS-UpdateLinuxAmi runbook reference
    description: Parameters and steps of the runbook.
    link: https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-updatelinuxami.html
"""

EXAMPLES = r"""
- name: Patch the newest web-server-002 image with security updates
  bakery.ami.ssm_automation:
    region: us-east-1
    parameters:
      SourceAmiId: "{{ newest.image.image_id }}"
      IamInstanceProfileName: ManagedInstanceProfile
      AutomationAssumeRole: arn:aws:iam::123456789012:role/AutomationServiceRole
      TargetAmiName: web-server-002-patched-{{ '%Y%m%d' | strftime }}
      InstanceType: t3.small
      SubnetId: subnet-0123456789abcdef0
      ExcludePackages: kernel*
    idempotency_key: "{{ '%Y-%m' | strftime }}"
    wait_timeout: 5400
  register: patched

- name: Use the new image
  ansible.builtin.debug:
    msg: "Patched image: {{ patched.image_id }}"

- name: Start a custom runbook and do not wait
  bakery.ami.ssm_automation:
    document_name: MyOrg-HardenAmi
    parameters:
      SourceAmiId: ami-0123456789abcdef0
      Level: ["2"]
    wait: false
"""

RETURN = r"""
execution_id:
  description: The Automation execution id (started or adopted); null in check mode when one would start.
  returned: always
  type: str
  sample: 4105a4fc-f944-11e6-9d32-0a1b2c3d495h
status:
  description: The execution status, for example C(Success), C(InProgress), C(Failed).
  returned: always
  type: str
  sample: Success
outputs:
  description: The runbook's outputs, each a list of strings.
  returned: always
  type: dict
  sample: {"createImage.ImageId": ["ami-0123456789abcdef0"]}
image_id:
  description: The first output named C(<step>.ImageId) - for C(AWS-UpdateLinuxAmi), the new image; null when there is none.
  returned: always
  type: str
  sample: ami-0123456789abcdef0
step_executions:
  description: Every step with C(step_name), C(action), C(status), C(start_time), C(end_time), C(outputs) and C(failure_message).
  returned: always
  type: list
  elements: dict
  sample: [{"step_name": "launchInstance", "action": "aws:runInstances", "status": "Success"}]
failed_step:
  description: The name of the step that failed, when one did.
  returned: always
  type: str
  sample: updateOSSoftware
failure_message:
  description: The execution's (or failing step's) failure message.
  returned: always
  type: str
progress:
  description: The statuses and current steps seen while waiting, with the seconds since the wait began.
  returned: always
  type: list
  elements: dict
  sample: [{"status": "InProgress", "current_step": "launchInstance", "seconds": 0.0}, {"status": "Success", "current_step": null, "seconds": 412.5}]
document_name:
  description: The runbook.
  returned: always
  type: str
parameters:
  description: The parameters as sent, each a list of strings.
  returned: always
  type: dict
request_tag:
  description: The tag key that marks the executions of this request.
  returned: always
  type: str
  sample: bakery:ssm-automation:1b4e28ba-2fa1-5ed2-883f-0123456789ab
would_start:
  description: In check mode, the execution that would start (C(document_name), C(document_version), C(parameters)).
  returned: in check mode, when an execution would start
  type: dict
"""

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule
from ansible_collections.bakery.ami.plugins.module_utils._ssm_automation.request import UPDATE_LINUX_AMI, AutomationRequest
from ansible_collections.bakery.ami.plugins.module_utils._ssm_automation.runner import run_automation


def argument_spec():
    return dict(
        document_name=dict(type="str", default=UPDATE_LINUX_AMI),
        document_version=dict(type="str"),
        parameters=dict(type="dict", default={}),
        tags=dict(type="dict"),
        idempotency_key=dict(type="str", no_log=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=3600),
    )


def main():
    module = BakeryAwsModule(argument_spec(), supports_check_mode=True)

    def work():
        request = AutomationRequest.from_params(module.request_params)
        return run_automation(module.client_factory.api("ssm"), request, module.check_mode)

    module.run(work)


if __name__ == "__main__":
    main()
