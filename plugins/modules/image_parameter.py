#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: image_parameter
short_description: Point an SSM parameter at an AMI in each region
version_added: 0.1.0
description:
  - Creates or updates one AWS Systems Manager Parameter Store parameter (such as C(/bakery/web-server-003/latest)) in
    each region so that it holds that region's image id, or deletes it.
  - The parameter is a C(String) of data type C(aws:ec2:image), so launch templates
    (C(resolve:ssm:/bakery/web-server-003/latest)), CloudFormation and M(bakery.ami.image_info) (O(bakery.ami.image_info#module:ssm_parameter))
    can read the newest image of a layer without the bake manifest.
  - Every region is read before any change; an image that does not exist in its region, or a parameter of another type
    or data type under that name, stops all regions before anything is written. Regions run concurrently.
  - Parameter Store validates an C(aws:ec2:image) value after C(PutParameter) returns and silently keeps the old value
    when it rejects the image. With O(wait=true) the module reads the new version back and fails when it did not land.
  - A re-run with the same image ids makes no mutating call.
author:
  - bakery.ami maintainers (@bakery-ami)
options:
  name:
    description:
      - The parameter's name. A path must start with C(/); names starting with C(aws) or C(ssm) are reserved by AWS.
    type: str
    required: true
  image_ids:
    description:
      - The image per region, as a dict of region to image id (what M(bakery.ami.image_copy) returns as
        C(image_ids), plus the source region), or a single image id in O(region).
      - With O(state=absent), its regions are the regions to delete the parameter from.
    type: raw
  regions:
    description:
      - With O(state=absent), the regions to delete the parameter from.
    type: list
    elements: str
    default: []
  state:
    description:
      - V(present) makes the parameter hold the image id; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  data_type:
    description:
      - The parameter's data type. Parameter Store cannot change an existing parameter to or from C(aws:ec2:image);
        a parameter of the other data type is reported, not replaced.
    type: str
    choices: [aws:ec2:image, text]
    default: aws:ec2:image
  description:
    description:
      - The parameter's description. Compared with the current one only when given.
    type: str
  tags:
    description:
      - Tags of the parameter. On creation they are sent with the parameter; on an existing parameter they are added
        (and with O(purge_tags=true) others removed). Not managed when omitted.
    type: dict
  purge_tags:
    description:
      - Remove the parameter's tags that are not in O(tags).
    type: bool
    default: false
  wait:
    description:
      - Read each new version back until Parameter Store's asynchronous C(aws:ec2:image) validation has stored it.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait per region for the new version.
    type: int
    default: 60
  max_concurrency:
    description:
      - At most this many regions at once (default all).
    type: int
extends_documentation_fragment:
  - bakery.ami.aws
attributes:
  check_mode:
    support: full
    description: Makes only read calls and reports what would be created, updated or deleted.
  diff_mode:
    support: full
    description: Shows the parameter's value per region before and after.
notes:
  - Parameters are standard tier; a C(String) parameter's value (an image id) is not secret.
seealso:
  - module: bakery.ami.image_copy
  - module: bakery.ami.image_info
"""

EXAMPLES = r"""
- name: Publish the new image of the layer in its home region and every copy region
  bakery.ami.image_parameter:
    name: /bakery/web-server-003/latest
    image_ids: "{{ {'us-east-1': image.image_id} | combine(copies.image_ids) }}"
    description: Newest web-server-003 image (bakery.ami)
    tags:
      team: platform

- name: Launch from it in a launch template
  amazon.aws.ec2_launch_template:
    name: web
    image_id: resolve:ssm:/bakery/web-server-003/latest

- name: Stop publishing in two regions
  bakery.ami.image_parameter:
    name: /bakery/web-server-003/latest
    regions: [eu-west-1, ap-southeast-2]
    state: absent
"""

RETURN = r"""
name:
  description: The parameter's name.
  returned: always
  type: str
  sample: /bakery/web-server-003/latest
parameters:
  description:
    - Per region, C(region), C(name), C(image_id) (what it holds now; null when deleted), C(previous_image_id),
      C(version) (after the change; the current one when nothing changed), C(data_type), C(changed) and C(action)
      (C(create), C(update), C(delete), C(retag) or C(none); in check mode, what would happen).
  returned: always
  type: list
  elements: dict
  sample:
    - region: us-east-1
      name: /bakery/web-server-003/latest
      image_id: ami-0123456789abcdef0
      previous_image_id: ami-0fedcba9876543210
      version: 4
      data_type: aws:ec2:image
      changed: true
      action: update
image_ids:
  description: The image id the parameter holds per region (regions where it was deleted are left out).
  returned: always
  type: dict
  sample: {"us-east-1": "ami-0123456789abcdef0", "eu-west-1": "ami-0abcdef0123456789"}
failed:
  description: Regions whose change failed, with the AWS message; the module fails when there are any.
  returned: always
  type: dict
  sample: {}
"""

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import BakeryAwsModule
from ansible_collections.bakery.ami.plugins.module_utils._image_parameter.publisher import publish_image_parameter
from ansible_collections.bakery.ami.plugins.module_utils._image_parameter.request import ImageParameterRequest


def argument_spec():
    return dict(
        name=dict(type="str", required=True),
        image_ids=dict(type="raw"),
        regions=dict(type="list", elements="str", default=[]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        data_type=dict(type="str", choices=["aws:ec2:image", "text"], default="aws:ec2:image"),
        description=dict(type="str"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=False),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=60),
        max_concurrency=dict(type="int"),
    )


def main():
    module = BakeryAwsModule(argument_spec(), supports_check_mode=True)

    def work():
        request = ImageParameterRequest.from_params(module.request_params)
        return publish_image_parameter(module.client_factory, request, module.check_mode)

    module.run(work)


if __name__ == "__main__":
    main()
