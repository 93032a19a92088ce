# -*- coding: utf-8 -*-
# Copyright: bakery.ami contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""When an image was last used to launch an instance, as AWS reports it.

AWS (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageAttribute.html, ``lastLaunchedTime``):
"The date and time, in ISO 8601 date-time format, when the AMI was last used to launch an EC2 instance. When the AMI is
used to launch an instance, there is a 24-hour delay before that usage is reported." It counts launches in every
account (an account an image is shared with too), which nothing else the owner can read shows. A launch of the last
24 hours may not be reported yet: that window is covered only by what ``images_in_use`` sees (instances still
running), so the period an image stays protected is longer than a day.
"""

from __future__ import annotations

from ansible_collections.bakery.ami.plugins.module_utils._ami.deprecation import parse_aws_time


def last_launched_time(ec2_api, image_id):
    """The reported last launch (an aware datetime), or None when AWS reports none."""
    response = ec2_api.call("describe_image_attribute", ImageId=image_id, Attribute="lastLaunchedTime")
    value = (response.get("LastLaunchedTime") or {}).get("Value")
    return parse_aws_time(value) if value else None
