"""ListInstanceProfiles honours PathPrefix (extensions/iam_instance_profile_path_prefix.py)."""


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
