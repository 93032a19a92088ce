"""Instances launched with NetworkInterfaces report their primary interface's groups (extensions/instance_interface_security_groups.py)."""

from tests.emulator.tests.conftest import DEBIAN_12_AMD64


def default_subnet(ec2):
    return ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"][0]


def test_an_instance_reports_the_groups_of_its_primary_interface(ec2):
    subnet = default_subnet(ec2)
    group_id = ec2.create_security_group(GroupName="builders", Description="builders", VpcId=subnet["VpcId"])["GroupId"]

    instance = ec2.run_instances(ImageId=DEBIAN_12_AMD64, MinCount=1, MaxCount=1, NetworkInterfaces=[
        {"DeviceIndex": 0, "SubnetId": subnet["SubnetId"], "Groups": [group_id], "AssociatePublicIpAddress": False}])["Instances"][0]

    described = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"][0]["Instances"][0]
    assert [group["GroupId"] for group in described["SecurityGroups"]] == [group_id]
