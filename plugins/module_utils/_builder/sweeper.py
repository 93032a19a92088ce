# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Remove everything a build left behind, found by its ``bakery:build-id`` tag, in many regions at once.

The builder instance (terminated, and waited for: its network interface holds the security group), the Session
Manager helpers made for the build (its IAM instance profile and role, its S3 transfer bucket, emptied first), the key
pair, the security group, and with ``include_images`` the images of the build, the copies of those images (tagged
``bakery:source-image=<region>/<id>`` even when a copy lost its other tags) and the snapshots behind them. Used by the
bake's cleanup (``always:``) and by ``bake_cleanup`` after an interrupted run. Without a build id, the interrupted
builds are found: those whose key pair, security group, instance, instance profile or transfer bucket still exists (a
finished build deletes them) - which is why those go last.

IAM and bucket names are global: they are looked for once, not per region (by the build-derived names; without a build
id, under the IAM path /bakery-build/ and the bucket name prefix bakery-build-). With ``connection: ssh`` they are not
looked for at all, so a caller who bakes over SSH only needs no IAM or S3 permission to clean up.
"""

from __future__ import annotations

import os

from ansible_collections.bakery.ami.plugins.module_utils._ami.tag_vocabulary import BUILD_ID_TAG, SOURCE_IMAGE_TAG
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import AwsCallError, BakeryError
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff, poll_until
from ansible_collections.bakery.ami.plugins.module_utils._aws.region_fanout import fan_out
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import error_code
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import tag_list_to_dict
from ansible_collections.bakery.ami.plugins.module_utils._builder.instance_profile import (
    build_instance_profiles,
    find_build_instance_profile,
    remove_instance_profile,
)
from ansible_collections.bakery.ami.plugins.module_utils._builder.key_pair import find_key_pairs
from ansible_collections.bakery.ami.plugins.module_utils._builder.launcher import find_instances
from ansible_collections.bakery.ami.plugins.module_utils._builder.resource_names import bucket_name, iam_name
from ansible_collections.bakery.ami.plugins.module_utils._builder.security_group import find_security_groups
from ansible_collections.bakery.ami.plugins.module_utils._builder.transfer_bucket import (
    build_transfer_buckets,
    find_build_transfer_bucket,
    remove_transfer_bucket,
)

NOT_TERMINATED = ("pending", "running", "stopping", "stopped", "shutting-down")
GONE_ERRORS = ("InvalidKeyPair.NotFound", "InvalidGroup.NotFound", "InvalidAMIID.NotFound", "InvalidAMIID.Unavailable",
               "InvalidSnapshot.NotFound", "InvalidInstanceID.NotFound")


class SweepFailedError(BakeryError):
    def __init__(self, result, errors):
        self.result = result
        super().__init__("cleanup of build(s) %s failed in %s: %s" % (
            ", ".join(result["build_ids"]) or "-", ", ".join(sorted(errors)), "; ".join("%s: %s" % item for item in sorted(errors.items()))))

    def result_fields(self):
        return dict(self.result)


class RegionLeftovers:
    def __init__(self, region):
        self.region = region
        self.instances = []
        self.key_pairs = []
        self.security_groups = []
        self.images = []
        self.snapshots = []
        self.transfer_buckets = []

    @property
    def is_empty(self):
        return not (self.instances or self.key_pairs or self.security_groups or self.images or self.snapshots or self.transfer_buckets)

    def as_dict(self):
        return {
            "instances": [instance["InstanceId"] for instance in self.instances],
            "key_pairs": [key_pair["KeyName"] for key_pair in self.key_pairs],
            "security_groups": [group["GroupId"] for group in self.security_groups],
            "images": [image["ImageId"] for image in self.images],
            "snapshots": sorted(self.snapshots),
            "transfer_buckets": sorted(self.transfer_buckets),
        }


class Leftovers:
    """What a sweep found: per region, and the build's IAM instance profiles (global)."""

    def __init__(self, regions):
        self.regions = dict((region, RegionLeftovers(region)) for region in regions)
        self.instance_profiles = []

    def region(self, region):
        if region not in self.regions:
            self.regions[region] = RegionLeftovers(region)
        return self.regions[region]

    @property
    def is_empty(self):
        return not self.instance_profiles and all(found.is_empty for found in self.regions.values())


class BuildSweeper:
    def __init__(self, client_factory, request):
        self.client_factory = client_factory
        self.request = request

    def _ec2(self, region):
        return self.client_factory.api("ec2", region)

    @property
    def _global_region(self):
        """Where the global services (IAM, the bucket listing) are called from."""
        return self.request.regions[0] if self.request.regions else None

    @property
    def _looks_for_ssm_resources(self):
        return self.request.sweeps_ssm_resources and self._global_region is not None

    def interrupted_build_ids(self):
        """Build ids whose temporary resources still exist in any of the regions (or globally)."""
        found = fan_out(self.request.regions, self._build_ids_in)
        found.raise_first_error()
        build_ids = set(build_id for ids in found.results.values() for build_id in ids)
        if self._looks_for_ssm_resources:
            build_ids |= set(build_instance_profiles(self.client_factory.api("iam", self._global_region)))
            build_ids |= set(build_transfer_buckets(self.client_factory.api("s3", self._global_region)))
        return sorted(build_ids)

    def _build_ids_in(self, region):
        ec2 = self._ec2(region)
        has_tag = [{"Name": "tag-key", "Values": [BUILD_ID_TAG]}]
        tagged = []
        reservations = ec2.paginate("describe_instances", "Reservations", Filters=has_tag + [{"Name": "instance-state-name", "Values": list(NOT_TERMINATED)}])
        tagged += [instance.get("Tags") for reservation in reservations for instance in reservation["Instances"]]
        tagged += [key_pair.get("Tags") for key_pair in ec2.call("describe_key_pairs", Filters=has_tag).get("KeyPairs", [])]
        tagged += [group.get("Tags") for group in ec2.paginate("describe_security_groups", "SecurityGroups", Filters=has_tag)]
        return set(tag_list_to_dict(tags).get(BUILD_ID_TAG) for tags in tagged) - {None}

    def plan(self, build_ids):
        leftovers = Leftovers(self.request.regions)
        for build_id in build_ids:
            outcome = fan_out(self.request.regions, lambda region: self._find(region, build_id, leftovers.region(region)))
            outcome.raise_first_error()
            if self._looks_for_ssm_resources:
                self._find_ssm_resources(build_id, leftovers)
        if self.request.include_images:
            built = set("%s/%s" % (region, image["ImageId"]) for region, found in leftovers.regions.items() for image in found.images)
            if built:
                outcome = fan_out(self.request.regions, lambda region: self._find_copies(region, built, leftovers.region(region)))
                outcome.raise_first_error()
            outcome = fan_out([region for region, found in leftovers.regions.items() if found.images],
                              lambda region: self._find_described_snapshots(region, leftovers.region(region)))
            outcome.raise_first_error()
        return leftovers

    def _find_ssm_resources(self, build_id, leftovers):
        profile = find_build_instance_profile(self.client_factory.api("iam", self._global_region), iam_name(build_id), build_id)
        if profile:
            leftovers.instance_profiles.append(profile)
        bucket = find_build_transfer_bucket(self.client_factory.api("s3", self._global_region), bucket_name(build_id), build_id)
        if bucket:
            name, region = bucket
            leftovers.region(region).transfer_buckets.append(name)

    def _find_described_snapshots(self, region, found):
        # AWS describes an image's snapshots by the image id ("Created by CreateImage(i-…) for ami-…",
        # "Copied for DestinationAmi ami-… from SourceAmi …"): this finds them even when a mapping was never reported.
        image_ids = set(image["ImageId"] for image in found.images)
        snapshots = self._ec2(region).paginate("describe_snapshots", "Snapshots", OwnerIds=["self"])
        described = set(snapshot["SnapshotId"] for snapshot in snapshots
                        if any(image_id in (snapshot.get("Description") or "") for image_id in image_ids))
        found.snapshots = sorted(set(found.snapshots) | described)

    def _find(self, region, build_id, found):
        ec2 = self._ec2(region)
        found.instances += find_instances(ec2, build_id, NOT_TERMINATED)
        found.key_pairs += find_key_pairs(ec2, build_id)
        found.security_groups += find_security_groups(ec2, build_id)
        if self.request.include_images:
            filters = [{"Name": "tag:%s" % BUILD_ID_TAG, "Values": [build_id]}]
            self._add_images(found, ec2.call("describe_images", Owners=["self"], Filters=filters, IncludeDeprecated=True).get("Images", []))
            snapshots = ec2.paginate("describe_snapshots", "Snapshots", OwnerIds=["self"], Filters=filters)
            found.snapshots = sorted(set(found.snapshots) | set(snapshot["SnapshotId"] for snapshot in snapshots))

    def _find_copies(self, region, built, found):
        filters = [{"Name": "tag:%s" % SOURCE_IMAGE_TAG, "Values": sorted(built)}]
        copies = self._ec2(region).call("describe_images", Owners=["self"], Filters=filters, IncludeDeprecated=True).get("Images", [])
        self._add_images(found, copies)

    @staticmethod
    def _add_images(found, images):
        known = set(image["ImageId"] for image in found.images)
        for image in images:
            if image["ImageId"] in known:
                continue
            found.images.append(image)
            snapshot_ids = [mapping["Ebs"]["SnapshotId"] for mapping in image.get("BlockDeviceMappings", []) if (mapping.get("Ebs") or {}).get("SnapshotId")]
            found.snapshots = sorted(set(found.snapshots) | set(snapshot_ids))

    def apply(self, leftovers):
        # Images, copies and snapshots go first, in every region; then the builders (terminated: nothing uses the
        # instance profile, the bucket or the security group any more), the instance profile and bucket; the key pair
        # and security group last: with the builder they are how a later sweep without a build id finds an
        # interrupted build, so a sweep interrupted in between (or failing in one region) leaves the build findable,
        # not its images orphaned.
        regions = leftovers.regions
        with_images = [region for region, found in regions.items() if found.images or found.snapshots]
        outcome = fan_out(with_images, lambda region: self._remove_images(regions[region]))
        if outcome.errors:
            return outcome.errors
        with_instances = [region for region, found in regions.items() if found.instances]
        outcome = fan_out(with_instances, lambda region: self._terminate_builders(regions[region]))
        if outcome.errors:
            return outcome.errors
        errors = self._remove_ssm_resources(leftovers)
        if errors:
            return errors
        with_resources = [region for region, found in regions.items() if found.key_pairs or found.security_groups]
        return fan_out(with_resources, lambda region: self._remove_key_pairs_and_groups(regions[region])).errors

    def _remove_images(self, found):
        ec2 = self._ec2(found.region)
        for image in found.images:
            ignore_gone(lambda: ec2.call("deregister_image", ImageId=image["ImageId"]))
        for snapshot_id in found.snapshots:
            ignore_gone(lambda: ec2.call("delete_snapshot", SnapshotId=snapshot_id))
        return True

    def _terminate_builders(self, found):
        ec2 = self._ec2(found.region)
        instance_ids = [instance["InstanceId"] for instance in found.instances]
        ignore_gone(lambda: ec2.call("terminate_instances", InstanceIds=instance_ids))
        self._wait_terminated(ec2, instance_ids)
        return True

    def _remove_ssm_resources(self, leftovers):
        buckets = [(name, region) for region, found in leftovers.regions.items() for name in found.transfer_buckets]
        work = dict(("bucket %s" % name, (lambda name=name, region=region: remove_transfer_bucket(self.client_factory.api("s3", region), name)))
                    for name, region in buckets)
        work.update(("instance profile %s" % name, (lambda name=name: remove_instance_profile(self.client_factory.api("iam", self._global_region), name)))
                    for name in leftovers.instance_profiles)
        return fan_out(sorted(work), lambda key: work[key]() or True).errors

    def _remove_key_pairs_and_groups(self, found):
        ec2 = self._ec2(found.region)
        for key_pair in found.key_pairs:
            ignore_gone(lambda: ec2.call("delete_key_pair", KeyName=key_pair["KeyName"]))
        for group in found.security_groups:
            self._delete_security_group(ec2, group["GroupId"])
        return True

    def _wait_terminated(self, ec2, instance_ids):
        def probe():
            reservations = ec2.call("describe_instances", InstanceIds=instance_ids).get("Reservations", [])
            states = [instance["State"]["Name"] for reservation in reservations for instance in reservation["Instances"]]
            return all(state == "terminated" for state in states), states

        poll_until(probe, "builder(s) %s to terminate" % ", ".join(instance_ids), self.request.wait_timeout, Backoff(initial_delay=1, max_delay=10))

    def _delete_security_group(self, ec2, group_id):
        # The terminated builder's network interface can hold the group for a while after termination.
        def probe():
            try:
                ec2.call("delete_security_group", GroupId=group_id)
            except AwsCallError as error:
                if error_code(error) == "DependencyViolation":
                    return False, "in use"
                if error_code(error) in GONE_ERRORS:
                    return True, None
                raise
            return True, None

        poll_until(probe, "security group %s to be released" % group_id, self.request.wait_timeout, Backoff(initial_delay=2, max_delay=15))


def ignore_gone(call):
    try:
        return call()
    except AwsCallError as error:
        if error_code(error) not in GONE_ERRORS:
            raise
        return None


def sweep_builds(client_factory, request, check_mode):
    sweeper = BuildSweeper(client_factory, request)
    build_ids = [request.build_id] if request.build_id else sweeper.interrupted_build_ids()
    leftovers = sweeper.plan(build_ids)
    removed = dict((region, found.as_dict()) for region, found in leftovers.regions.items() if not found.is_empty)
    result = {
        "changed": not leftovers.is_empty,
        "build_ids": build_ids,
        "removed": removed,
        "removed_instance_profiles": sorted(leftovers.instance_profiles),
        "diff": {"before": {"removed": {}}, "after": {"removed": removed, "removed_instance_profiles": sorted(leftovers.instance_profiles)}},
    }
    key_file_exists = bool(request.private_key_path) and os.path.exists(request.private_key_path)
    if key_file_exists:
        result["changed"] = True
    if check_mode:
        return result
    errors = sweeper.apply(leftovers)
    if key_file_exists:
        os.unlink(request.private_key_path)
    if errors:
        raise SweepFailedError(result, dict((str(key), str(error)) for key, error in errors.items()))
    return result
