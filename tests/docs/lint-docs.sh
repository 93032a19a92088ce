#!/usr/bin/env bash
# Documentation lint: what the Ansible docs site (antsibull-docs) and `ansible-doc` need, and the changelog.
#   1. antsibull-docs lint-collection-docs --plugin-docs: every module's DOCUMENTATION/EXAMPLES/RETURN and every
#      role's argument spec against the docs schema, semantic markup (O(), V(), RV(), M(), ...) pointing at options
#      and return values that exist, the generated RST through rstcheck, and the extra docs in docs/docsite
#      (extra-docs.yml, links.yml, rst/*.rst) with their collection references.
#   2. antsibull-changelog lint: changelogs/config.yaml, changelogs/changelog.yaml and every fragment.
# Run from anywhere; exits non-zero on the first failing linter (after running both).
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
export PATH="${VENV_BIN:-$repo/.venv/bin}:$PATH"
# The collection must be importable as ansible_collections.bakery.ami (the Makefile's collection-link).
mkdir -p .collections/ansible_collections/bakery
[[ -e .collections/ansible_collections/bakery/ami ]] || ln -sfn "$repo" .collections/ansible_collections/bakery/ami
export ANSIBLE_COLLECTIONS_PATH="$repo/.collections"

status=0
echo "[lint-docs] antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs"
antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs \
  --validate-collection-refs self --disallow-unknown-collection-refs . || status=1
echo "[lint-docs] antsibull-changelog lint"
antsibull-changelog lint || status=1
exit $status
