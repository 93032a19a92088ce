"""Arrange Auto Scaling groups on the emulator: one backed by a launch configuration, one by a launch template."""

from __future__ import annotations

import base64

IMAGE_A = "ami-0de12a0d640000002"


def security_group(ec2, name="web"):
    return ec2.create_security_group(GroupName=name, Description=name)["GroupId"]


def own_image(ec2, name):
    """An image of our own (so fixture AMI renames do not matter)."""
    instance_id = ec2.run_instances(ImageId=IMAGE_A, MinCount=1, MaxCount=1, InstanceType="t3.micro")["Instances"][0]["InstanceId"]
    return ec2.create_image(InstanceId=instance_id, Name=name)["ImageId"]


def launch_configuration_group(autoscaling, ec2, name, image_id, capacity=2, **attributes):
    launch_configuration = dict(
        LaunchConfigurationName="%s-lc" % name,
        ImageId=image_id,
        InstanceType="t3.micro",
        SecurityGroups=[security_group(ec2, "%s-sg" % name)],
    )
    launch_configuration.update(attributes)
    autoscaling.create_launch_configuration(**launch_configuration)
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchConfigurationName=launch_configuration["LaunchConfigurationName"],
        MinSize=0,
        MaxSize=capacity * 2,
        DesiredCapacity=capacity,
        AvailabilityZones=["%sa" % autoscaling.meta.region_name],
    )
    return launch_configuration["LaunchConfigurationName"]


def launch_template_group(autoscaling, ec2, name, image_id, capacity=2, version="1", **data):
    template_data = dict(
        ImageId=image_id,
        InstanceType="t3.micro",
        UserData=base64.b64encode(b"#!/bin/sh\necho hello\n").decode(),
        SecurityGroupIds=[security_group(ec2, "%s-sg" % name)],
        MetadataOptions={"HttpTokens": "required", "HttpPutResponseHopLimit": 2},
    )
    template_data.update(data)
    template = ec2.create_launch_template(LaunchTemplateName="%s-lt" % name, LaunchTemplateData=template_data)["LaunchTemplate"]
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        LaunchTemplate={"LaunchTemplateId": template["LaunchTemplateId"], "Version": version},
        MinSize=0,
        MaxSize=capacity * 2,
        DesiredCapacity=capacity,
        AvailabilityZones=["%sa" % autoscaling.meta.region_name],
    )
    return template["LaunchTemplateId"]


def mixed_instances_group(autoscaling, ec2, name, image_id, capacity=2, version="1"):
    """A group whose launch template comes through a mixed instances policy (two instance types, spot above one)."""
    template_id = launch_template_group(autoscaling, ec2, name + "-seed", image_id, capacity=0)
    autoscaling.delete_auto_scaling_group(AutoScalingGroupName=name + "-seed", ForceDelete=True)
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=name,
        MixedInstancesPolicy={
            "LaunchTemplate": {
                "LaunchTemplateSpecification": {"LaunchTemplateId": template_id, "Version": version},
                "Overrides": [{"InstanceType": "t3.micro", "WeightedCapacity": "1"}, {"InstanceType": "t3a.micro", "WeightedCapacity": "1"}],
            },
            "InstancesDistribution": {"OnDemandBaseCapacity": 1, "OnDemandPercentageAboveBaseCapacity": 0, "SpotAllocationStrategy": "price-capacity-optimized"},
        },
        MinSize=0,
        MaxSize=capacity * 2,
        DesiredCapacity=capacity,
        AvailabilityZones=["%sa" % autoscaling.meta.region_name],
    )
    return template_id


def describe_group(autoscaling, name):
    return autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]


def instance_images(autoscaling, ec2, name):
    """Image id of each in-service instance of the group, sorted."""
    instance_ids = [instance["InstanceId"] for instance in describe_group(autoscaling, name)["Instances"]]
    if not instance_ids:
        return []
    reservations = ec2.describe_instances(InstanceIds=instance_ids)["Reservations"]
    return sorted(instance["ImageId"] for reservation in reservations for instance in reservation["Instances"])
