# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Grant or revoke launch permissions (and the snapshots' create-volume permissions) of one image per region.

Every region is planned (read-only) before any change, and a refusal in one region (an image
encrypted with the AWS managed key, public sharing under block public access) stops them all.
Each image then gets its removals, then its additions, in separate ModifyImageAttribute requests,
and each of its snapshots likewise in ModifySnapshotAttribute requests, at most
``MAX_MODIFICATIONS_PER_REQUEST`` principals per request; regions run concurrently. Adding a
principal the image already has and removing one it lacks change nothing, so a request botocore
retries after a lost answer is harmless.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.image_lookup import ImageLookup
from ansible_collections.bakery.ami.plugins.module_utils._ami.image_record import snapshot_ids_of
from ansible_collections.bakery.ami.plugins.module_utils._ami.launch_permissions import PermissionSet, compute_permission_changes
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError, InvalidInputError, RegionsPartlyFailedError
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import fan_out

BLOCK_NEW_SHARING = "block-new-sharing"
# ModifySnapshotAttribute: "You may add or remove specified Amazon Web Services account IDs from a snapshot's list
# of create volume permissions, but you cannot do both in a single operation. [...] You can make up to 500
# modifications to a snapshot in a single operation."
# (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifySnapshotAttribute.html). ModifyImageAttribute
# documents no such limits; its requests are cut the same way. Removals go first: the quota of 1,000 sharing
# entities per AMI (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-quotas.html) counts what the image
# holds after each request.
MAX_MODIFICATIONS_PER_REQUEST = 500
# https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html:
# create-volume permission takes account ids (or "all"); organizations and OUs are not principals there.
SNAPSHOT_ORGANIZATIONS_NOTE = (
    "organizations and organizational units cannot be granted create-volume permission on snapshots; "
    "only accounts were applied to the snapshots (launching from the AMI does not need it)"
)


class ShareRefusedError(BakeryError):
    """Sharing was refused before any change (in every region)."""


class RegionSharePlan:
    def __init__(self, region, image, current, changes):
        self.region = region
        self.image = image
        self.current = current
        self.changes = changes
        self.after = changes.applied_to(current)
        self.kms_key_ids = []
        # {snapshot_id: (current accounts, accounts to add, accounts to remove)}
        self.snapshot_changes = {}

    @property
    def image_id(self):
        return self.image["ImageId"]

    @property
    def changed(self):
        return not self.changes.is_empty or any(add or remove for _current, add, remove in self.snapshot_changes.values())

    def snapshot_permissions_after(self):
        return dict((snapshot_id, sorted((current | add) - remove)) for snapshot_id, (current, add, remove) in self.snapshot_changes.items())


class ImageSharer:
    def __init__(self, clients, request):
        self.clients = clients
        self.request = request

    def _api(self, service, region):
        return self.clients.api(service, region)

    # ----- planning (read-only) -----

    def plan(self):
        return fan_out(self.request.regions, self._plan_region, self.request.max_concurrency).results_or_refusal(ShareRefusedError)

    def _plan_region(self, region):
        ec2 = self._api("ec2", region)
        image_id = self.request.image_ids[region]
        image = ImageLookup(ec2).by_id(image_id)
        if image is None:
            raise InvalidInputError("image_ids", "%r does not exist in %s" % (image_id, region))
        attribute = ec2.call("describe_image_attribute", ImageId=image_id, Attribute="launchPermission")
        current = PermissionSet.from_aws(attribute.get("LaunchPermissions"))
        changes = compute_permission_changes(current, self.request.principals, self.request.state, self.request.purge)
        plan = RegionSharePlan(region, image, current, changes)
        snapshots = self._snapshots_of(ec2, image)
        plan.kms_key_ids = sorted(set(snapshot["KmsKeyId"] for snapshot in snapshots if snapshot.get("Encrypted") and snapshot.get("KmsKeyId")))
        if self.request.share_snapshots:
            for snapshot in snapshots:
                plan.snapshot_changes[snapshot["SnapshotId"]] = self._plan_snapshot(ec2, snapshot["SnapshotId"])
        grants = not changes.to_add.is_empty or any(add for _current, add, _remove in plan.snapshot_changes.values())
        if grants:
            self._refuse_aws_managed_key(region, image_id, plan.kms_key_ids)
        if changes.to_add.public:
            self._refuse_under_block_public_access(ec2, region, image_id)
        return plan

    def _snapshots_of(self, ec2, image):
        snapshot_ids = snapshot_ids_of(image)
        if not snapshot_ids:
            return []
        return ec2.paginate("describe_snapshots", "Snapshots", SnapshotIds=snapshot_ids)

    def _refuse_aws_managed_key(self, region, image_id, kms_key_ids):
        kms = self._api("kms", region)
        for key_id in kms_key_ids:
            metadata = kms.call("describe_key", KeyId=key_id)["KeyMetadata"]
            if metadata.get("KeyManager") == "AWS":
                raise ShareRefusedError(
                    "image %s in %s is encrypted with the AWS managed key alias/aws/ebs (%s), whose key policy cannot grant "
                    "other accounts: they could never launch it. Copy it with a customer managed key (image_copy kms_key_id) "
                    "and share the copy" % (image_id, region, metadata.get("Arn", key_id))
                )

    def _refuse_under_block_public_access(self, ec2, region, image_id):
        state = ec2.call("get_image_block_public_access_state").get("ImageBlockPublicAccessState")
        if state == BLOCK_NEW_SHARING:
            raise ShareRefusedError(
                "public: true refused for %s: image block public access is enabled in %s (block-new-sharing). "
                "Disable it (ec2 disable-image-block-public-access) if the image really must be public" % (image_id, region)
            )

    def _plan_snapshot(self, ec2, snapshot_id):
        attribute = ec2.call("describe_snapshot_attribute", SnapshotId=snapshot_id, Attribute="createVolumePermission")
        current = set(item["UserId"] for item in attribute.get("CreateVolumePermissions", []) if item.get("UserId"))
        given = set(self.request.principals.accounts)
        if self.request.state == "absent":
            return current, set(), given & current
        remove = current - given if self.request.purge else set()
        return current, given - current, remove

    # ----- applying -----

    def apply(self, plans):
        changed = [region for region in sorted(plans) if plans[region].changed]
        return fan_out(changed, lambda region: self._apply_region(plans[region]), self.request.max_concurrency)

    def _apply_region(self, plan):
        ec2 = self._api("ec2", plan.region)
        for direction, principals in (("Remove", plan.changes.to_remove), ("Add", plan.changes.to_add)):
            for batch in batches(principals.to_aws()):
                ec2.call("modify_image_attribute", ImageId=plan.image_id, LaunchPermission={direction: batch})
        for snapshot_id, (_current, add, remove) in sorted(plan.snapshot_changes.items()):
            for direction, accounts in (("Remove", remove), ("Add", add)):
                for batch in batches([{"UserId": account} for account in sorted(accounts)]):
                    ec2.call(
                        "modify_snapshot_attribute",
                        SnapshotId=snapshot_id,
                        Attribute="createVolumePermission",
                        CreateVolumePermission={direction: batch},
                    )
        return True


def batches(items, size=MAX_MODIFICATIONS_PER_REQUEST):
    return [items[start : start + size] for start in range(0, len(items), size)]


def share_images(clients, request, check_mode):
    """Plan every region, and unless in check mode apply; the module's result dict (with ``diff``)."""
    sharer = ImageSharer(clients, request)
    plans = sharer.plan()
    result = {
        "changed": any(plan.changed for plan in plans.values()),
        "image_ids": dict(request.image_ids),
        "launch_permissions": dict((region, plan.after.as_dict()) for region, plan in plans.items()),
        "added": dict((region, plan.changes.to_add.as_dict()) for region, plan in plans.items()),
        "removed": dict((region, plan.changes.to_remove.as_dict()) for region, plan in plans.items()),
        "snapshot_permissions": dict((region, plan.snapshot_permissions_after()) for region, plan in plans.items()),
        "kms_key_ids": dict((region, plan.kms_key_ids) for region, plan in plans.items()),
        "failed": {},
        "failed_regions": {},
        "notes": [],
        "diff": {
            "before": dict((region, plan.current.as_dict()) for region, plan in sorted(plans.items())),
            "after": dict((region, plan.after.as_dict()) for region, plan in sorted(plans.items())),
        },
    }
    principals = request.principals
    if request.share_snapshots and (principals.organization_arns or principals.organizational_unit_arns):
        result["notes"].append(SNAPSHOT_ORGANIZATIONS_NOTE)
    if any(result["kms_key_ids"].values()) and not principals.minus(PermissionSet(public=True)).is_empty and request.state == "present":
        result["notes"].append(
            "the grantees need kms:DescribeKey, kms:CreateGrant, kms:Decrypt, kms:ReEncrypt* and kms:GenerateDataKey* on the keys in "
            "kms_key_ids (key policy) to launch the image"
        )
    if check_mode:
        return result
    outcome = sharer.apply(plans)
    if outcome.errors:
        result["failed"] = outcome.error_messages()
        result["failed_regions"] = dict(result["failed"])
        for region in outcome.errors:
            plan = plans[region]
            result["launch_permissions"][region] = plan.current.as_dict()
        raise RegionsPartlyFailedError("image_share", result)
    return result
