# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which of some images something in a region still launches from, with batched calls only.

Users of an image: a pending/running/stopping/stopped instance, a launch configuration, the
default or latest version of a launch template, the launch template version or launch
configuration an Auto Scaling group names, a Systems Manager parameter holding its id and an
EC2 Image Builder recipe built on it. The calls barely grow with the number of images: one
filtered DescribeInstances per 200 image ids, one DescribeImageReferences per 10, one DescribeLaunchConfigurations
(paginated), one account-wide DescribeLaunchTemplateVersions for ``$Default``/``$Latest``
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeLaunchTemplateVersions.html:
"To describe all the $Latest, $Default, or $Default and $Latest versions of all launch templates
in your account, specify the version alias without a launch template ID or name"), one
DescribeAutoScalingGroups (paginated), and one DescribeLaunchTemplateVersions per launch template
that a group pins to a numbered version.

A launch template may name its image through Systems Manager (``resolve:ssm:/bakery/web/latest``,
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-launch-template.html#use-an-ssm-parameter-instead-of-an-ami-id):
each such parameter is read once (GetParameter), and the image it holds counts as in use.

What else in the account names an image - a Systems Manager parameter holding its id (CloudFormation, scripts and
``resolve:ssm:`` anywhere read it), an EC2 Image Builder recipe built on it - comes from DescribeImageReferences
("Describes your Amazon Web Services resources that are referencing the specified images",
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageReferences.html), one call per 10 images.
Its instance and launch template checks are not used: the calls above say which template versions launch anything
(a template's default and latest, a group's version), where DescribeImageReferences counts any recent version.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.filters import filter_list
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code

# EC2 accepts up to 200 values per filter.
MAX_FILTER_VALUES = 200
# A terminated (or terminating) instance no longer needs its image.
INSTANCE_STATES_USING_IMAGE = ("pending", "running", "stopping", "stopped")
LAUNCH_TEMPLATE_ALIASES = ("$Default", "$Latest")
SSM_IMAGE_REFERENCE = "resolve:ssm:"
# Referencing resources only DescribeImageReferences sees (API_DescribeImageReferences.html: "Maximum number of 10 items").
REFERENCING_RESOURCE_TYPES = ("ssm:Parameter", "imagebuilder:ImageRecipe", "imagebuilder:ContainerRecipe")
MAX_IMAGES_PER_REFERENCE_CHECK = 10


class ImagesInUse:
    """Finds the users of images in one region through an EC2 and an Auto Scaling ``RegionalApi``."""

    def __init__(self, ec2_api, autoscaling_api, ssm_api=None):
        self.ec2 = ec2_api
        self.autoscaling = autoscaling_api
        self.ssm = ssm_api
        self._parameters = {}

    def users_of(self, image_ids):
        """``{image_id: ["instance i-…", "launch template web (lt-…) version 3 ($Default)", …]}`` for the images in use."""
        wanted = set(image_ids)
        users = {}
        if not wanted:
            return users

        def note(image_id, user):
            if isinstance(image_id, str) and image_id.startswith(SSM_IMAGE_REFERENCE):
                user = "%s (%s)" % (user, image_id)
                image_id = self._parameter_image(image_id[len(SSM_IMAGE_REFERENCE):])
            if image_id in wanted and user not in users.setdefault(image_id, []):
                users[image_id].append(user)

        for instance in self._instances_of(sorted(wanted)):
            note(instance["ImageId"], "instance %s (%s)" % (instance["InstanceId"], instance["State"]["Name"]))
        launch_configurations = dict(
            (configuration["LaunchConfigurationName"], configuration.get("ImageId"))
            for configuration in self.autoscaling.paginate("describe_launch_configurations", "LaunchConfigurations")
        )
        for name, image_id in launch_configurations.items():
            note(image_id, "launch configuration %s" % name)
        template_versions = self._default_and_latest_versions()
        for (template_id, template_name, number, alias), image_id in template_versions.items():
            note(image_id, "launch template %s (%s) version %s (%s)" % (template_name, template_id, number, alias))
        for group in self.autoscaling.paginate("describe_auto_scaling_groups", "AutoScalingGroups"):
            for image_id, source in self._group_images(group, launch_configurations, template_versions):
                note(image_id, "auto scaling group %s (%s)" % (group["AutoScalingGroupName"], source))
        for reference in self._references_to(sorted(wanted)):
            note(reference["ImageId"], "%s %s" % (reference["ResourceType"], reference["Arn"]))
        return users

    def _references_to(self, image_ids):
        references = []
        resource_types = [{"ResourceType": resource_type} for resource_type in REFERENCING_RESOURCE_TYPES]
        for start in range(0, len(image_ids), MAX_IMAGES_PER_REFERENCE_CHECK):
            references.extend(
                self.ec2.paginate(
                    "describe_image_references",
                    "ImageReferences",
                    ImageIds=image_ids[start:start + MAX_IMAGES_PER_REFERENCE_CHECK],
                    ResourceTypes=resource_types,
                )
            )
        return references

    def _parameter_image(self, name):
        """The image id a parameter (``name``, ``name:version`` or ``name:label``) holds; None when it does not exist.

        Any other failure propagates: better no prune than one that misses an image a template launches.
        """
        if self.ssm is None:
            return None
        if name not in self._parameters:
            try:
                self._parameters[name] = self.ssm.call("get_parameter", Name=name)["Parameter"].get("Value")
            except BakeryError as error:
                if error_code(error) not in ("ParameterNotFound", "ParameterVersionNotFound"):
                    raise
                self._parameters[name] = None
        return self._parameters[name]

    def _instances_of(self, image_ids):
        instances = []
        for start in range(0, len(image_ids), MAX_FILTER_VALUES):
            reservations = self.ec2.paginate(
                "describe_instances",
                "Reservations",
                Filters=filter_list({"image-id": image_ids[start:start + MAX_FILTER_VALUES], "instance-state-name": list(INSTANCE_STATES_USING_IMAGE)}),
            )
            for reservation in reservations:
                instances.extend(reservation.get("Instances", []))
        return instances

    def _default_and_latest_versions(self):
        """``{(template_id, name, number, alias): image_id}`` for every template's default and latest version."""
        versions = {}
        for version in self.ec2.paginate("describe_launch_template_versions", "LaunchTemplateVersions", Versions=list(LAUNCH_TEMPLATE_ALIASES)):
            image_id = (version.get("LaunchTemplateData") or {}).get("ImageId")
            alias = "$Default" if version.get("DefaultVersion") else "$Latest"
            versions[(version["LaunchTemplateId"], version.get("LaunchTemplateName"), version["VersionNumber"], alias)] = image_id
        return versions

    def _group_images(self, group, launch_configurations, template_versions):
        """``(image_id, "what the group names")`` for every launch source of an Auto Scaling group."""
        found = []
        if group.get("LaunchConfigurationName"):
            name = group["LaunchConfigurationName"]
            found.append((launch_configurations.get(name), "launch configuration %s" % name))
        for specification in _launch_template_specifications(group):
            for image_id, source in self._resolve_template(specification, template_versions):
                found.append((image_id, source))
        return found

    def _resolve_template(self, specification, template_versions):
        template_id = specification.get("LaunchTemplateId")
        template_name = specification.get("LaunchTemplateName")
        version = str(specification.get("Version") or "$Default")
        if version in LAUNCH_TEMPLATE_ALIASES:
            return [
                (image_id, "launch template %s version %s" % (key[1], version))
                for key, image_id in template_versions.items()
                if (key[0] == template_id or key[1] == template_name) and _is_alias_of(key, version, template_versions)
            ]
        lookup = {"LaunchTemplateId": template_id} if template_id else {"LaunchTemplateName": template_name}
        described = self.ec2.paginate("describe_launch_template_versions", "LaunchTemplateVersions", Versions=[version], **lookup)
        return [
            ((entry.get("LaunchTemplateData") or {}).get("ImageId"), "launch template %s version %s" % (entry.get("LaunchTemplateName"), version))
            for entry in described
        ]


def _is_alias_of(key, alias, template_versions):
    """Whether ``key`` (one template version) is that template's ``alias`` version."""
    template_id, _name, number, key_alias = key
    if alias == "$Default":
        return key_alias == "$Default"
    numbers = [other[2] for other in template_versions if other[0] == template_id]
    return number == max(numbers)


def _launch_template_specifications(group):
    specifications = []
    if group.get("LaunchTemplate"):
        specifications.append(group["LaunchTemplate"])
    mixed = (group.get("MixedInstancesPolicy") or {}).get("LaunchTemplate") or {}
    if mixed.get("LaunchTemplateSpecification"):
        specifications.append(mixed["LaunchTemplateSpecification"])
    for override in mixed.get("Overrides") or []:
        if override.get("LaunchTemplateSpecification"):
            specifications.append(override["LaunchTemplateSpecification"])
    return specifications
