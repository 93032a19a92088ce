#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: image_prune
short_description: Retire old AMIs of an image family in many regions at once
version_added: 0.1.0
description:
  - Applies a retention policy to one image family (the caller's own images whose name starts with O(name),
    and/or that carry every tag of O(tags), for example C(bakery:layer)) in every region of O(regions), concurrently.
  - In each region it keeps the O(keep) newest images and every image younger than O(older_than_days) days,
    and deprecates, disables or deregisters the rest (O(action)).
  - Never touches an image that is still in use (O(exclude_in_use)) - by a pending, running, stopping or stopped
    instance, a launch configuration, the default or latest version of a launch template, the launch template
    version or launch configuration of an Auto Scaling group, a Systems Manager parameter holding its id, or an EC2
    Image Builder recipe (the last two through C(DescribeImageReferences)). A launch template that names its image
    through an SSM parameter (C(resolve:ssm:/bakery/web/latest)) uses the image the parameter holds. Those are
    returned in RV(skipped_in_use) with what uses them.
  - Never touches an image with deregistration protection (also during its cooldown); those are returned in
    RV(skipped_protected).
  - With O(action=disable) or O(action=deregister), which end every launch of the image, also keeps by default an
    image that is public or shared with other accounts, organizations or OUs (their Auto Scaling groups and launch
    templates may launch it, which nothing in this account shows; O(include_shared)), and an image AWS reports
    launched within O(launched_within_days) days (C(lastLaunchedTime), which counts launches in every account).
    O(action=deprecate) changes nothing for anyone who launches the image by id, so neither rule holds it back.
  - Every image of the family that is not pruned is in RV(kept) with the reason.
  - An image already in the state O(action) leads to (deprecated, disabled) needs no call, so a re-run makes no mutating call.
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  name:
    description:
      - The family's name prefix. Selects the caller's images whose name starts with this value
        (the EC2 C(name) filter C(<name>*); C(*) and C(?) wildcards work).
      - At least one of O(name) and O(tags) is required.
    type: str
  tags:
    description:
      - "Selects the caller's images that carry every one of these tags, for example C({bakery:layer: web-server-002})."
      - At least one of O(name) and O(tags) is required.
    type: dict
  regions:
    description:
      - The regions to prune in, concurrently. Each region is pruned on its own - O(keep) applies per region.
      - Defaults to O(region).
    type: list
    elements: str
  keep:
    description:
      - How many of the newest images of the family to keep in each region, whatever their age.
      - Every image of the family counts, including deprecated and disabled ones.
    type: int
    default: 3
  older_than_days:
    description:
      - Images younger than this many days are kept too. V(0) means age protects no image beyond O(keep).
    type: int
    default: 0
  action:
    description:
      - V(deprecate) sets the deprecation time of each pruned image to now (the next whole minute); images already
        deprecated (or due sooner) are left as they are.
      - V(disable) disables each pruned image (it can no longer be launched and becomes private; it can be re-enabled).
      - V(deregister) deregisters each pruned image and, with O(delete_snapshots), deletes its snapshots.
    type: str
    choices: [deprecate, disable, deregister]
    default: deprecate
  delete_snapshots:
    description:
      - With O(action=deregister), delete the snapshots of each deregistered image. AWS keeps a snapshot that another
        image still uses.
    type: bool
    default: true
  exclude_in_use:
    description:
      - Leave images that something still launches from untouched (see the description).
      - Set to V(false) only when the images are known to be unused; checking costs a few calls per region and one
        C(DescribeImageReferences) per 10 images past retention.
    type: bool
    default: true
  include_shared:
    description:
      - With O(action=disable) or O(action=deregister), also prune images that are public or shared with other
        accounts, organizations or organizational units.
      - By default such images are kept, and RV(kept) says with whom each is shared. The accounts they are shared
        with may still launch them, and this account cannot see their launch templates or Auto Scaling groups. Look
        at AWS's usage report first (C(CreateImageUsageReport), see the patching guide).
      - Disabling an image removes all its launch permissions; deregistering it ends every launch.
    type: bool
    default: false
  launched_within_days:
    description:
      - With O(action=disable) or O(action=deregister), keep the images AWS reports as launched within this many
        days (the image attribute C(lastLaunchedTime), which counts launches in every account the image is shared
        with). V(0) turns this off.
      - AWS reports a launch with a delay of up to 24 hours, so a launch of the last day may not be seen here; the
        instances it started are (O(exclude_in_use)) while they run.
    type: int
    default: 7
  max_concurrency:
    description:
      - How many regions to work on at once. Defaults to all of them.
    type: int
extends_documentation_fragment:
  - bakery.ami.aws
attributes:
  check_mode:
    support: full
    description: Makes only read calls; RV(pruned) lists exactly the images that would be pruned.
  diff_mode:
    support: full
    description: Shows each pruned image's state and deprecation time before and after, keyed by C(<region>/<image id>).
notes:
  - Pending images are never pruned. Failed images are not part of a family.
  - Only this account and region are searched for what uses an image. Another account's launch templates and Auto
    Scaling groups are invisible to it, whether the image is shared with that account or copied there; keep
    O(include_shared=false), and see the patching guide for AWS's usage reports across accounts.
  - With O(action=disable) or O(action=deregister), each image past retention and not in use costs up to two
    C(DescribeImageAttribute) calls (C(launchPermission), C(lastLaunchedTime)).
  - When some regions fail, the others still complete; the task fails naming the failed regions in RV(failed).
seealso:
  - module: bakery.ami.image_info
  - module: bakery.ami.image
"""

EXAMPLES = r"""
- name: Keep the 5 newest images of layer 002 and all of the last 30 days; deprecate the rest, in three regions
  bakery.ami.image_prune:
    tags:
      bakery:layer: web-server-002
    regions: [us-east-1, eu-west-1, ap-southeast-2]
    keep: 5
    older_than_days: 30
    action: deprecate

- name: Deregister old patched images and delete their snapshots
  bakery.ami.image_prune:
    name: UpdateLinuxAmi_from_
    region: us-east-1
    keep: 2
    action: deregister
  register: pruned

- name: Deregister old images of a layer whose consumers in other accounts have moved on; keep any launched this month
  bakery.ami.image_prune:
    tags:
      bakery:layer: web-server-002
    region: us-east-1
    keep: 3
    action: deregister
    include_shared: true
    launched_within_days: 30

- name: See what a prune would do
  bakery.ami.image_prune:
    name: web-server-000-
    regions: [us-east-1]
    keep: 3
    action: disable
  check_mode: true
  register: would_prune
"""

RETURN = r"""
pruned:
  description:
    - The images pruned by this run (in check mode, that would be), as the collection's image record (documented at
      RV(bakery.ami.image_info#module:images)) plus C(prune_action), and C(deleted_snapshot_ids) for deregistered
      images. With O(action=deprecate), C(deprecation_time) is the time set.
  returned: always
  type: list
  elements: dict
  sample: [{"image_id": "ami-0123456789abcdef0", "region": "us-east-1", "name": "web-server-000-20250101", "prune_action": "deprecate"}]
already_pruned:
  description: Images past retention that were already in the state O(action) leads to; nothing was done to them.
  returned: always
  type: list
  elements: dict
kept:
  description:
    - Every image of the family that was not pruned (nor already pruned), each with a C(reason) - one of the newest
      O(keep), younger than O(older_than_days) days, in use (with C(used_by)), deregistration protection, shared
      (with C(shared_with)), launched within O(launched_within_days) days (with C(last_launched_time)).
  returned: always
  type: list
  elements: dict
  sample:
    - {"image_id": "ami-0fedcba9876543210", "region": "us-east-1", "reason": "one of the newest 3"}
    - {"image_id": "ami-0fedcba9876543211", "region": "us-east-1", "reason": "shared (account 111122223333); include_shared: true prunes it",
       "shared_with": ["account 111122223333"]}
    - {"image_id": "ami-0fedcba9876543212", "region": "us-east-1", "reason": "launched 2026-11-20T08:00:00Z, within the last 7 days",
       "last_launched_time": "2026-11-20T08:00:00Z"}
skipped_in_use:
  description: Images past retention left untouched because something uses them, each with C(used_by), what uses it.
  returned: always
  type: list
  elements: dict
  sample: [{"image_id": "ami-0123456789abcdef1", "region": "eu-west-1", "used_by": ["instance i-0123456789abcdef0 (running)"]}]
skipped_protected:
  description: Images past retention left untouched because they have deregistration protection.
  returned: always
  type: list
  elements: dict
regions:
  description:
    - Per region, how many images were examined, kept (for any reason), pruned and already pruned, and how many of
      the kept ones were in use, protected, shared or recently launched.
  returned: always
  type: dict
  sample: {"us-east-1": {"examined": 30, "kept": 10, "pruned": 20, "already_pruned": 0, "skipped_in_use": 4, "skipped_protected": 1,
           "skipped_shared": 0, "skipped_recently_launched": 0}}
images_examined:
  description: How many images of the family were examined, over all regions.
  returned: always
  type: int
  sample: 90
action:
  description: The action applied to pruned images.
  returned: always
  type: str
  sample: deprecate
failed:
  description: The error message by region, for the regions that failed.
  returned: always
  type: dict
  sample: {"ap-south-1": "DescribeImages in ap-south-1 failed: ..."}
"""

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.pruner import prune_images
from ansible_collections.bakery.ami.plugins.module_utils._image_prune.request import PRUNE_ACTIONS, PruneRequest


def argument_spec():
    return dict(
        name=dict(type="str"),
        tags=dict(type="dict"),
        regions=dict(type="list", elements="str"),
        keep=dict(type="int", default=3),
        older_than_days=dict(type="int", default=0),
        action=dict(type="str", choices=list(PRUNE_ACTIONS), default="deprecate"),
        delete_snapshots=dict(type="bool", default=True),
        exclude_in_use=dict(type="bool", default=True),
        include_shared=dict(type="bool", default=False),
        launched_within_days=dict(type="int", default=7),
        max_concurrency=dict(type="int"),
    )


def main():
    module = BakeryAwsModule(argument_spec(), supports_check_mode=True, required_one_of=[["name", "tags"]])

    def work():
        request = PruneRequest.from_params(module.request_params)
        return prune_images(module.client_factory, request, module.check_mode)

    module.run(work)


if __name__ == "__main__":
    main()
