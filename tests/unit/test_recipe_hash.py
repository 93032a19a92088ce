"""The recipe hash decides whether a layer is rebuilt: same inputs, same hash; any input changed, new hash."""

import pytest

from ansible_collections.bakery.ami.plugins.plugin_utils.recipe_hash import (
    declared_variables,
    recipe_hash,
    role_file_digests,
    variables_the_build_sees,
)


@pytest.fixture
def role(tmp_path):
    path = tmp_path / "redis"
    (path / "tasks").mkdir(parents=True)
    (path / "tasks" / "main.yml").write_text("- name: install\n")
    (path / "defaults").mkdir()
    (path / "defaults" / "main.yml").write_text("redis_port: 6379\n")
    return path


def hash_of(role_path, parent="ami-0123456789abcdef0", variables=None):
    return recipe_hash(parent, [("redis", role_file_digests(role_path))], variables or {})


def test_same_inputs_give_the_same_hash(role):
    assert hash_of(role) == hash_of(role)
    assert len(hash_of(role)) == 64


def test_variable_order_does_not_matter(role):
    assert hash_of(role, variables={"a": 1, "b": 2}) == hash_of(role, variables={"b": 2, "a": 1})


def test_a_new_parent_image_changes_the_hash(role):
    assert hash_of(role) != hash_of(role, parent="ami-0fedcba9876543210")


def test_a_changed_variable_changes_the_hash(role):
    assert hash_of(role, variables={"redis_maxmemory": "1gb"}) != hash_of(role, variables={"redis_maxmemory": "2gb"})


def test_a_changed_role_file_changes_the_hash(role):
    before = hash_of(role)
    (role / "defaults" / "main.yml").write_text("redis_port: 6380\n")
    assert hash_of(role) != before


def test_molecule_scenarios_and_caches_do_not_change_the_hash(role):
    before = hash_of(role)
    (role / "molecule" / "default").mkdir(parents=True)
    (role / "molecule" / "default" / "verify.yml").write_text("- hosts: all\n")
    (role / "tasks" / "main.yml.swp").write_text("x")
    assert hash_of(role) == before


def test_role_order_is_part_of_the_recipe(role):
    digests = role_file_digests(role)
    assert recipe_hash("ami-1", [("a", digests), ("b", {})], {}) != recipe_hash("ami-1", [("b", {}), ("a", digests)], {})


def test_the_declared_variables_are_the_main_entry_points_options(role):
    (role / "meta").mkdir()
    (role / "meta" / "argument_specs.yml").write_text(
        "argument_specs:\n  main:\n    options:\n      redis_port: {type: int}\n      redis_maxmemory: {type: str}\n"
        "  other:\n    options:\n      redis_other: {type: str}\n")
    assert declared_variables(role) == ["redis_maxmemory", "redis_port"]


def test_a_role_without_argument_specs_declares_nothing(role):
    assert declared_variables(role) == []


def test_an_extra_var_wins_over_the_layer_variable_which_wins_over_any_other_setting():
    declared = ["a", "b", "c", "d"]
    defined = {"a": "from -e", "b": "from group_vars", "c": "from group_vars"}
    seen = variables_the_build_sees({"a": "layer", "b": "layer", "e": "layer only"}, declared, defined, command_line={"a"})
    assert seen == {"a": "from -e", "b": "layer", "c": "from group_vars", "e": "layer only"}


def test_a_declared_variable_set_nowhere_is_left_to_the_role_default_in_its_files():
    assert variables_the_build_sees({}, ["a"], {}, set()) == {}
