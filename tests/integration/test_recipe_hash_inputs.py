"""The recipe hash sees every variable a layer's roles declare (their argument specs), wherever it is set, with the
precedence the build gives it: extra vars (-e, AWX extra vars) over the layer's vars over inventory/group_vars. A
variable the roles do not declare changes nothing. Real ansible-playbook runs of the lookup with the web_base role."""

from __future__ import annotations

import json

from tests.integration.playbook_runner import run_tasks

PARENT = "ami-0123456789abcdef0"


def recipe(tmp_path, name, layer_vars=None, extra_vars=None, group_vars=None, roles=("web_base",)):
    """The recipe hash of a layer applying ``roles`` with ``layer_vars``, in a run given ``extra_vars`` (-e) and an
    inventory whose group_vars/all.yml holds ``group_vars``."""
    run_dir = tmp_path / name
    inventory = run_dir / "inventory"
    (inventory / "group_vars").mkdir(parents=True)
    (inventory / "hosts.yml").write_text("all:\n  hosts:\n    localhost:\n      ansible_connection: local\n")
    (inventory / "group_vars" / "all.yml").write_text(json.dumps(group_vars or {}))
    task = {
        "name": "hash",
        "ansible.builtin.debug": {
            "msg": "{{ lookup('bakery.ami.recipe_hash', parent_image_id='%s', roles=%s, role_vars=%s) }}"
            % (PARENT, json.dumps(list(roles)), json.dumps(layer_vars or {}))
        },
    }
    run = run_tasks(run_dir, {}, [task], extra_vars=extra_vars, args=("-i", str(inventory / "hosts.yml")))
    assert run.succeeded, run.stdout[-3000:] + run.stderr[-3000:]
    return run.task("hash")["msg"]


def test_web_base_nodejs_major_set_with_e_changes_the_recipe(tmp_path):
    assert recipe(tmp_path, "e", extra_vars={"web_base_nodejs_major": 22}) != recipe(tmp_path, "plain")


def test_web_base_nodejs_major_set_in_group_vars_changes_the_recipe_as_e_does(tmp_path):
    from_group_vars = recipe(tmp_path, "group_vars", group_vars={"web_base_nodejs_major": 22})
    assert from_group_vars != recipe(tmp_path, "plain")
    assert from_group_vars == recipe(tmp_path, "e", extra_vars={"web_base_nodejs_major": 22})


def test_a_variable_no_role_declares_changes_nothing(tmp_path):
    plain = recipe(tmp_path, "plain")
    assert recipe(tmp_path, "e", extra_vars={"unrelated_setting": "x"}) == plain
    assert recipe(tmp_path, "group_vars", group_vars={"unrelated_setting": "x", "redis_maxmemory": "1gb"}) == plain


def test_the_layer_variable_wins_over_group_vars_and_extra_vars_win_over_it(tmp_path):
    layer_20 = recipe(tmp_path, "layer", layer_vars={"web_base_nodejs_major": 20})
    assert recipe(tmp_path, "layer_and_group_vars", layer_vars={"web_base_nodejs_major": 20}, group_vars={"web_base_nodejs_major": 22}) == layer_20
    assert recipe(tmp_path, "layer_and_e", layer_vars={"web_base_nodejs_major": 20}, extra_vars={"web_base_nodejs_major": 22}) == recipe(
        tmp_path, "e", extra_vars={"web_base_nodejs_major": 22})


def test_a_templated_value_counts_resolved(tmp_path):
    templated = recipe(tmp_path, "templated", group_vars={"node_major": 22, "web_base_nodejs_major": "{{ node_major }}"})
    assert templated == recipe(tmp_path, "group_vars", group_vars={"web_base_nodejs_major": 22})


def test_the_hygiene_roles_declared_variables_count_too(tmp_path):
    roles = ("web_base", "image_hygiene")
    changed = recipe(tmp_path, "hygiene", roles=roles, extra_vars={"image_hygiene_ssh_host_keys_remove": False})
    assert changed != recipe(tmp_path, "plain", roles=roles)
