# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Ansible side of every module: common connection options, the boto3/botocore check, errors into ``fail_json``."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.bakery.ami.plugins.module_utils._aws.client_factory import HAS_BOTO3, ClientFactory
from ansible_collections.bakery.ami.plugins.module_utils._aws.errors import BakeryError

try:
    import botocore
except ImportError:  # pragma: no cover - reported as a missing library
    botocore = None

# The first botocore release whose service models have each AWS API feature the modules send: each version was checked
# against the PyPI wheels of it and of the release before it (botocore/data/<service>/<version>/service-2.json has the
# operation or member in the one and not in the other). Older releases refuse the request at parameter validation,
# before it reaches AWS. The newest of them is the floor of requirements.txt, the doc fragment and
# execution-environment.yml. Other features the modules send (DisableImage, DescribeImages IncludeDisabled, image block
# public access, refresh BakeTime and AlarmSpecification) are in the floor release, which was checked too.
BOTOCORE_FEATURES = (
    ("1.29.13", "CopyImage CopyImageTags"),
    ("1.29.69", "StartInstanceRefresh AutoRollback"),
    ("1.32.1", "StartInstanceRefresh MaxHealthyPercentage"),
    ("1.34.58", "CopyImage and RegisterImage TagSpecifications"),
    ("1.34.90", "Enable/DisableImageDeregistrationProtection"),
    ("1.38.25", "DeregisterImage DeleteAssociatedSnapshots"),
    ("1.40.18", "DescribeImageReferences"),
)


def _version_tuple(version):
    return tuple(int(part) for part in version.split(".")[:3] if part.isdigit())


MINIMUM_BOTOCORE = max((version for version, _feature in BOTOCORE_FEATURES), key=_version_tuple)


def botocore_too_old(installed):
    """A message naming the version needed and what ``installed`` lacks; None when ``installed`` is new enough."""
    missing = [feature for version, feature in BOTOCORE_FEATURES if _version_tuple(installed) < _version_tuple(version)]
    if not missing:
        return None
    return (
        "bakery.ami needs botocore >= %s (and boto3 >= %s); this Python has botocore %s, which lacks %s. "
        "Upgrade: pip install 'boto3>=%s' 'botocore>=%s'"
        % (MINIMUM_BOTOCORE, MINIMUM_BOTOCORE, installed, "; ".join(missing), MINIMUM_BOTOCORE, MINIMUM_BOTOCORE)
    )


def aws_argument_spec():
    """The options of the ``bakery.ami.aws`` doc fragment."""
    return dict(
        region=dict(type="str", aliases=["aws_region", "ec2_region"], fallback=(env_fallback, ["AWS_REGION", "AWS_DEFAULT_REGION", "EC2_REGION"])),
        profile=dict(type="str", aliases=["aws_profile"], fallback=(env_fallback, ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"])),
        access_key=dict(
            type="str",
            aliases=["aws_access_key_id", "aws_access_key", "ec2_access_key"],
            fallback=(env_fallback, ["AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "EC2_ACCESS_KEY"]),
            no_log=False,
        ),
        secret_key=dict(
            type="str",
            aliases=["aws_secret_access_key", "aws_secret_key", "ec2_secret_key"],
            fallback=(env_fallback, ["AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "EC2_SECRET_KEY"]),
            no_log=True,
        ),
        session_token=dict(
            type="str",
            aliases=["aws_session_token", "security_token", "aws_security_token", "access_token"],
            fallback=(env_fallback, ["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "EC2_SECURITY_TOKEN"]),
            no_log=True,
        ),
        endpoint_url=dict(type="str", aliases=["aws_endpoint_url", "ec2_url"], fallback=(env_fallback, ["AWS_URL", "EC2_URL"])),
        validate_certs=dict(type="bool", default=True),
        aws_ca_bundle=dict(type="path", fallback=(env_fallback, ["AWS_CA_BUNDLE"])),
        aws_config=dict(type="dict"),
    )


class BakeryAwsModule:
    """An ``AnsibleModule`` with the common AWS options and a client factory built from them."""

    def __init__(self, argument_spec, **kwargs):
        spec = aws_argument_spec()
        spec.update(argument_spec)
        mutually_exclusive = list(kwargs.pop("mutually_exclusive", []))
        mutually_exclusive.append(["profile", "access_key"])
        mutually_exclusive.append(["profile", "secret_key"])
        mutually_exclusive.append(["profile", "session_token"])
        self.ansible = AnsibleModule(argument_spec=spec, mutually_exclusive=mutually_exclusive, **kwargs)
        if not HAS_BOTO3:
            self.ansible.fail_json(msg=missing_required_lib("boto3 and botocore"))
        too_old = botocore_too_old(botocore.__version__)
        if too_old:
            self.ansible.fail_json(msg=too_old, botocore_version=botocore.__version__, botocore_required=MINIMUM_BOTOCORE)
        self._client_factory = None

    @property
    def params(self):
        return self.ansible.params

    @property
    def request_params(self):
        """The parameters for a module's ``ModuleRequest``: ``region`` resolved as the clients resolve it (the option,
        the environment or the profile's configuration)."""
        return dict(self.params, region=self.client_factory.region)

    @property
    def check_mode(self):
        return self.ansible.check_mode

    @property
    def diff_mode(self):
        return self.ansible._diff

    @property
    def client_factory(self):
        if self._client_factory is None:
            self._client_factory = ClientFactory.from_params(self.params)
        return self._client_factory

    def run(self, work):
        """Call ``work()`` and exit with its result dict; a ``BakeryError`` becomes ``fail_json``.

        Results carry their ``diff`` (modules plan before they act); it is shown only in diff mode.
        """
        try:
            result = work()
        except BakeryError as error:
            self.ansible.fail_json(msg=str(error), **self._without_unasked_diff(error.result_fields()))
        self.ansible.exit_json(**self._without_unasked_diff(result))

    def _without_unasked_diff(self, result):
        if not self.diff_mode:
            result = dict(result)
            result.pop("diff", None)
        return result
