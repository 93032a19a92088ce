"""Only an AMI's owner may modify, share, deprecate, protect, disable, enable or deregister it; copying
another account's AMI needs access to its snapshots.

AWS: "Ownership - To share an AMI, your AWS account must own the AMI."
(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html); "When you share an
AMI, users can only launch instances from the AMI. They can't delete, share, or modify it."
(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-intro.html); "Only the AMI owner can
disable an AMI." / "Only the AMI owner can re-enable a disabled AMI." (API_DisableImage.html,
API_EnableImage.html). On an AMI the caller can see (public, or shared with it) but does not own, AWS
answers HTTP 400 `AuthFailure` "Not authorized for image:ami-..." (as reported for DeregisterImage,
github.com/cloudcaptainsh/cloudcaptain/issues/66, and DescribeImageAttribute launchPermission,
github.com/cloudquery/cloudquery/pull/9406). An AMI the caller cannot see at all is, to it, an AMI
that does not exist: `InvalidAMIID.NotFound`, as DescribeImages answers (our inference; not documented).

Guarded: ModifyImageAttribute, DeregisterImage, Enable/DisableImageDeprecation,
Enable/DisableImageDeregistrationProtection, DisableImage, EnableImage, and DescribeImageAttribute of
`launchPermission`. CreateTags is not guarded: tagging a shared AMI tags it for the caller only (see
image_visibility.py). moto has one backend per account, so other accounts' AMIs are out of reach
anyway, but every backend holds the fixture AMIs of Debian, Amazon, Canonical... and moto lets any
account modify or deregister them. This wrapper must be installed after (outside) every other
extension that wraps these actions, so the ownership check comes first.

CopyImage of an AMI another account created (and shared with the caller, or made public) also needs
access to its storage: "To copy an AMI that was shared with you from another account, the owner of the
source AMI must grant you read permissions for the storage that backs the AMI, either the associated
EBS snapshot (for an Amazon EBS-backed AMI) or an associated S3 bucket" (Copy an AMI,
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/CopyingAMIs.html, in the wording quoted by
niuniuanran.github.io/2020/09/03/AWS-Share-and-Copy-AMI; the current page was not at hand). Without create-volume
permission on every snapshot of the source, AWS refuses with "You do not have permission to access
the storage of this ami" (as reported, e.g. github.com/clong/DetectionLab/issues/422; the code is not
reported: `AuthFailure` is chosen by us). Fixture AMIs (in every account's backend, their snapshots
owned by their publishers) stay copyable, as the public Debian, Amazon and Canonical AMIs are; KMS key
policies of another account's key are not modelled (a copy of a shared AMI under a customer key is
not refused).
"""

from __future__ import annotations

import functools

from moto.ec2.exceptions import EC2ClientError, InvalidAMIIdError
from moto.ec2.responses.amis import AmisResponse

from ._accounts import can_create_volume_from, find_image, find_snapshot, is_visible_to, others_images

OWNER_ONLY_ACTIONS = (
    "modify_image_attribute",
    "deregister_image",
    "enable_image_deprecation",
    "disable_image_deprecation",
    "enable_image_deregistration_protection",
    "disable_image_deregistration_protection",
    "disable_image",
    "enable_image",
)
OWNER_ONLY_ATTRIBUTES = ("launchPermission",)


def check_owner(response) -> None:
    image_id = response._get_param("ImageId")
    account_id = response.ec2_backend.account_id
    image = find_image(account_id, response.ec2_backend.region_name, image_id) if image_id else None
    if image is None or image.owner_id == account_id:
        return  # not found: the action's own answer (InvalidAMIID.NotFound / .Unavailable)
    if is_visible_to(image, account_id):
        raise EC2ClientError("AuthFailure", f"Not authorized for image:{image_id}")
    raise InvalidAMIIdError(image_id)


def check_copy_source_access(response) -> None:
    """CopyImage of another account's AMI: the caller must be able to create volumes from its snapshots."""
    account_id = response.ec2_backend.account_id
    source_region = response._get_param("SourceRegion")
    source_id = response._get_param("SourceImageId")
    source = next((image for image in others_images(account_id, source_region) if image.id == source_id), None) if source_region else None
    if source is None or not is_visible_to(source, account_id):
        return  # the caller's own or a fixture AMI, or one it cannot see (CopyImage answers InvalidAMIID.NotFound)
    for mapping in source.block_device_mappings:
        snapshot_id = (mapping.get("Ebs") or {}).get("SnapshotId")
        snapshot = find_snapshot(account_id, source_region, snapshot_id) if snapshot_id else None
        if snapshot is not None and not can_create_volume_from(snapshot, account_id):
            raise EC2ClientError("AuthFailure", "You do not have permission to access the storage of this ami")


def _copy_needing_storage_access(original):
    @functools.wraps(original)
    def copy_image(self):
        check_copy_source_access(self)
        return original(self)

    return copy_image


def _owner_only(original, attributes=None):
    @functools.wraps(original)
    def action(self):
        if attributes is None or self._get_param("Attribute") in attributes:
            check_owner(self)
        return original(self)

    return action


def install() -> None:
    for name in OWNER_ONLY_ACTIONS:
        setattr(AmisResponse, name, _owner_only(getattr(AmisResponse, name)))
    AmisResponse.describe_image_attribute = _owner_only(AmisResponse.describe_image_attribute, OWNER_ONLY_ATTRIBUTES)
    AmisResponse.copy_image = _copy_needing_storage_access(AmisResponse.copy_image)
