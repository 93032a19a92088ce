"""extensions/image_disabled_visibility.py: disabled images only with IncludeDisabled."""


def own_image(ec2):
    source = ec2.describe_images(Filters=[{"Name": "name", "Values": ["debian-12-amd64-*"]}])["Images"][0]
    return ec2.copy_image(SourceImageId=source["ImageId"], SourceRegion="us-east-1", Name="to-disable")["ImageId"]


def test_disabled_image_is_hidden_by_default(ec2):
    image_id = own_image(ec2)
    ec2.disable_image(ImageId=image_id)
    assert ec2.describe_images(Owners=["self"])["Images"] == []


def test_disabled_image_is_shown_with_include_disabled(ec2):
    image_id = own_image(ec2)
    ec2.disable_image(ImageId=image_id)
    images = ec2.describe_images(Owners=["self"], IncludeDisabled=True)["Images"]
    assert [(image["ImageId"], image["State"]) for image in images] == [(image_id, "disabled")]
