#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: asg_rollout
short_description: Roll an AMI out to Auto Scaling groups (launch configurations and launch templates)
version_added: 0.1.0
description:
  - Points Auto Scaling groups at a new AMI, in one or many regions at once, groups handled concurrently.
  - For a group with a launch configuration, makes a copy of it with every attribute preserved and only the
    image changed (launch configurations are immutable), switches the group to the copy, and deletes superseded
    copies beyond O(keep_previous) that no group uses.
  - For a group with a launch template, creates a new template version from the group's current version
    (C(SourceVersion), so nothing else changes) with the new image and pins the group to that explicit version
    number (optionally also making it the template's default); superseded versions beyond O(keep_previous)
    that no group references are deleted.
  - A group on C($Latest) or C($Default) is first pinned to the numbered version its instances run, before the new
    version exists, so its scale-outs never launch the new image before a refresh (or the pin) moves the group to
    it, and a rollback has a numbered version to go back to. O(keep_version_alias=true) leaves it on the alias.
  - For a group whose launch template names its image as C(resolve:ssm:<parameter>), the new version names the image
    directly (a warning says so). With O(keep_image_parameter=true) the template stays as it is, the parameter must
    already hold the image (M(bakery.ami.image_parameter) puts it there), and the refresh replaces the instances.
  - With O(migrate_to_launch_template=true), a group with a launch configuration is moved to an equivalent
    launch template instead (IMDSv2 required by default). Accounts created on or after 2024-10-01 cannot create
    launch configurations at all; for them this is the only way to roll a new image out to such a group.
  - With O(instance_refresh.enabled=true), starts an instance refresh so running instances are replaced. For a
    launch template the refresh carries the pinned version as its desired configuration, so AWS switches the
    group when the refresh succeeds and auto rollback is possible. A group already on the image whose instances
    were launched from an older launch template version or launch configuration is refreshed too. A group whose
    refresh is already in progress is reported and left alone.
  - Every group is planned before any is changed; a group that cannot be rolled out as asked (for example
    O(instance_refresh.auto_rollback) where AWS cannot roll back) fails the task before any mutating call.
  - A group already on the image makes no change. In check mode, the plan for each group is returned and no
    mutating call is made.
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  groups:
    description:
      - Names of the Auto Scaling groups to roll out to, in every region of O(image_id).
      - Exactly one of O(groups) and O(group_tags) is required. A name that does not exist in a region is an error.
    type: list
    elements: str
  group_tags:
    description:
      - Select the groups carrying all of these tags (key and value), in every region of O(image_id).
    type: dict
  image_id:
    description:
      - >-
        The AMI to roll out. Either one id (in the O(region)), or a map of region to AMI id, for example one layer
        of the bake manifest such as C({"us-east-1": "ami-0123...", "eu-west-1": "ami-0456..."}).
    type: raw
    required: true
  launch_configuration_name:
    description:
      - The name of the launch configuration copy, as a template with the placeholders C({group}), C({image_id})
        and C({region}). It must contain C({image_id}).
      - It also tells which launch configurations are earlier copies for this group when pruning; only launch
        configurations with a name it gives are ever deleted, never the group's original one.
    type: str
    default: "{group}-{image_id}"
  launch_template_name:
    description:
      - With O(migrate_to_launch_template=true), the name of the launch template made for a group, as a template
        with the placeholders C({group}), C({image_id}) and C({region}). It must contain C({group}).
    type: str
    default: "{group}"
  keep_previous:
    description:
      - How many superseded launch configurations (per group) or launch template versions (per template) to keep,
        newest first, for going back. Older ones are deleted unless a group still uses them.
      - Launch template versions that are the template's default or latest version are always kept.
    type: int
    default: 2
  prune:
    description:
      - Whether to delete superseded launch configurations and launch template versions beyond O(keep_previous)
        after a group has been rolled out. Pruning is decided after the switch, from a fresh read of the groups;
        check mode applies the same rules to the planned switch and lists what would go in RV(groups[].pruned).
    type: bool
    default: true
  migrate_to_launch_template:
    description:
      - Move groups that use a launch configuration to an equivalent launch template with the new image.
      - Instance type, key pair, security groups, user data, IAM instance profile, block devices, metadata options,
        monitoring, EBS optimisation, spot price, placement tenancy and public IP association are carried over.
    type: bool
    default: false
  require_imdsv2:
    description:
      - With O(migrate_to_launch_template=true), require IMDSv2 (C(HttpTokens=required)) in the new launch template,
        whatever the launch configuration said.
    type: bool
    default: true
  make_default_version:
    description:
      - Also make the new launch template version the template's default version.
    type: bool
    default: false
  keep_version_alias:
    description:
      - Leave a group whose launch template version is C($Latest) or C($Default) on that alias instead of pinning it
        to numbered versions.
      - The new version then reaches the group at once, before any refresh or canary has tried it - every scale-out
        launches it - and AWS cannot roll a refresh of the group back, so O(instance_refresh.auto_rollback) is refused.
        A group on C($Default) needs O(make_default_version=true) for the new version to reach it at all.
    type: bool
    default: false
  keep_image_parameter:
    description:
      - For a group whose launch template names its image as C(resolve:ssm:<parameter>), keep the template as it is
        (no new version) and replace the instances with a refresh; scale-outs launch whatever the parameter holds.
      - The parameter must already hold the image, in every region (publish it with M(bakery.ami.image_parameter);
        C(playbooks/rollout.yml) does with C(rollout_image_parameter)); otherwise the task fails before any change.
      - AWS does not roll back a refresh of such a group ("A rollback is not supported ... The Auto Scaling group has
        a launch template that uses an AWS Systems Manager parameter instead of an AMI ID"), so
        O(instance_refresh.auto_rollback) is refused; to go back, point the parameter at the previous image and
        refresh again. A reference to a fixed version or label of the parameter (C(resolve:ssm:/name:3)) is refused.
      - Groups whose template names an image directly are rolled out as usual.
    type: bool
    default: false
  instance_refresh:
    description:
      - Replace running instances with an instance refresh once the group points at the new image.
      - Preferences not given are left to AWS (U(https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html)).
    type: dict
    suboptions:
      enabled:
        description: Start an instance refresh for each group that changed.
        type: bool
        default: false
      min_healthy_percentage:
        description:
          - Percentage of the desired capacity that stays in service during the refresh (0 to 100).
          - Not given, the group's instance maintenance policy decides, or AWS's 90 without one.
        type: int
      max_healthy_percentage:
        description:
          - Percentage of the desired capacity the group may grow to during the refresh (100 to 200). At most
            100 above O(instance_refresh.min_healthy_percentage), which must then be given too.
          - Not given, the group's instance maintenance policy decides, or AWS's 100 without one.
        type: int
      instance_warmup:
        description: Seconds until a new instance counts as in service. Defaults to the group's default instance warmup, or its health check grace period.
        type: int
      skip_matching:
        description:
          - Leave instances that already run the desired launch template version. Launch template groups only.
        type: bool
        default: false
      checkpoint_percentages:
        description:
          - Increasing percentages of replaced instances at which the refresh pauses for O(instance_refresh.checkpoint_delay),
            ending with V(100) (AWS replaces every instance only then), for example V([10, 50, 100]).
        type: list
        elements: int
      checkpoint_delay:
        description:
          - Seconds to pause at each checkpoint below 100 (0 to 172800). Not given, AWS pauses an hour (3600).
          - Only with O(instance_refresh.checkpoint_percentages).
        type: int
      bake_time:
        description:
          - Seconds to wait once every instance is replaced before the refresh counts as successful (0 to 172800);
            the alarms are watched, and auto rollback still possible, during that time.
        type: int
      alarms:
        description:
          - Names of up to 10 CloudWatch alarms; when one goes into the C(ALARM) state the refresh fails (and, with
            O(instance_refresh.auto_rollback), rolls back). The alarms must exist.
        type: list
        elements: str
      standby_instances:
        description:
          - What the refresh does with instances in C(Standby). V(terminate) them, V(ignore) them (they keep the old
            image), or V(wait) up to an hour for them to return to service and then fail.
          - Not given, AWS's default applies, which is V(wait).
        type: str
        choices: [terminate, ignore, wait]
      scale_in_protected_instances:
        description:
          - What the refresh does with instances protected from scale in. V(refresh) them too, V(ignore) them (they
            keep the old image), or V(wait) up to an hour for their protection to be removed and then fail.
          - Not given, AWS's default applies, which is V(wait).
        type: str
        choices: [refresh, ignore, wait]
      auto_rollback:
        description:
          - Roll the group back to its previous launch template version when the refresh fails or an alarm goes off.
          - AWS does not support it, and the task fails before any change, for a group on a launch configuration
            (also while it migrates), for a group left on C($Latest) or C($Default) (O(keep_version_alias)), and for a
            group whose launch template names its image through an SSM parameter. The message names the AWS rule.
        type: bool
        default: false
      wait:
        description: Wait until each refresh has ended and report its final status. The task fails when one did not succeed.
        type: bool
        default: true
      wait_timeout:
        description:
          - Seconds to wait for each refresh to replace its instances. The checkpoint pauses (O(instance_refresh.checkpoint_delay),
            or AWS's hour, at each checkpoint below 100) and O(instance_refresh.bake_time) are added to it.
        type: int
        default: 3600
  max_concurrency:
    description: How many groups (and regions) are handled at the same time.
    type: int
    default: 10
notes:
  - StartInstanceRefresh takes no idempotency token. When its answer is lost and the retry meets a refresh already in
    progress with this run's desired configuration and preferences, that refresh is taken as this run's.
  - A group with a mixed instances policy gets a new version of the policy's launch template; the group (or the
    refresh's desired configuration) is given the whole policy back with only that version changed, so its instance
    types, weights and on-demand/spot split stay. Overrides that name launch templates of their own are not rolled
    out; such a group is reported as failed.
  - Only groups are considered when deciding whether a launch configuration or template version is in use; a
    template version used by an EC2 Fleet or Spot Fleet is not seen. Keep O(keep_previous) high enough, or O(prune=false).
  - A public IP association of V(false) on a migrated launch configuration becomes the subnet default.
extends_documentation_fragment:
  - bakery.ami.aws
"""

EXAMPLES = r"""
- name: Roll the new web image out to two groups, replacing instances; roll back when an alarm goes off
  bakery.ami.asg_rollout:
    region: us-east-1
    groups: [web-blue, web-green]
    image_id: ami-0123456789abcdef0
    instance_refresh:
      enabled: true
      checkpoint_percentages: [20, 100]
      checkpoint_delay: 600
      alarms: [web-5xx-rate]
      bake_time: 300
      auto_rollback: true

- name: Groups whose launch template reads the image from /bakery/web/latest - publish, then refresh
  block:
    - name: Point the parameter at the new image
      bakery.ami.image_parameter:
        name: /bakery/web/latest
        image_ids: {us-east-1: ami-0123456789abcdef0}
    - name: Replace the instances, no new launch template version
      bakery.ami.asg_rollout:
        region: us-east-1
        group_tags: {role: web}
        image_id: ami-0123456789abcdef0
        keep_image_parameter: true
        instance_refresh:
          enabled: true

- name: Roll one layer of the bake manifest out to every group tagged role=web, in each of its regions
  bakery.ami.asg_rollout:
    group_tags:
      role: web
    image_id: "{{ (lookup('file', 'manifest.json') | from_json)['web-server-003'] }}"
    keep_previous: 3
    make_default_version: true

- name: Move launch configuration groups to launch templates (IMDSv2 required) with the new image
  bakery.ami.asg_rollout:
    groups: [legacy-api]
    image_id: ami-0123456789abcdef0
    migrate_to_launch_template: true
    launch_template_name: "{group}-lt"

- name: See what would change
  bakery.ami.asg_rollout:
    group_tags: {role: web}
    image_id: ami-0123456789abcdef0
  check_mode: true
  diff: true
"""

RETURN = r"""
groups:
  description: One entry per selected group and region.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The group name.
      type: str
      sample: web-blue
    region:
      description: The group's region.
      type: str
      sample: us-east-1
    kind:
      description:
        - V(launch_configuration), V(launch_template), V(mixed_instances_policy) (the policy's launch template) or
          V(migration) (launch configuration to launch template).
      type: str
      sample: launch_template
    image_id:
      description: The image rolled out to the group.
      type: str
      sample: ami-0123456789abcdef0
    changed:
      description: Whether the group changed (or, in check mode, would change).
      type: bool
    actions:
      description: What was done (or, in check mode, would be done), in order.
      type: list
      elements: str
      sample: ["create launch template version", "start instance refresh"]
    before:
      description:
        - The group's launch source before the run, C(launch_configuration_name) or C(launch_template)
          (C(launch_template_id), C(launch_template_name), C(version)), and its C(image_id).
      type: dict
      sample:
        launch_template: {"launch_template_id": "lt-0123456789abcdef0", "launch_template_name": "web", "version": "4"}
        image_id: ami-0aaaaaaaaaaaaaaaa
    after:
      description:
        - The group's launch source after the run, in the same shape as RV(groups[].before). A version of V((new)) means
          one check mode would create. After a failed refresh of a launch template group, its launch source from before
          the refresh - for a group that was on C($Latest) or C($Default), the numbered version it was pinned to.
      type: dict
      sample:
        launch_template: {"launch_template_id": "lt-0123456789abcdef0", "launch_template_name": "web", "version": "5"}
        image_id: ami-0123456789abcdef0
    refresh:
      description:
        - The instance refresh started by this run (or taken as this run's after a lost answer), or the one found in
          progress; null when none.
        - C(instance_refresh_id), C(status) (V(Pending), V(InProgress), V(Successful), V(Failed), V(Cancelled),
          V(RollbackSuccessful), ...), C(status_reason), C(percentage_complete), C(instances_to_update),
          C(started_by_this_run), C(rollback_reason) (after a rollback) and, when waited for, C(progress) (each
          percentage seen while waiting).
      type: dict
      sample:
        instance_refresh_id: 0b6b9c7e-5f0a-4f55-9f0e-1f0c9d2a1b3c
        status: Successful
        percentage_complete: 100
        started_by_this_run: true
        progress: [50, 100]
    pruned:
      description:
        - What was deleted after the switch, C(launch_configurations) (names) and C(launch_template_versions) (numbers).
        - In check mode, what would be deleted (nothing is); a version the rollout would create counts as the template's next number.
      type: dict
      sample: {"launch_configurations": ["web-blue-ami-0aaaaaaaaaaaaaaaa"], "launch_template_versions": [2]}
failed_groups:
  description: On failure, one message per group (region/name) that failed or whose refresh did not succeed.
  returned: when the rollout failed
  type: list
  elements: str
  sample: ["us-east-1/web-blue: instance refresh ended RollbackSuccessful (Instances failed to pass health checks.)"]
"""

from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.reconciler import rollout
from ansible_collections.bakery.ami.plugins.module_utils._asg_rollout.request import RolloutRequest
from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule


def argument_spec():
    refresh = dict(
        enabled=dict(type="bool", default=False),
        min_healthy_percentage=dict(type="int"),
        max_healthy_percentage=dict(type="int"),
        instance_warmup=dict(type="int"),
        skip_matching=dict(type="bool", default=False),
        checkpoint_percentages=dict(type="list", elements="int"),
        checkpoint_delay=dict(type="int"),
        bake_time=dict(type="int"),
        alarms=dict(type="list", elements="str"),
        standby_instances=dict(type="str", choices=["terminate", "ignore", "wait"]),
        scale_in_protected_instances=dict(type="str", choices=["refresh", "ignore", "wait"]),
        auto_rollback=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=3600),
    )
    return dict(
        groups=dict(type="list", elements="str"),
        group_tags=dict(type="dict"),
        image_id=dict(type="raw", required=True),
        launch_configuration_name=dict(type="str", default="{group}-{image_id}"),
        launch_template_name=dict(type="str", default="{group}"),
        keep_previous=dict(type="int", default=2),
        prune=dict(type="bool", default=True),
        migrate_to_launch_template=dict(type="bool", default=False),
        require_imdsv2=dict(type="bool", default=True),
        make_default_version=dict(type="bool", default=False),
        keep_version_alias=dict(type="bool", default=False),
        keep_image_parameter=dict(type="bool", default=False),
        instance_refresh=dict(type="dict", options=refresh, apply_defaults=True),
        max_concurrency=dict(type="int", default=10),
    )


def main():
    module = BakeryAwsModule(
        argument_spec(),
        supports_check_mode=True,
        mutually_exclusive=[["groups", "group_tags"]],
        required_one_of=[["groups", "group_tags"]],
    )

    def work():
        request = RolloutRequest.from_params(module.request_params)
        result = rollout(module.client_factory, request, module.check_mode)
        for warning in result.pop("warnings"):
            module.ansible.warn(warning)
        return result

    module.run(work)


if __name__ == "__main__":
    main()
