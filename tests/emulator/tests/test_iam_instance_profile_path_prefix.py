"""ListInstanceProfiles honours PathPrefix (extensions/iam_instance_profile_path_prefix.py)."""

import botocore.exceptions
import pytest

from tests.emulator.tests.conftest import error_code


def _names(iam, **kwargs):
    return sorted(profile["InstanceProfileName"] for profile in iam.list_instance_profiles(**kwargs)["InstanceProfiles"])


def test_only_the_profiles_under_the_prefix_are_listed(aws):
    iam = aws.client("iam")
    iam.create_instance_profile(InstanceProfileName="myapp")
    iam.create_instance_profile(InstanceProfileName="bakery-build-1", Path="/bakery-build/")
    iam.create_instance_profile(InstanceProfileName="deeper", Path="/bakery-build/sub/")

    assert _names(iam, PathPrefix="/bakery-build/") == ["bakery-build-1", "deeper"]
    assert _names(iam, PathPrefix="/bakery-build/sub/") == ["deeper"]
    assert _names(iam, PathPrefix="/nothing-here/") == []


def test_without_a_prefix_every_profile_is_listed(aws):
    iam = aws.client("iam")
    iam.create_instance_profile(InstanceProfileName="myapp")
    iam.create_instance_profile(InstanceProfileName="bakery-build-1", Path="/bakery-build/")

    assert _names(iam) == ["bakery-build-1", "myapp"]


@pytest.mark.parametrize("prefix", ["bakery-build/", "/with space/"])
def test_a_prefix_outside_iams_pattern_is_refused(aws, prefix):
    with pytest.raises(botocore.exceptions.ClientError) as error:
        aws.client("iam").list_instance_profiles(PathPrefix=prefix)
    assert error_code(error) == "ValidationError"
