"""DescribeImages shows only the images the caller may see, and honours `ExecutableBy`.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImages.html): "The images
available to you include public images, private images that you own, and private images owned by
other Amazon Web Services accounts for which you have explicit launch permissions."
`ExecutableBy`: "Scopes the images by users with explicit launch permissions. Specify an Amazon Web
Services account ID, `self` (the sender of the request), or `all` (public AMIs)."
moto lists every image of its backend and reads `ExecutableUsers`, a parameter name the API does
not have (boto3 sends `ExecutableBy.N`), so it never scopes by launch permission.
"""

from __future__ import annotations

import functools

from moto.core.responses import ActionResult
from moto.ec2.responses.amis import AmisResponse

PUBLIC = {"Group": "all"}


def is_visible_to(image, account_id: str) -> bool:
    return image.owner_id == account_id or image.is_public or {"UserId": account_id} in image.launch_permissions


def is_executable_by(image, principal: str, account_id: str) -> bool:
    if principal == "all":
        return image.is_public
    user_id = account_id if principal == "self" else principal
    return {"UserId": user_id} in image.launch_permissions


def install() -> None:
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
