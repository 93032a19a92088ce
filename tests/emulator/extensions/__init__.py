"""Extensions: one module per moto gap the collection depends on, installed in ORDER.

Each module's docstring cites the AWS reference it follows (link and sentence). Extensions wrap or
replace methods of moto's classes (moto is pinned exactly for that reason) and keep their state as
attributes of moto's models, so moto's reset clears it.

ORDER is the inventory: tests/emulator/tests/test_extension_inventory.py fails when a module in this
package is missing from it, when it names a module that does not exist, when a listed module has no
row in tests/emulator/README.md's extension table, or no test of its own (tests/emulator/tests/
test_<name>.py, or the shared test file TESTED_IN names). Adding an extension: add its file, its
name here, its README row, and its tests.

Why an explicit order: where several extensions wrap the same moto method, each wraps whatever was
installed before it, so the one installed LAST runs FIRST (outermost). ORDER_CONSTRAINTS lists every
place where that changes behaviour, with the reason; the test checks ORDER keeps them. Everything
else is order-free: extensions that only add methods or properties, replace a method outright, or
check a request before passing it on (a check that raises before calling the wrapped method refuses
the request whatever it wraps).
"""

from __future__ import annotations

import importlib
import threading

ORDER = (
    # Before any service acts: the region must be enabled (authentication), then the action allowed (IAM).
    "iam_denied_actions",
    "region_opt_in",
    # EC2 images: what moto loads and what every image carries.
    "fixture_image_attributes",
    "additional_fixture_images",
    "fixture_owner_alias",
    "image_product_codes",
    "image_pending_state",
    # EC2 image creation, copy and registration.
    "create_image_snapshot_tags",
    "duplicate_image_name",
    "register_image_attributes",
    "snapshot_kms_key_id",
    "kms_aws_managed_keys",
    "ebs_default_kms_key",
    "copy_image_encryption",
    "copy_image_tags",
    "copy_image_token_idempotency",
    # EC2 image lifecycle and sharing.
    "deregister_delete_snapshots",
    "deregistration_protection",
    "image_deprecation",
    "image_block_public_access",
    "image_description_attribute",
    "image_disable_permissions",
    "ami_quotas",
    "aws_managed_key_sharing",
    "image_owner_only_actions",
    "snapshot_create_volume_permission",
    "snapshot_owner_only_actions",
    # DescribeImages: who sees what, then paging, then the request checks.
    "image_disabled_visibility",
    "image_visibility",
    "describe_images_pagination",
    "describe_images_filters",
    "describe_images_image_ids",
    "describe_image_references",
    # EC2 instances and launch templates.
    "marketplace_dry_run",
    "instance_interface_security_groups",
    "podman_instances",
    "instance_metadata",
    "podman_instance_endpoint",
    "podman_instance_user_data",
    "run_instances_instance_profile",
    "run_instances_client_token",
    "image_last_launched_time",
    "launch_ssm_image_resolution",
    "launch_template_source_version",
    "launch_template_version_deletion",
    "launch_template_client_token",
    # Auto Scaling.
    "launch_configuration_duplicate_name",
    "launch_configuration_retirement",
    "launch_configuration_in_use",
    "launch_configuration_tenancy",
    "group_launch_source_switch",
    "instance_launch_source",
    "instance_maintenance_policy",
    "instance_refresh",
    # Systems Manager.
    "ssm_public_ami_parameters",
    "ssm_image_parameter_validation",
    "ssm_automation",
    "iam_managed_instance_core_policy",
    "iam_instance_profile_path_prefix",
    "ssm_managed_instances",
    "ssm_sessions",
)

# (installed earlier, installed later, why): the later one wraps the earlier one.
ORDER_CONSTRAINTS = (
    (
        "podman_instances",
        "podman_instance_endpoint",
        "RunInstances/StartInstances: the relay opens in the container's network namespace, so the container must "
        "have started (podman_instances) when the relay's wrapper runs after it.",
    ),
    (
        "podman_instance_endpoint",
        "podman_instance_user_data",
        "RunInstances: user data may fetch from the emulator (the SSM agent from its S3), so the relay must be open "
        "before the script starts.",
    ),
    (
        "iam_denied_actions",
        "region_opt_in",
        "Every request: a region not enabled for the account refuses the caller's credentials (AuthFailure) before IAM "
        "evaluates the action, so region_opt_in's check runs outside iam_denied_actions'.",
    ),
    (
        "copy_image_encryption",
        "copy_image_tags",
        "CopyImage: snapshot TagSpecifications must tag the copy's own snapshots, which copy_image_encryption "
        "creates; copy_image_tags reads the copy's mappings after the call it wraps returns.",
    ),
    (
        "copy_image_encryption",
        "copy_image_token_idempotency",
        "CopyImage: a repeated ClientToken must return the first copy's id before anything is copied or encrypted again.",
    ),
    (
        "copy_image_tags",
        "copy_image_token_idempotency",
        "CopyImage: a repeated ClientToken must return before the copy is tagged again.",
    ),
    (
        "register_image_attributes",
        "snapshot_kms_key_id",
        "CreateImage: the Encrypted flag snapshot_kms_key_id sets on the image's root snapshot must reach the block "
        "device mapping register_image_attributes writes, so it runs after (outside) it.",
    ),
    (
        "deregister_delete_snapshots",
        "image_owner_only_actions",
        "DeregisterImage: only the owner may deregister, so the owner check comes before snapshots are deleted.",
    ),
    (
        "deregistration_protection",
        "image_owner_only_actions",
        "Enable/DisableImageDeregistrationProtection: deregistration_protection installs these handlers (replacing "
        "moto's), so the owner check must wrap them afterwards or it would be dropped; DeregisterImage likewise.",
    ),
    (
        "image_deprecation",
        "image_owner_only_actions",
        "Enable/DisableImageDeprecation: image_deprecation installs these handlers, so the owner check must wrap them afterwards.",
    ),
    (
        "image_block_public_access",
        "image_owner_only_actions",
        "ModifyImageAttribute: the owner check comes first (another account's AMI answers AuthFailure, not a block-public-access refusal).",
    ),
    (
        "image_description_attribute",
        "image_owner_only_actions",
        "ModifyImageAttribute: image_description_attribute sets a description without calling the handler it wraps, "
        "so the owner check must be outside it.",
    ),
    (
        "snapshot_create_volume_permission",
        "snapshot_owner_only_actions",
        "ModifySnapshotAttribute: snapshot_create_volume_permission answers the CreateVolumePermission form itself "
        "without calling the handler it wraps, so the owner check must be outside it.",
    ),
    (
        "image_deprecation",
        "describe_images_pagination",
        "DescribeImages: a page must be cut from the images the caller sees, after deprecated ones are left out.",
    ),
    (
        "image_disabled_visibility",
        "describe_images_pagination",
        "DescribeImages: a page must be cut after disabled images are left out.",
    ),
    (
        "image_visibility",
        "describe_images_pagination",
        "DescribeImages: a page must be cut after images the caller may not see (and ExecutableBy) are left out.",
    ),
    (
        "podman_instances",
        "image_last_launched_time",
        "RunInstances: a launch is recorded on the image only once it succeeded, its container included.",
    ),
    (
        "image_last_launched_time",
        "launch_ssm_image_resolution",
        "RunInstances: a resolve:ssm: launch is recorded on the image the parameter resolved to.",
    ),
    (
        "podman_instances",
        "launch_ssm_image_resolution",
        "RunInstances: the container is chosen by the image id the parameter resolved to.",
    ),
    (
        "launch_template_source_version",
        "launch_template_client_token",
        "CreateLaunchTemplateVersion: launch_template_source_version replaces moto's handler, so the token check must "
        "wrap it afterwards or it would be dropped.",
    ),
    (
        "launch_configuration_duplicate_name",
        "launch_configuration_retirement",
        "CreateLaunchConfiguration: on an account without launch configurations the call is unavailable whatever "
        "the name, so UnsupportedOperation wins over AlreadyExists (which of the two AWS answers is not documented).",
    ),
)

# Extensions tested in a shared test file instead of tests/test_<name>.py; that file's docstring names them.
TESTED_IN = {
    "fixture_image_attributes": "test_fixture_images.py",
    "fixture_owner_alias": "test_additional_fixture_images.py",
    "image_product_codes": "test_additional_fixture_images.py",
    "kms_aws_managed_keys": "test_copy_image_encryption.py",
    "launch_configuration_duplicate_name": "test_launch_configuration_extensions.py",
    "launch_configuration_retirement": "test_launch_configuration_extensions.py",
    "launch_configuration_in_use": "test_launch_configuration_extensions.py",
    "launch_configuration_tenancy": "test_launch_configuration_extensions.py",
    "launch_template_source_version": "test_launch_template_extensions.py",
    "launch_template_version_deletion": "test_launch_template_extensions.py",
}

_lock = threading.Lock()
_installed: list[str] = []


def install_all() -> list[str]:
    """Install every extension once per process, in ORDER (they wrap moto's classes, so a second
    install would wrap twice); returns their names."""
    with _lock:
        if not _installed:
            for name in ORDER:
                importlib.import_module(f"{__name__}.{name}").install()
                _installed.append(name)
        return list(_installed)
