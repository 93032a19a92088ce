"""Request shapes image_copy sends, checked with botocore's Stubber: the emulator (moto) ignores CopyImage's
ClientToken, Encrypted, KmsKeyId and CopyImageTags, so only the request itself can show them."""

import boto3
import pytest
from botocore.stub import ANY, Stubber

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.module_utils._aws.regional_api import RegionalApi
from ansible_collections.bakery.ami.plugins.module_utils._aws.polling import Backoff
from ansible_collections.bakery.ami.plugins.module_utils._image_copy.copier import (
    MAX_CLIENT_TOKEN_LENGTH,
    VISIBILITY_GRACE_SECONDS,
    ImageCopier,
    copy_image_to_regions,
)
from ansible_collections.bakery.ami.plugins.module_utils._image_copy.request import CopyRequest
from tests.unit.fake_time import FakeTime
from tests.unit.module_params import module_params

SOURCE_REGION = "us-east-1"
SOURCE_ID = "ami-0123456789abcdef0"
SOURCE = {
    "ImageId": SOURCE_ID,
    "Name": "web-server-000",
    "State": "available",
    "Tags": [{"Key": "bakery:layer", "Value": "web-server-000"}, {"Key": "aws:cloudformation:stack-name", "Value": "x"}],
}
DESTINATIONS = ["eu-west-1", "ap-southeast-1", "us-west-2"]


class StubbedRegions:
    """One stubbed EC2 client per region, each recording the parameters of every request it is given."""

    def __init__(self, regions):
        session = boto3.session.Session(aws_access_key_id="t", aws_secret_access_key="t")
        self.clients = dict((region, session.client("ec2", region_name=region)) for region in regions)
        self.stubs = dict((region, Stubber(client)) for region, client in self.clients.items())
        self.sent = dict((region, []) for region in regions)
        for region, client in self.clients.items():
            client.meta.events.register("provide-client-params.ec2.*", self._recorder(region))

    def _recorder(self, region):
        def record(params, model, **_):
            self.sent[region].append((model.name, dict(params)))

        return record

    def api(self, service, region=None):
        return RegionalApi(self.clients[region], region)

    def requests(self, region, operation):
        return [params for name, params in self.sent[region] if name == operation]

    def __enter__(self):
        for stub in self.stubs.values():
            stub.activate()
        return self

    def __exit__(self, *exc_info):
        for stub in self.stubs.values():
            stub.deactivate()
        if exc_info[0] is None:
            for stub in self.stubs.values():
                stub.assert_no_pending_responses()


def request(**options):
    params = {"source_image_id": SOURCE_ID, "source_region": SOURCE_REGION, "regions": DESTINATIONS, "wait": False}
    params.update(options)
    return CopyRequest.from_params(module_params("image_copy", **params))


def expect_copies(stubbed, copy_request):
    """The whole conversation of a run that copies into every destination: source lookup, plan, CopyImage, lookup of the copy."""
    stubbed.stubs[SOURCE_REGION].add_response("describe_images", {"Images": [SOURCE]}, {"ImageIds": [SOURCE_ID], "IncludeDeprecated": True, "IncludeDisabled": True})
    for index, target in enumerate(copy_request.targets):
        stub = stubbed.stubs[target.region]
        copy_id = "ami-00000000000000%03d" % index
        stub.add_response("describe_images", {"Images": []}, {"Owners": ["self"], "Filters": ANY, "IncludeDeprecated": True})
        stub.add_response("copy_image", {"ImageId": copy_id})
        stub.add_response(
            "describe_images",
            {"Images": [{"ImageId": copy_id, "State": "pending", "Name": "web-server-000"}]},
            {"ImageIds": [copy_id], "IncludeDeprecated": True, "IncludeDisabled": True},
        )


def run_copy(copy_request):
    stubbed = StubbedRegions([SOURCE_REGION] + DESTINATIONS)
    with stubbed:
        expect_copies(stubbed, copy_request)
        result = copy_image_to_regions(stubbed, copy_request, check_mode=False)
    assert sorted(result["image_ids"]) == sorted(DESTINATIONS)
    return dict((region, stubbed.requests(region, "CopyImage")[0]) for region in DESTINATIONS)


def test_client_token_is_the_same_on_every_run_for_the_same_inputs():
    first = run_copy(request())
    second = run_copy(request())
    assert dict((region, sent["ClientToken"]) for region, sent in first.items()) == dict(
        (region, sent["ClientToken"]) for region, sent in second.items()
    )


def test_client_token_differs_per_region_and_fits_the_aws_limit():
    tokens = [sent["ClientToken"] for sent in run_copy(request()).values()]
    assert len(set(tokens)) == len(DESTINATIONS)
    assert all(0 < len(token) <= MAX_CLIENT_TOKEN_LENGTH for token in tokens)


def test_client_token_changes_when_the_copy_would_differ():
    plain = run_copy(request())
    renamed = run_copy(request(name="web-server-000-copy"))
    assert all(plain[region]["ClientToken"] != renamed[region]["ClientToken"] for region in DESTINATIONS)


def test_each_region_kms_key_lands_in_that_region_request_only():
    keys = {
        "eu-west-1": "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111",
        "ap-southeast-1": "arn:aws:kms:ap-southeast-1:123456789012:key/22222222-2222-2222-2222-222222222222",
    }
    regions = [{"region": region, "kms_key_id": key} for region, key in keys.items()] + ["us-west-2"]
    sent = run_copy(request(regions=regions, kms_key_id="alias/bakery-default"))
    assert sent["eu-west-1"]["KmsKeyId"] == keys["eu-west-1"]
    assert sent["ap-southeast-1"]["KmsKeyId"] == keys["ap-southeast-1"]
    assert sent["us-west-2"]["KmsKeyId"] == "alias/bakery-default"
    assert all(request_fields["Encrypted"] is True for request_fields in sent.values())


def test_encrypted_is_true_by_default_with_the_region_default_key():
    sent = run_copy(request())
    for region in DESTINATIONS:
        assert sent[region]["Encrypted"] is True
        assert "KmsKeyId" not in sent[region]


def test_encrypted_false_sends_no_encryption_fields():
    sent = run_copy(request(encrypted=False))
    for region in DESTINATIONS:
        assert "Encrypted" not in sent[region] and "KmsKeyId" not in sent[region]


def test_copy_image_tags_is_sent_and_snapshots_get_the_source_user_tags():
    sent = run_copy(request(tags={"team": "platform"}))
    for region in DESTINATIONS:
        fields = sent[region]
        assert fields["CopyImageTags"] is True
        assert fields["SourceImageId"] == SOURCE_ID and fields["SourceRegion"] == SOURCE_REGION
        specifications = dict((spec["ResourceType"], {tag["Key"]: tag["Value"] for tag in spec["Tags"]}) for spec in fields["TagSpecifications"])
        assert specifications["image"] == {"team": "platform", "bakery:source-image": "%s/%s" % (SOURCE_REGION, SOURCE_ID)}
        # aws: tags are reserved: AWS refuses them in TagSpecifications.
        assert specifications["snapshot"] == {
            "bakery:layer": "web-server-000",
            "team": "platform",
            "bakery:source-image": "%s/%s" % (SOURCE_REGION, SOURCE_ID),
        }


def test_copy_tags_false_sends_copy_image_tags_false_and_keeps_source_tags_off_the_snapshots():
    sent = run_copy(request(copy_tags=False))
    for region in DESTINATIONS:
        assert sent[region]["CopyImageTags"] is False
        snapshot_tags = [spec for spec in sent[region]["TagSpecifications"] if spec["ResourceType"] == "snapshot"][0]["Tags"]
        assert "bakery:layer" not in [tag["Key"] for tag in snapshot_tags]


def test_a_region_that_already_holds_a_copy_gets_no_copy_image():
    copy_request = request(regions=["eu-west-1"])
    stubbed = StubbedRegions([SOURCE_REGION, "eu-west-1"])
    existing = {"ImageId": "ami-0000000000000a001", "State": "available", "Name": "web-server-000", "CreationDate": "2026-01-01T00:00:00.000Z"}
    with stubbed:
        stubbed.stubs[SOURCE_REGION].add_response("describe_images", {"Images": [SOURCE]}, {"ImageIds": [SOURCE_ID], "IncludeDeprecated": True, "IncludeDisabled": True})
        stubbed.stubs["eu-west-1"].add_response("describe_images", {"Images": [existing]}, {"Owners": ["self"], "Filters": ANY, "IncludeDeprecated": True})
        result = copy_image_to_regions(stubbed, copy_request, check_mode=False)
    assert result["changed"] is False and result["image_ids"] == {"eu-west-1": existing["ImageId"]}
    assert stubbed.requests("eu-west-1", "CopyImage") == []


def test_a_failed_earlier_copy_is_deregistered_and_changes_the_token_so_aws_does_not_hand_it_back():
    failed_copy = "ami-0000000000000f001"
    plain = run_copy(request())
    copy_request = request(regions=["eu-west-1"])
    stubbed = StubbedRegions([SOURCE_REGION, "eu-west-1"])
    failed = {"ImageId": failed_copy, "State": "failed", "Name": "web-server-000"}
    with stubbed:
        stub = stubbed.stubs["eu-west-1"]
        stubbed.stubs[SOURCE_REGION].add_response("describe_images", {"Images": [SOURCE]}, {"ImageIds": [SOURCE_ID], "IncludeDeprecated": True, "IncludeDisabled": True})
        stub.add_response("describe_images", {"Images": [failed]}, {"Owners": ["self"], "Filters": ANY, "IncludeDeprecated": True})
        stub.add_response("deregister_image", {"Return": True}, {"ImageId": failed_copy})
        stub.add_response("copy_image", {"ImageId": "ami-0000000000000a002"})
        stub.add_response("describe_images", {"Images": [{"ImageId": "ami-0000000000000a002", "State": "pending"}]})
        copy_image_to_regions(stubbed, copy_request, check_mode=False)
    assert stubbed.requests("eu-west-1", "CopyImage")[0]["ClientToken"] != plain["eu-west-1"]["ClientToken"]


def copy_into_eu_west_1(answers, wait=False):
    """One copy into eu-west-1 where no copy exists yet. ``answers``: per CopyImage, the image id it answers and what
    DescribeImages then answers for that id, look after look: an image state, ``"empty"`` or ``"not found"``.
    Returns the CopyImage requests sent, the outcome of applying and the seconds the fake clock moved."""
    copy_request = request(regions=["eu-west-1"], wait=wait)
    stubbed = StubbedRegions([SOURCE_REGION, "eu-west-1"])
    fake_time = FakeTime()
    copier = ImageCopier(stubbed, copy_request, Backoff(initial_delay=1.0, max_delay=15.0), clock=fake_time.clock, sleep=fake_time.sleep)
    with stubbed:
        stub = stubbed.stubs["eu-west-1"]
        stubbed.stubs[SOURCE_REGION].add_response("describe_images", {"Images": [SOURCE]}, {"ImageIds": [SOURCE_ID], "IncludeDeprecated": True, "IncludeDisabled": True})
        stub.add_response("describe_images", {"Images": []}, {"Owners": ["self"], "Filters": ANY, "IncludeDeprecated": True})
        for image_id, looks in answers:
            stub.add_response("copy_image", {"ImageId": image_id})
            by_id = {"ImageIds": [image_id], "IncludeDeprecated": True, "IncludeDisabled": True}
            for answer in looks:
                if answer == "not found":
                    stub.add_client_error("describe_images", "InvalidAMIID.NotFound", expected_params=by_id)
                elif answer == "empty":
                    stub.add_response("describe_images", {"Images": []}, by_id)
                else:
                    described = {"ImageId": image_id, "State": answer, "Name": "web-server-000", "StateReason": {"Message": "the key is disabled"}}
                    stub.add_response("describe_images", {"Images": [described]}, by_id)
        outcome = copier.apply(copier.plan())
    return stubbed.requests("eu-west-1", "CopyImage"), outcome, fake_time.now


def region_result(outcome):
    assert not outcome.errors, outcome.error_messages()
    return outcome.results["eu-west-1"]


GONE_COPY = "ami-0000000000000d001"
NEW_COPY = "ami-0000000000000a001"


def test_a_copy_aws_hands_back_deregistered_gets_a_new_token_and_the_new_copy_is_the_result():
    sent, outcome, waited = copy_into_eu_west_1([(GONE_COPY, ["empty"]), (NEW_COPY, ["pending"])])

    assert sent[0]["ClientToken"] == run_copy(request())["eu-west-1"]["ClientToken"]
    assert sent[1]["ClientToken"] != sent[0]["ClientToken"]
    action, image, _seconds = region_result(outcome)
    assert (action, image["ImageId"]) == ("copied", NEW_COPY)
    assert waited == 0, "a copy AWS answers as gone must not be waited for"


def test_a_rerun_walks_the_same_tokens_so_it_finds_the_copy_of_a_lost_answer_instead_of_copying_again():
    first, _outcome, _waited = copy_into_eu_west_1([(GONE_COPY, ["empty"]), (NEW_COPY, ["pending"])])

    again, outcome, _waited = copy_into_eu_west_1([(GONE_COPY, ["empty"]), (NEW_COPY, ["available"])])

    assert [fields["ClientToken"] for fields in again] == [fields["ClientToken"] for fields in first]
    assert region_result(outcome)[1]["ImageId"] == NEW_COPY


def test_every_copy_found_gone_in_turn_changes_the_token():
    answers = [(GONE_COPY, ["deregistered"]), ("ami-0000000000000d002", ["empty"]), (NEW_COPY, ["pending"])]

    sent, outcome, _waited = copy_into_eu_west_1(answers)

    assert len(set(fields["ClientToken"] for fields in sent)) == 3
    assert region_result(outcome)[1]["ImageId"] == NEW_COPY


def test_a_copy_that_failed_is_the_region_failure_and_is_not_copied_again():
    sent, outcome, _waited = copy_into_eu_west_1([(NEW_COPY, ["failed"])])

    assert len(sent) == 1
    assert "became failed: the key is disabled" in outcome.error_messages()["eu-west-1"]


def test_a_copy_not_yet_visible_is_looked_for_again_and_not_copied_twice():
    sent, outcome, waited = copy_into_eu_west_1([(NEW_COPY, ["not found", "not found", "pending"])])

    assert len(sent) == 1 and region_result(outcome)[1]["ImageId"] == NEW_COPY
    assert 0 < waited < VISIBILITY_GRACE_SECONDS


def looks_within(seconds, backoff):
    """How often a poll with ``backoff`` looks before ``seconds`` have passed: once at once, then after each sleep."""
    looks, slept = 1, 0.0
    for delay in backoff.delays():
        if slept >= seconds:
            return looks
        slept += min(delay, seconds - slept)
        looks += 1


def test_a_copy_still_unknown_after_the_grace_is_taken_for_gone_and_copied_again():
    looks = looks_within(VISIBILITY_GRACE_SECONDS, Backoff(initial_delay=1.0, max_delay=15.0))
    sent, outcome, waited = copy_into_eu_west_1([(GONE_COPY, ["not found"] * looks), (NEW_COPY, ["pending"])])

    assert len(sent) == 2 and region_result(outcome)[1]["ImageId"] == NEW_COPY
    assert waited >= VISIBILITY_GRACE_SECONDS


def test_a_kms_key_arn_of_another_region_is_refused_naming_the_entry_before_any_call():
    key = "arn:aws:kms:us-west-2:123456789012:key/11111111-1111-1111-1111-111111111111"
    with pytest.raises(InvalidInputError) as refused:
        request(regions=["us-west-2", {"region": "eu-west-1", "kms_key_id": key}])
    assert refused.value.option == "regions[1].kms_key_id"
    assert "is a key in us-west-2, but regions[1] copies to eu-west-1" in str(refused.value)


def test_key_ids_and_alias_names_carry_no_region_and_are_left_to_aws():
    copy_request = request(kms_key_id="alias/bakery", regions=["eu-west-1", {"region": "us-west-2", "kms_key_id": "11111111-1111-1111-1111-111111111111"}])
    assert [target.kms_key_id for target in copy_request.targets] == ["alias/bakery", "11111111-1111-1111-1111-111111111111"]


def test_a_region_botocore_does_not_know_is_refused():
    with pytest.raises(InvalidInputError) as refused:
        request(regions=["eu-north-9"])
    assert refused.value.option == "regions[0].region"
