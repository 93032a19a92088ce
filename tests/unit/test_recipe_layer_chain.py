"""Layers are data: validated before any AWS call, ordered parents first."""

import pytest

from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import InvalidInputError
from ansible_collections.bakery.ami.plugins.plugin_utils.layer_chain import layer_roots, layers_to_bake

BASES = {"debian12": {"name": "debian-12-amd64-*"}}
LAYERS = [
    {"name": "web-server-000", "base": "debian12", "roles": ["web_base"]},
    {"name": "web-server-001", "parent": "web-server-000", "roles": ["redis"]},
    {"name": "web-server-002", "parent": "web-server-001", "roles": ["imagemagick"]},
    {"name": "other-000", "base": "debian12", "roles": ["redis"]},
]


def names(layers):
    return [layer["name"] for layer in layers]


def test_a_target_brings_its_ancestors_first():
    assert names(layers_to_bake(LAYERS, BASES, "web-server-002")) == ["web-server-000", "web-server-001", "web-server-002"]


def test_without_chain_only_the_target_is_baked():
    assert names(layers_to_bake(LAYERS, BASES, "web-server-002", chain=False)) == ["web-server-002"]


def test_without_a_target_every_layer_is_baked_parents_first():
    reordered = [LAYERS[2], LAYERS[0], LAYERS[1], LAYERS[3]]
    assert names(layers_to_bake(reordered, BASES)) == ["web-server-000", "web-server-001", "web-server-002", "other-000"]


def test_an_optional_layer_and_the_layers_below_it_are_baked_only_when_a_target_asks_for_them():
    layers = LAYERS + [{"name": "app-000", "parent": "web-server-002", "roles": ["rails_app"], "optional": True},
                       {"name": "app-001", "parent": "app-000", "roles": ["extra"]}]

    assert names(layers_to_bake(layers, BASES)) == ["web-server-000", "web-server-001", "web-server-002", "other-000"]
    assert names(layers_to_bake(layers, BASES, "app-000")) == ["web-server-000", "web-server-001", "web-server-002", "app-000"]
    assert names(layers_to_bake(layers, BASES, "app-001"))[-2:] == ["app-000", "app-001"]


@pytest.mark.parametrize(
    "layers, message",
    [
        ([{"name": "a", "parent": "missing", "roles": []}], "'missing', which is not a layer"),
        ([{"name": "a", "base": "debian12", "parent": "b", "roles": []}], "exactly one of parent"),
        ([{"name": "a", "base": "centos", "roles": []}], "'centos' is not in bake_base_images"),
        ([{"name": "a", "base": "debian12", "roles": "redis"}], "must be a list of role names"),
        ([{"name": "a", "base": "debian12", "roles": [], "colour": 1}], "unknown key(s) ['colour']"),
        ([{"name": "a", "base": "debian12", "roles": [], "optional": "yes"}], "optional must be true or false"),
        ([{"name": "a", "parent": "b", "roles": []}, {"name": "b", "parent": "a", "roles": []}], "parent cycle"),
        ([{"name": "a", "base": "debian12", "roles": []}] * 2, "defined twice"),
    ],
)
def test_bad_layers_are_refused_naming_the_problem(layers, message):
    with pytest.raises(InvalidInputError, match=None) as error:
        layers_to_bake(layers, BASES)
    assert message in str(error.value)


def test_an_unknown_target_names_the_known_layers():
    with pytest.raises(InvalidInputError) as error:
        layers_to_bake(LAYERS, BASES, "web-server-009")
    assert "web-server-000" in str(error.value)


def test_every_layer_knows_the_root_and_base_of_its_chain():
    layers = LAYERS + [{"name": "al-000", "base": "al2023", "roles": ["web_base"]}, {"name": "al-001", "parent": "al-000", "roles": ["redis"]}]
    roots = layer_roots(layers, dict(BASES, al2023={"ssm_parameter": "/aws/x"}))
    assert roots["web-server-002"] == {"root": "web-server-000", "base": "debian12"}
    assert roots["web-server-000"] == {"root": "web-server-000", "base": "debian12"}
    assert roots["al-001"] == {"root": "al-000", "base": "al2023"}
