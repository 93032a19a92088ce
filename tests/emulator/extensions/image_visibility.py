"""DescribeImages shows exactly the images the caller may see, other accounts' included, and honours `ExecutableBy`.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html): "The images
available to you include public images, private images that you own, and private images owned by
other Amazon Web Services accounts for which you have explicit launch permissions."
`ExecutableBy`: "Scopes the images by users with explicit launch permissions. Specify an Amazon Web
Services account ID, `self` (the sender of the request), or `all` (public AMIs)."
moto lists every image of its backend and reads `ExecutableUsers`, a parameter name the API does
not have (boto3 sends `ExecutableBy.N`), so it never scopes by launch permission.

moto keeps one backend per account (see _accounts.py), so an image another account created and
shared with the caller (or made public) is in no backend the caller's request reaches: moto neither
lists it nor finds it by id. Here the backend's describe_images also returns the images other accounts
created in that region that the caller may see (with moto's own ImageIds / ExecutableBy / Owners /
Filters semantics), each seen with the caller's tags, not the owner's ("When you share an AMI, your
user-defined tags are not available to any AWS account that the AMI is shared with",
https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/sharingamis-explicit.html). Everything built on
`describe_images` (CopyImage's source, RunInstances' image attributes) then sees shared images too;
what only the owner may do is refused by image_owner_only_actions.py.
"""

from __future__ import annotations

import functools

from moto.core.responses import ActionResult
from moto.ec2.exceptions import InvalidAMIIdError
from moto.ec2.models.amis import AmiBackend
from moto.ec2.responses.amis import AmisResponse
from moto.ec2.utils import generic_filter

from ._accounts import PUBLIC, is_visible_to, others_images, viewed_by  # noqa: F401  (PUBLIC, is_visible_to: re-exported)


def is_executable_by(image, principal: str, account_id: str) -> bool:
    if principal == "all":
        return image.is_public
    user_id = account_id if principal == "self" else principal
    return {"UserId": user_id} in image.launch_permissions


def _shared_with(backend, ami_ids=None, filters=None, exec_users=None, owners=None) -> list:
    """Other accounts' images the backend's account may see, selected as moto selects its own."""
    account_id = backend.account_id
    images = [viewed_by(image, backend) for image in others_images(account_id, backend.region_name) if is_visible_to(image, account_id)]
    if ami_ids:
        return [image for image in images if image.id in ami_ids]
    if exec_users:
        users = [account_id if user == "self" else user for user in exec_users]
        images = [image for image in images if image.is_public or any({"UserId": user} in image.launch_permissions for user in users)]
    if owners:
        owners = [account_id if owner == "self" else owner for owner in owners]
        images = [image for image in images if image.owner_id in owners or image.owner_alias in owners]
    if filters:
        images = generic_filter(filters, images)
    return images


def install() -> None:
    original_backend = AmiBackend.describe_images

    @functools.wraps(original_backend)
    def describe_images_with_shared(self, ami_ids=None, filters=None, exec_users=None, owners=None):
        shared = _shared_with(self, ami_ids=ami_ids, filters=filters, exec_users=exec_users, owners=owners)
        if ami_ids and shared:
            try:
                own = original_backend(self, ami_ids=ami_ids, filters=filters, exec_users=exec_users, owners=owners)
            except InvalidAMIIdError:
                own = []
            return own + shared
        return original_backend(self, ami_ids=ami_ids, filters=filters, exec_users=exec_users, owners=owners) + shared

    AmiBackend.describe_images = describe_images_with_shared

    original = AmisResponse.describe_images

    @functools.wraps(original)
    def describe_images(self):
        result = original(self)
        account_id = self.ec2_backend.account_id
        executable_by = self._get_param("ExecutableUsers", [])
        images = [image for image in result.result["Images"] if is_visible_to(image, account_id)]
        if executable_by:
            images = [
                image for image in images if any(is_executable_by(image, principal, account_id) for principal in executable_by)
            ]
        return ActionResult({**result.result, "Images": images})

    AmisResponse.describe_images = describe_images
