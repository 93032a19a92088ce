"""Stand-in for the pip bootstrap script ansible-test downloads from a host these machines cannot reach.

ansible-test runs it as `get_pip.py --disable-pip-version-check pip==X --no-setuptools --no-wheel`
inside each fresh sanity venv. ensurepip gives the venv a pip; then the requested pip is installed
from the machine's configured index.
"""

import ensurepip
import os
import subprocess
import sys

ensurepip.bootstrap(upgrade=True)
# ensurepip points PIP_CONFIG_FILE at /dev/null, which would hide the machine's pip config and CA bundle.
os.environ.pop("PIP_CONFIG_FILE", None)
arguments = [argument for argument in sys.argv[1:] if argument not in ("--no-setuptools", "--no-wheel")]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "--quiet"] + arguments))
