"""Extensions: one module per moto gap the collection depends on, installed in ORDER.

Each module's docstring names the AWS documentation it follows. Extensions wrap or add methods on moto's classes
(moto is pinned exactly for that reason) and keep their state as attributes of moto's models, so moto's reset clears
it.

ORDER is the inventory: tests/emulator/tests/test_extension_inventory.py fails when a module of this package is not
in it, when it names a module that does not exist, when a listed module has no row in tests/emulator/README.md's
extension table, or no test of its own (tests/test_<name>.py, or the shared test file TESTED_IN names). Where several
extensions wrap the same moto method, each wraps what was installed before it, so the one installed last runs first:
ORDER keeps the name order the emulator has always installed in, so that no behaviour changes with this list.
"""

from __future__ import annotations

import importlib
import threading

ORDER = (
    "additional_fixture_images",
    "copy_image_encryption",
    "copy_image_tags",
    "copy_image_token_idempotency",
    "create_image_snapshot_tags",
    "deregister_delete_snapshots",
    "deregistration_protection",
    "duplicate_image_name",
    "fixture_image_attributes",
    "fixture_owner_alias",
    "group_launch_source_switch",
    "image_block_public_access",
    "image_deprecation",
    "image_description_attribute",
    "image_disabled_visibility",
    "image_pending_state",
    "image_product_codes",
    "image_visibility",
    "instance_launch_source",
    "instance_refresh",
    "kms_aws_managed_keys",
    "launch_configuration_duplicate_name",
    "launch_configuration_in_use",
    "launch_configuration_retirement",
    "launch_configuration_tenancy",
    "launch_template_source_version",
    "launch_template_version_deletion",
    "marketplace_dry_run",
    "podman_instances",
    "register_image_attributes",
    "snapshot_create_volume_permission",
    "ssm_automation",
    "ssm_image_parameter_validation",
    "ssm_public_ami_parameters",
)

# Extensions whose behaviour is tested in a shared file rather than tests/test_<name>.py.
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
    """Install every extension once per process, in ORDER (they wrap moto's classes, so a second install would wrap
    twice); returns their names."""
    with _lock:
        if not _installed:
            for name in ORDER:
                importlib.import_module(f"{__name__}.{name}").install()
                _installed.append(name)
        return list(_installed)
