import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.tags import (
    compute_tag_changes,
    tag_dict_to_list,
    tag_list_to_dict,
    tag_specifications,
    validate_tags,
)


def test_tag_list_and_dict_round_trip():
    tags = {"b": "2", "a": "1"}
    assert tag_list_to_dict(tag_dict_to_list(tags)) == tags


def test_unmanaged_tags_make_no_change():
    assert compute_tag_changes({"a": "1"}, None, purge=True).is_empty


def test_changed_and_new_values_are_set():
    changes = compute_tag_changes({"a": "1", "b": "2"}, {"a": "9", "c": "3"}, purge=False)
    assert changes.to_set == {"a": "9", "c": "3"}
    assert changes.to_remove == []


def test_purge_removes_unlisted_tags_but_never_aws_ones():
    changes = compute_tag_changes({"a": "1", "old": "x", "aws:cloudformation:stack": "s"}, {"a": "1"}, purge=True)
    assert changes.to_set == {}
    assert changes.to_remove == ["old"]


def test_applied_changes_give_the_desired_tags():
    current = {"a": "1", "old": "x"}
    changes = compute_tag_changes(current, {"a": "2"}, purge=True)
    assert changes.applied_to(current) == {"a": "2"}


def test_tag_specifications_cover_each_resource_type():
    specs = tag_specifications(["image", "snapshot"], {"k": "v"})
    assert [spec["ResourceType"] for spec in specs] == ["image", "snapshot"]
    assert specs[0]["Tags"] == [{"Key": "k", "Value": "v"}]


def test_no_tags_means_no_tag_specifications():
    assert tag_specifications(["image"], {}) == []


def test_tag_values_become_strings():
    assert validate_tags("tags", {"count": 3, "empty": None}) == {"count": "3", "empty": ""}


@pytest.mark.parametrize(
    "tags, fragment",
    [
        ({"aws:owner": "x"}, "reserved prefix"),
        ({"k" * 129: "v"}, "1 to 128"),
        ({"k": "v" * 257}, "longer than 256"),
        (dict(("k%d" % i, "v") for i in range(51)), "at most 50"),
    ],
)
def test_tags_aws_would_reject_are_refused_naming_the_option(tags, fragment):
    with pytest.raises(InvalidInputError) as error:
        validate_tags("tags", tags)
    assert str(error.value).startswith("tags ")
    assert fragment in str(error.value)
