"""DescribeImageReferences (extensions/describe_image_references.py)."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.autoscaling_arrangements import own_image

ALL_TYPES = [{"ResourceType": t} for t in ("ec2:Instance", "ec2:LaunchTemplate", "ssm:Parameter", "imagebuilder:ImageRecipe", "imagebuilder:ContainerRecipe")]


@pytest.fixture
def image_id(ec2):
    return own_image(ec2, "web-server-003")


def references(ec2, image_ids, **request):
    request.setdefault("IncludeAllResourceTypes", True)
    return sorted((r["ResourceType"], r["Arn"].split(":", 5)[-1]) for r in ec2.describe_image_references(ImageIds=image_ids, **request)["ImageReferences"])


def test_an_unreferenced_image_has_no_references(ec2, image_id):
    assert references(ec2, [image_id]) == []


def test_an_instance_a_template_and_a_parameter_referencing_the_image_are_listed(aws, ec2, image_id):
    instance_id = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    template_id = ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": image_id})["LaunchTemplate"]["LaunchTemplateId"]
    aws.client("ssm").put_parameter(Name="/bakery/web/stable", Value=image_id, Type="String", DataType="aws:ec2:image")

    assert references(ec2, [image_id]) == [
        ("ec2:Instance", "instance/%s" % instance_id),
        ("ec2:LaunchTemplate", "launch-template/%s" % template_id),
        ("ssm:Parameter", "parameter/bakery/web/stable"),
    ]


def test_only_the_requested_types_are_checked(aws, ec2, image_id):
    ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)
    aws.client("ssm").put_parameter(Name="/bakery/web/stable", Value=image_id, Type="String", DataType="aws:ec2:image")
    assert references(ec2, [image_id], IncludeAllResourceTypes=False, ResourceTypes=[{"ResourceType": "ssm:Parameter"}]) == [
        ("ssm:Parameter", "parameter/bakery/web/stable")
    ]


def test_a_parameter_that_moved_on_no_longer_references_the_image(aws, ec2, image_id):
    ssm = aws.client("ssm")
    ssm.put_parameter(Name="/bakery/web/stable", Value=image_id, Type="String", DataType="aws:ec2:image")
    ssm.put_parameter(Name="/bakery/web/stable", Value="ami-0de12a0d640000002", Type="String", DataType="aws:ec2:image", Overwrite=True)
    assert references(ec2, [image_id]) == []


def test_launch_template_versions_beyond_the_version_depth_are_not_checked(ec2, image_id):
    template_id = ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={"ImageId": image_id})["LaunchTemplate"]["LaunchTemplateId"]
    ec2.create_launch_template_version(LaunchTemplateId=template_id, LaunchTemplateData={"ImageId": "ami-0de12a0d640000002"})
    depth_one = [{"ResourceType": "ec2:LaunchTemplate", "ResourceTypeOptions": [{"OptionName": "version-depth", "OptionValues": ["1"]}]}]
    assert references(ec2, [image_id], IncludeAllResourceTypes=False, ResourceTypes=depth_one) == []
    assert references(ec2, [image_id]) == [("ec2:LaunchTemplate", "launch-template/%s" % template_id)]


def test_terminated_instances_count_unless_the_states_are_narrowed(ec2, image_id):
    instance_id = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2.terminate_instances(InstanceIds=[instance_id])
    running_only = [{"ResourceType": "ec2:Instance", "ResourceTypeOptions": [{"OptionName": "state-name", "OptionValues": ["running"]}]}]
    assert references(ec2, [image_id], IncludeAllResourceTypes=False, ResourceTypes=running_only) == []


@pytest.mark.parametrize(
    "request_, code",
    [
        ({"ImageIds": ["ami-0de12a0d640000002"] * 11, "IncludeAllResourceTypes": True}, "InvalidParameterValue"),
        ({"ImageIds": ["ami-0de12a0d640000002"]}, "InvalidParameterValue"),
        ({"ImageIds": ["ami-xyz"], "IncludeAllResourceTypes": True}, "InvalidAMIID.Malformed"),
        ({"ImageIds": ["ami-0de12a0d640000002"], "ResourceTypes": [{"ResourceType": "ssm:Parameter", "ResourceTypeOptions": [{"OptionName": "state-name", "OptionValues": ["running"]}]}]}, "InvalidParameterValue"),
    ],
    ids=["eleven-images", "no-resource-types", "malformed-id", "option-of-another-type"],
)
def test_a_bad_request_is_refused(ec2, request_, code):
    with pytest.raises(ClientError) as raised:
        ec2.describe_image_references(**request_)
    assert raised.value.response["Error"]["Code"] == code


def test_references_are_paged(aws, ec2, image_id):
    for number in range(6):
        aws.client("ssm").put_parameter(Name="/bakery/web/%d" % number, Value=image_id, Type="String")
    first = ec2.describe_image_references(ImageIds=[image_id], IncludeAllResourceTypes=True, MaxResults=5)
    second = ec2.describe_image_references(ImageIds=[image_id], IncludeAllResourceTypes=True, MaxResults=5, NextToken=first["NextToken"])
    assert len(first["ImageReferences"]) == 5 and len(second["ImageReferences"]) == 1 and "NextToken" not in second
