"""DescribeImages MaxResults / NextToken (extensions/describe_images_pagination.py)."""

import pytest
from botocore.exceptions import ClientError

from tests.emulator.tests.conftest import DEBIAN_12_AMD64

DEPRECATED_DEBIAN_11 = "ami-0de11a0d640000001"


def image_ids(images):
    return [image["ImageId"] for image in images]


def pages_of(ec2, max_results, **params):
    pages, token = [], None
    while True:
        page = ec2.describe_images(MaxResults=max_results, **params, **({"NextToken": token} if token else {}))
        pages.append(image_ids(page["Images"]))
        token = page.get("NextToken")
        if not token:
            return pages


def error_of(ec2, **params):
    with pytest.raises(ClientError) as raised:
        ec2.describe_images(**params)
    return raised.value.response["Error"]["Code"]


def test_max_results_bounds_a_page_and_the_pages_add_up_to_every_image(ec2):
    everything = image_ids(ec2.describe_images()["Images"])
    pages = pages_of(ec2, 5)
    assert [len(page) for page in pages[:-1]] == [5] * (len(pages) - 1)
    assert 1 <= len(pages[-1]) <= 5
    assert [image_id for page in pages for image_id in page] == everything


def test_the_last_page_has_no_next_token(ec2):
    total = len(ec2.describe_images()["Images"])
    assert "NextToken" not in ec2.describe_images(MaxResults=total)
    assert "NextToken" in ec2.describe_images(MaxResults=total - 1)


def test_pages_hold_only_images_the_caller_sees(ec2):
    paged = [image_id for page in pages_of(ec2, 5) for image_id in page]
    assert DEPRECATED_DEBIAN_11 not in paged
    assert DEPRECATED_DEBIAN_11 in [image_id for page in pages_of(ec2, 5, IncludeDeprecated=True) for image_id in page]


def test_botocores_paginator_with_a_page_size_sees_every_image_once(ec2):
    pages = list(ec2.get_paginator("describe_images").paginate(Owners=["amazon"], PaginationConfig={"PageSize": 5}))
    assert len(pages) > 1
    assert [image_id for page in pages for image_id in image_ids(page["Images"])] == image_ids(ec2.describe_images(Owners=["amazon"])["Images"])


def test_a_next_token_without_max_results_returns_the_rest(ec2):
    everything = image_ids(ec2.describe_images()["Images"])
    first = ec2.describe_images(MaxResults=5)
    rest = ec2.describe_images(NextToken=first["NextToken"])
    assert image_ids(first["Images"]) + image_ids(rest["Images"]) == everything
    assert "NextToken" not in rest


@pytest.mark.parametrize("params", [{"MaxResults": 5}, {"NextToken": "x"}])
def test_image_ids_cannot_be_combined_with_paging(ec2, params):
    assert error_of(ec2, ImageIds=[DEBIAN_12_AMD64], **params) == "InvalidParameterCombination"


@pytest.mark.parametrize("max_results", [0, 4, 1001])
def test_max_results_outside_5_to_1000_is_refused(ec2, max_results):
    assert error_of(ec2, MaxResults=max_results) == "InvalidParameterValue"


@pytest.mark.parametrize("max_results", [5, 1000])
def test_max_results_at_the_bounds_is_accepted(ec2, max_results):
    assert ec2.describe_images(MaxResults=max_results)["Images"]


def test_a_made_up_next_token_is_refused(ec2):
    assert error_of(ec2, MaxResults=5, NextToken="not-a-token") == "InvalidPaginationToken"


def test_a_next_token_of_another_query_is_refused(ec2):
    token = ec2.describe_images(MaxResults=5)["NextToken"]
    assert error_of(ec2, MaxResults=5, NextToken=token, Owners=["amazon"]) == "InvalidPaginationToken"
