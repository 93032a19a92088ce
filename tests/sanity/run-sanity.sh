#!/usr/bin/env bash
# ansible-test sanity on the shipped content of the collection, placed at ansible_collections/bakery/ami.
# Usage: tests/sanity/run-sanity.sh [ansible-test sanity options, e.g. --test validate-modules]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
venv_bin="$repo/.venv/bin"
pip_version=$("$venv_bin/python" - <<'PY'
from ansible_test._internal.python_requirements import get_venv_packages
class Python: version = "3.11"
print(get_venv_packages(Python())["pip"])
PY
)
cache="$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
mkdir -p "$(dirname "$cache")"
cp "$repo/tests/sanity/get_pip_standin.py" "$cache"

# Outside the checkout: inside it, ansible-test would ask git, which ignores the copy.
build=$(mktemp -d "${TMPDIR:-/tmp}/bakery-sanity.XXXXXX")
trap 'rm -rf "$build"' EXIT
target="$build/ansible_collections/bakery/ami"
mkdir -p "$target"
# Only what the collection ships: tests, the emulator and developer tooling are not part of it.
cd "$repo"
git ls-files -z --cached --others --exclude-standard \
  | grep -zvE '^(tests/|conftest\.py$|pytest\.ini$|Makefile$|\.ci/|requirements-dev\.txt$|roles/[^/]+/molecule/)' \
  | while IFS= read -r -d '' path; do [ -e "$path" ] && printf '%s\0' "$path"; done \
  | xargs -0 cp --parents -t "$target"
mkdir -p "$target/tests/sanity"
cd "$target"
PATH="$venv_bin:$PATH" ansible-test sanity --venv --python 3.11 --color no "$@"
