"""Local AWS endpoint for bakery.ami's tests: moto's server plus our extensions.

MOTO_AMIS_PATH must be set before moto is first imported: moto reads it at import
time (moto/ec2/models/amis.py) and otherwise loads ~1300 default AMIs, which makes an
unfiltered DescribeImages take seconds. setdefault lets a caller point at another file.
"""

import os
from pathlib import Path

FIXTURE_AMIS_PATH = Path(__file__).resolve().parent / "fixtures" / "amis.json"

os.environ.setdefault("MOTO_AMIS_PATH", str(FIXTURE_AMIS_PATH))
