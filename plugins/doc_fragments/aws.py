# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Same option names, aliases and environment variables as amazon.aws, so estates reuse their variables.
    DOCUMENTATION = r"""
options:
  region:
    description:
      - The AWS region to use.
      - If not set, the value of the E(AWS_REGION) or E(AWS_DEFAULT_REGION) environment variable, then the
        region of the O(profile) in the AWS config file, is used.
    type: str
    aliases: [aws_region, ec2_region]
  profile:
    description:
      - A named AWS profile to use for authentication.
      - The E(AWS_PROFILE) environment variable may be used instead.
      - Mutually exclusive with O(access_key), O(secret_key) and O(session_token).
    type: str
    aliases: [aws_profile]
  access_key:
    description:
      - AWS access key ID.
      - The E(AWS_ACCESS_KEY_ID) or E(AWS_ACCESS_KEY) environment variables may be used instead.
      - If neither this nor O(profile) is set, botocore's credential chain (environment, config files,
        instance or container role) is used.
    type: str
    aliases: [aws_access_key_id, aws_access_key, ec2_access_key]
  secret_key:
    description:
      - AWS secret access key.
      - The E(AWS_SECRET_ACCESS_KEY) or E(AWS_SECRET_KEY) environment variables may be used instead.
    type: str
    aliases: [aws_secret_access_key, aws_secret_key, ec2_secret_key]
  session_token:
    description:
      - AWS STS session token for use with temporary credentials.
      - The E(AWS_SESSION_TOKEN) environment variable may be used instead.
    type: str
    aliases: [aws_session_token, security_token, aws_security_token, access_token]
  endpoint_url:
    description:
      - URL to connect to instead of the default AWS endpoints (for example a local emulator or a VPC endpoint).
      - The E(AWS_URL) or E(EC2_URL) environment variables may be used instead; botocore's own
        E(AWS_ENDPOINT_URL) and E(AWS_ENDPOINT_URL_<SERVICE>) variables also work when this is not set.
    type: str
    aliases: [aws_endpoint_url, ec2_url]
  validate_certs:
    description:
      - When set to V(false), SSL certificates are not validated for communication with the AWS APIs.
    type: bool
    default: true
  aws_ca_bundle:
    description:
      - The location of a CA bundle to use when validating SSL certificates.
      - The E(AWS_CA_BUNDLE) environment variable may be used instead.
    type: path
  aws_config:
    description:
      - A dictionary of botocore client configuration, merged into botocore's C(Config).
      - The collection uses botocore's V(standard) retry mode with 12 attempts; set for example
        C(retries) to C(mode=adaptive) and C(max_attempts=20) to change that.
    type: dict
notes:
  - Retries on throttling, 5xx errors and dropped connections are botocore's own (standard or adaptive retry mode).
requirements:
  - python >= 3.9
  - boto3 >= 1.40.18
  - botocore >= 1.40.18 (the first with every AWS API feature the modules send; each module checks it at start)
"""
