"""The parameters a module's ``from_params`` receives, as AnsibleModule hands them over: every option of the module's
``argument_spec`` (and the common AWS options) present, its default filled in unless the test gives a value. Tests go
through the modules' real defaults, which are written only in their argument specs."""

from __future__ import annotations

import importlib

from ansible_collections.bakery.ami.plugins.module_utils._aws.bakery_module import aws_argument_spec


def module_params(module, **given):
    spec = aws_argument_spec()
    spec.update(importlib.import_module("ansible_collections.bakery.ami.plugins.modules.%s" % module).argument_spec())
    params = dict((name, option.get("default")) for name, option in spec.items())
    unknown = sorted(set(given) - set(spec))
    if unknown:
        raise KeyError("%s has no option %s" % (module, ", ".join(unknown)))
    params.update(given)
    for name, option in spec.items():
        # As AnsibleModule does: a dict option's suboption defaults fill in what was given (or, with apply_defaults,
        # an option not given at all).
        if option.get("options") and (isinstance(params[name], dict) or (params[name] is None and option.get("apply_defaults"))):
            params[name] = dict(dict((sub, suboption.get("default")) for sub, suboption in option["options"].items()), **(params[name] or {}))
    return params
