"""Run order for `make pytest`: the few modules that bake with podman-backed builders (minutes per test) start first.

pytest-xdist hands tests out in collection order; collected last (tests/integration comes last), the longest tests
left one worker idle for their whole length at the end of the run. Started first, the short tests fill the gaps
behind them and both workers finish together. Whole modules move, in their own order, so module fixtures are set up
once as before.
"""

# Longest first (durations of `make test` on 2 cores).
LONG_RUNNING_MODULES = (
    "tests/integration/test_bake.py",
    "tests/integration/test_patch_playbook.py",
    "tests/integration/test_bake_ssm.py",
    "tests/integration/test_awx_workflow.py",
    "tests/integration/test_awx_job_templates.py",
)


def _rank(item):
    path = item.nodeid.split("::", 1)[0]
    return LONG_RUNNING_MODULES.index(path) if path in LONG_RUNNING_MODULES else len(LONG_RUNNING_MODULES)


def pytest_collection_modifyitems(items):
    items.sort(key=_rank)
