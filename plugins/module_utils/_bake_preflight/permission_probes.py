# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bake's permissions, asked of AWS with DryRun: "Checks whether you have the required permissions for the action,
without actually making the request, and provides an error response. If you have the required permissions, the error
response is DryRunOperation. Otherwise, it is UnauthorizedOperation." (API_RunInstances.html, API_CopyImage.html,
API_ModifyImageAttribute.html, API_ImportKeyPair.html, API_CreateSecurityGroup.html).

Each probe is the request the bake will make, in the region it will make it, with the same kind of tags (tag-on-create
is authorized with it): RunInstances, ImportKeyPair and CreateSecurityGroup for the builder, CopyImage in every copy
region, ModifyImageAttribute (launch permissions) in every region when the bake shares. Only UnauthorizedOperation is
a finding; any other answer (the probe's stand-in image is not the caller's, say) decides nothing and is reported as
undecided. Not probed: CreateImage (it needs the builder instance), the KMS grants EBS makes on the caller's behalf,
SSM PutParameter (no DryRun).
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import BUILD_ID_TAG, SOURCE_IMAGE_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError, BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import fan_out
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_specifications
from ansible_collections.bakery.ami.plugins.module_utils._bake_preflight.findings import Findings

ALLOWED = "DryRunOperation"
DENIED = "UnauthorizedOperation"
# A well-formed public key for the ImportKeyPair probe (the builder imports the public half of a key it makes).
STAND_IN_PUBLIC_KEY = b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJha2VyeS5hbWkgcHJlZmxpZ2h0IHN0YW5kLWluISEh bakery-preflight"
# What else a denied probe can stand for: actions AWS authorizes as part of the request.
IMPLIED = {
    "ec2:RunInstances": "ec2:CreateTags for its tags, iam:PassRole for an instance profile",
    "ec2:ImportKeyPair": "ec2:CreateTags for its tags",
    "ec2:CreateSecurityGroup": "ec2:CreateTags for its tags",
    "ec2:CopyImage": "ec2:CreateTags for its tags",
}


class Probe:
    def __init__(self, region, action, operation, params):
        self.region = region
        self.action = action
        self.operation = operation
        self.params = params

    @property
    def key(self):
        return "%s@%s" % (self.action, self.region)


def probes_for(request, regions, placement):
    """The DryRun requests of this bake, in the regions that can be called."""
    probes = []
    home = request.home_region
    source = placement.source_image["ImageId"] if placement.source_image else None
    name = request.image_name or "bakery-preflight"
    stand_in_tags = {BUILD_ID_TAG: "%s-preflight" % name[:100]}
    if request.builder is not None and home in regions:
        builder = request.builder
        if source:
            launch = {"ImageId": source, "InstanceType": builder.instance_type, "MinCount": 1, "MaxCount": 1,
                      "TagSpecifications": tag_specifications(["instance", "volume"], stand_in_tags)}
            if builder.subnet_id:
                launch["SubnetId"] = builder.subnet_id
            if builder.iam_instance_profile:
                key = "Arn" if builder.iam_instance_profile.startswith("arn:") else "Name"
                launch["IamInstanceProfile"] = {key: builder.iam_instance_profile}
            probes.append(Probe(home, "ec2:RunInstances", "run_instances", launch))
        if builder.makes_key_pair:
            probes.append(Probe(home, "ec2:ImportKeyPair", "import_key_pair", {
                "KeyName": stand_in_tags[BUILD_ID_TAG], "PublicKeyMaterial": STAND_IN_PUBLIC_KEY,
                "TagSpecifications": tag_specifications(["key-pair"], stand_in_tags)}))
        if builder.makes_security_group:
            group = {"GroupName": stand_in_tags[BUILD_ID_TAG], "Description": "bakery.ami preflight",
                     "TagSpecifications": tag_specifications(["security-group"], stand_in_tags)}
            if placement.vpc_id:
                group["VpcId"] = placement.vpc_id
            probes.append(Probe(home, "ec2:CreateSecurityGroup", "create_security_group", group))
    if source:
        for copy in request.copies:
            if copy.region in regions:
                probes.append(Probe(copy.region, "ec2:CopyImage", "copy_image", {
                    "SourceImageId": source, "SourceRegion": home, "Name": copy.name or name, "CopyImageTags": True,
                    "TagSpecifications": tag_specifications(["image"], {SOURCE_IMAGE_TAG: "%s/%s" % (home, source)})}))
        if request.is_shared:
            permission = _launch_permission(request)
            for region in request.regions:
                if region in regions:
                    probes.append(Probe(region, "ec2:ModifyImageAttribute", "modify_image_attribute", {
                        "ImageId": source, "LaunchPermission": {"Add": [permission]}}))
    return probes


def _launch_permission(request):
    if request.accounts:
        return {"UserId": request.accounts[0]}
    if request.organization_arns:
        return {"OrganizationArn": request.organization_arns[0]}
    return {"OrganizationalUnitArn": request.organizational_unit_arns[0]}


def probe_permissions(clients, request, regions, placement, findings):
    """{"<action>@<region>": "allowed" | "denied" | "undecided: <answer>"} for every probe made. The probes run at
    once, each into its own Findings, merged in probe order."""
    probes = dict((probe.key, probe) for probe in probes_for(request, regions, placement))
    found_by = dict((key, Findings()) for key in probes)
    outcome = fan_out(list(probes), lambda key: _ask(clients, probes[key], found_by[key]))
    for key in probes:
        findings.extend(found_by[key])
    answers = dict(outcome.results)
    answers.update((key, "undecided: %s" % message) for key, message in outcome.error_messages().items())
    return dict((key, answers[key]) for key in probes if key in answers)


def _ask(clients, probe, findings):
    try:
        clients.api("ec2", probe.region).call(probe.operation, DryRun=True, **probe.params)
    except AwsCallError as answer:
        if answer.code == ALLOWED:
            return "allowed"
        if answer.code == DENIED:
            implied = IMPLIED.get(probe.action)
            findings.missing_action(probe.action, probe.region, "DryRun %s answered %s%s" % (
                answer.operation, DENIED, "; or an action it implies: %s" % implied if implied else ""))
            return "denied"
        return "undecided: %s" % answer.code
    except BakeryError as error:
        return "undecided: %s" % error
    return "undecided: the DryRun request was not refused"
