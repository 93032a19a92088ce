"""image_parameter through real ansible-playbook runs against the emulator.

Convergence under faults is the image_parameter row of tests/integration/reliability/test_fault_matrix.py, and
malformed names, ids and regions are refused before any call in reliability/bad_input_cases.py.
"""

import pytest

from tests.emulator.tests.autoscaling_arrangements import own_image

NAME = "/bakery/web-server-003/latest"
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]


@pytest.fixture
def images(aws):
    """An own image in each region, and a second generation of them."""
    first = dict((region, own_image(aws.client("ec2", region), "web-server-003-a")) for region in REGIONS)
    second = dict((region, own_image(aws.client("ec2", region), "web-server-003-b")) for region in REGIONS)
    return first, second


def parameter_task(**options):
    return [{"name": "publish", "bakery.ami.image_parameter": dict({"name": NAME}, **options)}]


def stored(aws, region, name=NAME):
    parameter = aws.client("ssm", region).get_parameter(Name=name)["Parameter"]
    return parameter["Value"], parameter["DataType"], parameter["Version"]


def test_check_mode_then_publish_in_three_regions_then_rerun_makes_no_mutating_call(aws, images, playbook):
    first, _ = images
    aws.control.clear_calls()

    planned = playbook(parameter_task(image_ids=first), check=True, diff=True).task("publish")
    assert planned.changed and [entry["action"] for entry in planned["parameters"]] == ["create"] * 3
    assert aws.control.mutating_calls() == []

    published = playbook(parameter_task(image_ids=first, tags={"team": "web"}, description="newest web-server-003")).task("publish")
    assert published.changed and published["image_ids"] == first
    for region in REGIONS:
        assert stored(aws, region) == (first[region], "aws:ec2:image", 1)
    tags = aws.client("ssm", "eu-west-1").list_tags_for_resource(ResourceType="Parameter", ResourceId=NAME)["TagList"]
    assert tags == [{"Key": "team", "Value": "web"}]

    aws.control.clear_calls()
    again = playbook(parameter_task(image_ids=first, tags={"team": "web"}, description="newest web-server-003")).task("publish")
    assert not again.changed and [entry["action"] for entry in again["parameters"]] == ["none"] * 3
    assert aws.control.mutating_calls() == []
    # One GetParameter, one DescribeParameters (description) and one ListTagsForResource per region: nothing listed.
    assert aws.control.counts() == {"ssm:GetParameter": 3, "ssm:DescribeParameters": 3, "ssm:ListTagsForResource": 3}


def test_a_new_generation_updates_each_region_and_diff_shows_before_and_after(aws, images, playbook):
    first, second = images
    playbook(parameter_task(image_ids=first))

    run = playbook(parameter_task(image_ids=second), diff=True)

    task = run.task("publish")
    assert task.changed and [entry["action"] for entry in task["parameters"]] == ["update"] * 3
    assert [(entry["previous_image_id"], entry["image_id"], entry["version"]) for entry in task["parameters"]] == [
        (first[region], second[region], 2) for region in sorted(REGIONS)
    ]
    for region in REGIONS:
        assert stored(aws, region) == (second[region], "aws:ec2:image", 2)
    assert "ami-" in run.stdout and first["eu-west-1"] in run.stdout and second["eu-west-1"] in run.stdout


def test_an_image_missing_in_one_region_stops_every_region_before_any_write(aws, images, playbook):
    first, _ = images
    wrong = dict(first, **{"eu-west-1": first["us-east-1"]})
    aws.control.clear_calls()

    task = playbook(parameter_task(image_ids=wrong)).task("publish")

    assert task.failed and first["us-east-1"] in task["msg"] and "eu-west-1" in task["msg"]
    assert task["invalid_option"] == "image_ids"
    assert aws.control.mutating_calls() == []


def test_a_text_parameter_of_that_name_is_reported_not_replaced(aws, images, playbook):
    first, _ = images
    aws.client("ssm", "eu-west-1").put_parameter(Name=NAME, Value="not an image", Type="String")
    aws.control.clear_calls()

    task = playbook(parameter_task(image_ids=first)).task("publish")

    assert task.failed and "data type text" in task["msg"] and "eu-west-1" in task["msg"]
    assert aws.control.mutating_calls() == []


def test_absent_deletes_in_the_given_regions_only_and_twice_is_no_change(aws, images, playbook):
    first, _ = images
    playbook(parameter_task(image_ids=first))

    removed = playbook(parameter_task(state="absent", regions=["eu-west-1", "ap-southeast-2"])).task("publish")
    assert removed.changed and [entry["action"] for entry in removed["parameters"]] == ["delete", "delete"]
    assert stored(aws, "us-east-1")[0] == first["us-east-1"]
    assert aws.client("ssm", "eu-west-1").describe_parameters()["Parameters"] == []

    aws.control.clear_calls()
    again = playbook(parameter_task(state="absent", regions=["eu-west-1", "ap-southeast-2"])).task("publish")
    assert not again.changed and aws.control.mutating_calls() == []


def test_image_info_resolves_the_published_parameter(aws, images, playbook):
    first, _ = images
    playbook(parameter_task(image_ids=first))

    task = playbook([{"name": "find", "bakery.ami.image_info": {"ssm_parameter": NAME, "region": "eu-west-1", "most_recent": True}}]).task("find")

    assert task["image"]["image_id"] == first["eu-west-1"]


def test_a_create_whose_answer_is_lost_after_it_took_effect_is_adopted_as_version_1_with_its_tags(aws, images, playbook):
    first, _ = images
    aws.control.set_faults([{"action": "ssm:PutParameter", "kind": "after_commit", "times_per_action": 1}])

    task = playbook(parameter_task(image_ids=first, tags={"team": "web"})).task("publish")

    assert task.changed and not task.failed, task.result
    assert sum(1 for call in aws.control.calls() if call["fault"] == "after_commit") == len(REGIONS)
    for region in REGIONS:
        assert stored(aws, region) == (first[region], "aws:ec2:image", 1)
        assert aws.client("ssm", region).list_tags_for_resource(ResourceType="Parameter", ResourceId=NAME)["TagList"] == [{"Key": "team", "Value": "web"}]


def test_a_delete_whose_connection_drops_after_it_took_effect_succeeds(aws, images, playbook):
    first, _ = images
    playbook(parameter_task(image_ids=first))
    aws.control.set_faults([{"action": "ssm:DeleteParameter", "kind": "after_commit", "answer": "drop", "times_per_action": 1}])

    task = playbook(parameter_task(state="absent", regions=REGIONS)).task("publish")

    assert task.changed and not task.failed, task.result
    assert sum(1 for call in aws.control.calls() if call["fault"] == "after_commit") == len(REGIONS)
    assert all(aws.client("ssm", region).describe_parameters()["Parameters"] == [] for region in REGIONS)
