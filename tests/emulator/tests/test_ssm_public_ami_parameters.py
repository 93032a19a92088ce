"""extensions/ssm_public_ami_parameters.py: AL2023 public parameters point at the newest fixture images."""

PREFIX = "/aws/service/ami-amazon-linux-latest/"


def newest_al2023(ec2, architecture):
    images = ec2.describe_images(
        Owners=["amazon"],
        Filters=[{"Name": "name", "Values": ["al2023-ami-2023.*"]}, {"Name": "architecture", "Values": [architecture]}],
    )["Images"]
    return max(images, key=lambda image: image["CreationDate"])["ImageId"]


def test_kernel_default_x86_64_is_the_newest_al2023_x86_64_image(aws):
    for region in ("us-east-1", "ap-southeast-2"):
        parameter = aws.client("ssm", region).get_parameter(Name=PREFIX + "al2023-ami-kernel-default-x86_64")["Parameter"]
        assert parameter["Value"] == newest_al2023(aws.client("ec2", region), "x86_64")
        assert parameter["DataType"] == "aws:ec2:image"


def test_kernel_default_arm64_is_the_newest_al2023_arm64_image(aws):
    parameter = aws.client("ssm").get_parameter(Name=PREFIX + "al2023-ami-kernel-default-arm64")["Parameter"]
    assert parameter["Value"] == newest_al2023(aws.client("ec2"), "arm64")


def test_parameters_by_path_list_only_fixture_images(aws):
    ssm = aws.client("ssm")
    values = [p["Value"] for p in ssm.get_parameters_by_path(Path=PREFIX.rstrip("/"))["Parameters"]]
    described = {image["ImageId"] for image in aws.client("ec2").describe_images(Owners=["amazon"])["Images"]}
    assert values and set(values) <= described
