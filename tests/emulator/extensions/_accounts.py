"""Several accounts in one region: finding another account's images and snapshots (a helper, not an extension).

moto 5.2.5 keeps EC2 state per account: `ec2_backends[account_id][region]`, the account being the one
of the request's credentials (moto/core/responses.py `get_current_account`: `MOTO_ACCOUNT_ID`, then an
`x-moto-account-id` header, then the account whose IAM backend holds the access key id - keys made by
IAM CreateAccessKey or by STS AssumeRole, which puts them in the role's account -, else 123456789012).
Every backend loads its own copy of the fixture images (same ids, owned by their publishers), so an
image or snapshot that another account *created* lives only in that account's backend.

AWS: "The images available to you include public images, private images that you own, and private
images owned by other Amazon Web Services accounts for which you have explicit launch permissions."
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html)
"""

from __future__ import annotations

from typing import Iterator

PUBLIC = {"Group": "all"}


def is_visible_to(image, account_id: str) -> bool:
    return image.owner_id == account_id or image.is_public or {"UserId": account_id} in image.launch_permissions


def other_backends(account_id: str, region: str) -> Iterator[tuple[str, object]]:
    """(account, ec2 backend) of every other account that already has a backend in ``region``."""
    from moto.ec2.models import ec2_backends

    for other_account, per_region in list(ec2_backends.items()):
        if other_account == account_id:
            continue
        backend = dict.get(per_region, region)  # dict.get: never creates a backend
        if backend is not None:
            yield other_account, backend


def others_images(account_id: str, region: str) -> Iterator:
    """Images other accounts created in ``region`` (their copies of the fixture images excluded)."""
    for other_account, backend in other_backends(account_id, region):
        for image in list(backend.amis.values()):
            if image.owner_id == other_account:
                yield image


def viewed_by(image, viewer_backend):
    """Another account's image as ``viewer_backend``'s account sees it: the same image, but tags are the
    viewer's own ("When you share an AMI, your user-defined tags are not available to any AWS account that
    the AMI is shared with", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html).
    A shallow copy made without moto's BaseModel.__new__ (which would track every copy)."""
    view = object.__new__(type(image))
    view.__dict__.update(image.__dict__)
    view.__dict__["ec2_backend"] = viewer_backend
    view.__dict__["_viewed_image"] = image
    return view


def find_image(account_id: str, region: str, image_id: str):
    """The image ``image_id`` in ``region`` from ``account_id``'s point of view (visible or not), or None."""
    from moto.ec2.models import ec2_backends

    image = ec2_backends[account_id][region].amis.get(image_id)
    if image is not None:
        return image
    return next((image for image in others_images(account_id, region) if image.id == image_id), None)


def can_create_volume_from(snapshot, account_id: str) -> bool:
    return (
        snapshot.owner_id == account_id
        or "all" in snapshot.create_volume_permission_groups
        or account_id in snapshot.create_volume_permission_userids
    )


def find_snapshot(account_id: str, region: str, snapshot_id: str):
    """The snapshot ``snapshot_id`` in ``region``: the caller's backend first, then the account that created it."""
    from moto.ec2.models import ec2_backends

    snapshot = ec2_backends[account_id][region].snapshots.get(snapshot_id)
    if snapshot is not None:
        return snapshot
    for other_account, backend in other_backends(account_id, region):
        snapshot = backend.snapshots.get(snapshot_id)
        if snapshot is not None and snapshot.owner_id == other_account:
            return snapshot
    return None
