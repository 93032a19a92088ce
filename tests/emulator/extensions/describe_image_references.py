"""DescribeImageReferences: the caller's resources that reference given images (moto 5.2.5 does not implement it).

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageReferences.html): "Describes your Amazon
Web Services resources that are referencing the specified images." `ImageId.N`: "Minimum number of 1 item. Maximum
number of 10 items." "Either IncludeAllResourceTypes or ResourceTypes must be specified." "Supported resource types:
ec2:Instance | ec2:LaunchTemplate | ssm:Parameter | imagebuilder:ImageRecipe | imagebuilder:ContainerRecipe".
`ResourceTypeOptions` (ResourceTypeOption): "For ec2:Instance: Specify state-name - The current state of the EC2
instance." (default all states) and "For ec2:LaunchTemplate: Specify version-depth - The number of launch template
versions to check, starting from the most recent version." (1 to 10000, default 10). Each reference is
`{ImageId, ResourceType, Arn}`; `MaxResults`/`NextToken` page them.

Modelled: instances (by state), launch template versions (the most recent `version-depth` of each template; an
`ImageId` of `resolve:ssm:` is not read through), and String parameters whose value is the image id. Which parameters
AWS counts (every data type, or `aws:ec2:image` only) is not stated in the API reference: counting every String
parameter is chosen by us, the reading that reports more. The emulator has no EC2 Image Builder, so it holds no
recipes to report. Refused with `InvalidParameterValue` (chosen by us; the API reference lists no error codes):
no or more than 10 image ids, neither resource types nor IncludeAllResourceTypes, an option given for another type, a
version-depth outside 1..10000, an unknown state name. `InvalidAMIID.Malformed` for an id that is not `ami-` + hex, as
DescribeImages answers.
"""

from __future__ import annotations

import re

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.responses.amis import AmisResponse

RESOURCE_TYPES = ("ec2:Instance", "ec2:LaunchTemplate", "ssm:Parameter", "imagebuilder:ImageRecipe", "imagebuilder:ContainerRecipe")
OPTION_OF_TYPE = {"ec2:Instance": "state-name", "ec2:LaunchTemplate": "version-depth"}
INSTANCE_STATES = ("pending", "running", "shutting-down", "terminated", "stopping", "stopped")
DEFAULT_VERSION_DEPTH = 10
MAX_IMAGE_IDS = 10
IMAGE_ID = re.compile(r"ami-[0-9a-f]{8,17}")
DEFAULT_MAX_RESULTS = 1000


def _invalid(message):
    return EC2ClientError("InvalidParameterValue", message)


def _requested_types(response):
    requested = {}
    if response._get_param("IncludeAllResourceTypes"):
        requested = dict((resource_type, []) for resource_type in RESOURCE_TYPES)
    for item in response._get_param("ResourceTypes") or []:
        resource_type = item.get("ResourceType")
        if resource_type not in RESOURCE_TYPES:
            raise _invalid(f"ResourceType {resource_type!r} is not one of {', '.join(RESOURCE_TYPES)}.")
        options = item.get("ResourceTypeOptions") or []
        for option in options:
            if option.get("OptionName") != OPTION_OF_TYPE.get(resource_type):
                raise _invalid(f"Option {option.get('OptionName')!r} does not apply to {resource_type}.")
        requested[resource_type] = options
    if not requested:
        raise _invalid("Either IncludeAllResourceTypes or ResourceTypes must be specified.")
    return requested


def _option_values(options):
    return [value for option in options for value in option.get("OptionValues") or []]


def _instance_references(backend, image_ids, options):
    states = _option_values(options) or list(INSTANCE_STATES)
    unknown = sorted(set(states) - set(INSTANCE_STATES))
    if unknown:
        raise _invalid(f"state-name {unknown} is not one of {', '.join(INSTANCE_STATES)}.")
    for reservation in backend.reservations.values():
        for instance in reservation.instances:
            if instance.image_id in image_ids and instance.state in states:
                arn = f"arn:aws:ec2:{backend.region_name}:{backend.account_id}:instance/{instance.id}"
                yield {"ImageId": instance.image_id, "ResourceType": "ec2:Instance", "Arn": arn}


def _launch_template_references(backend, image_ids, options):
    values = _option_values(options)
    depth = int(values[0]) if values else DEFAULT_VERSION_DEPTH
    if not 1 <= depth <= 10000:
        raise _invalid(f"version-depth {depth} must be 1 to 10000.")
    for template in backend.launch_templates.values():
        recent = sorted(template.versions, key=lambda version: version.number, reverse=True)[:depth]
        referenced = sorted(set(version.image_id for version in recent if version.image_id in image_ids))
        for image_id in referenced:
            arn = f"arn:aws:ec2:{backend.region_name}:{backend.account_id}:launch-template/{template.id}"
            yield {"ImageId": image_id, "ResourceType": "ec2:LaunchTemplate", "Arn": arn}


def _parameter_references(backend, image_ids):
    from moto.ssm.models import ssm_backends

    ssm = ssm_backends[backend.account_id][backend.region_name]
    for name, versions in list(ssm._parameters.items()):
        current = versions[-1] if versions else None
        if current is not None and current.parameter_type == "String" and current.value in image_ids:
            arn = f"arn:aws:ssm:{backend.region_name}:{backend.account_id}:parameter/{name.lstrip('/')}"
            yield {"ImageId": current.value, "ResourceType": "ssm:Parameter", "Arn": arn}


def describe_image_references(self) -> ActionResult:
    image_ids = list(self._get_param("ImageIds") or [])
    if not 1 <= len(image_ids) <= MAX_IMAGE_IDS:
        raise _invalid(f"ImageIds takes 1 to {MAX_IMAGE_IDS} image ids, got {len(image_ids)}.")
    malformed = [image_id for image_id in image_ids if not IMAGE_ID.fullmatch(str(image_id))]
    if malformed:
        raise EC2ClientError("InvalidAMIID.Malformed", f'Invalid id: "{malformed[0]}"')
    requested = _requested_types(self)
    self.error_on_dryrun()
    wanted = set(image_ids)
    references = []
    if "ec2:Instance" in requested:
        references.extend(_instance_references(self.ec2_backend, wanted, requested["ec2:Instance"]))
    if "ec2:LaunchTemplate" in requested:
        references.extend(_launch_template_references(self.ec2_backend, wanted, requested["ec2:LaunchTemplate"]))
    if "ssm:Parameter" in requested:
        references.extend(_parameter_references(self.ec2_backend, wanted))
    start = int(self._get_param("NextToken") or 0)
    size = int(self._get_param("MaxResults") or DEFAULT_MAX_RESULTS)
    page = {"ImageReferences": references[start:start + size]}
    if start + size < len(references):
        page["NextToken"] = str(start + size)
    return ActionResult(page)


def install() -> None:
    AmisResponse.describe_image_references = describe_image_references
