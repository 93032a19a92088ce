# bakery.ami — two commands: `make demo` and `make test`. Everything else is installed from here.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      ?= .venv
PY        := $(VENV)/bin/python
BIN       := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
# The collection must be importable as ansible_collections.bakery.ami: .collections holds a link to this checkout.
COLLECTIONS_ROOT := $(abspath .collections)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS_ROOT)
PYTEST_WORKERS ?= 2

.PHONY: help venv collection-link test test-python static pytest unit integration emulator-tests sanity lint molecule demo bench clean host-images ee docs-lint

help:
	@echo "make demo   - run the main job against the local AWS emulator"
	@echo "make test   - install everything and run every test layer"
	@echo "make bench  - fault matrix + benchmarks vs amazon.aws/community.aws -> docs/reliability.md, docs/performance.md (not a test gate)"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

collection-link:
	mkdir -p $(COLLECTIONS_ROOT)/ansible_collections/bakery
	ln -sfn $(CURDIR) $(COLLECTIONS_ROOT)/ansible_collections/bakery/ami

# The emulator's own tests, unit tests and integration tests share one pytest run (one start-up, one worker pool).
# The fault matrix's cells marked full_fault_matrix run in `make bench` (tests/integration/reliability/faults.py).
pytest: venv collection-link
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) -m "not full_fault_matrix" --durations=30 --junitxml=tests/output/pytest-junit.xml \
	  tests/emulator/tests tests/unit tests/integration

emulator-tests: venv collection-link
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) tests/emulator/tests

unit: venv collection-link
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) tests/unit

integration: venv collection-link
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) tests/integration

sanity: venv
	tests/sanity/run-sanity.sh

lint: venv collection-link
	ansible-lint --profile production

# podman, runc, debootstrap and the Debian 12 / AL2023 stand-in base images, built once and shared by molecule and ee.
host-images: venv
	tests/molecule/setup-host.sh

molecule: venv host-images
	tests/molecule/run-all.sh

ee: venv collection-link host-images
	tests/ee/build-ee.sh
	$(PY) -m pytest -q -p no:xdist tests/ee

docs-lint: venv collection-link
	tests/docs/lint-docs.sh
	$(PY) -m pytest -q -p no:xdist tests/docs

# Suites are independent; molecule (slow, mostly package installs inside containers) runs beside the Python suites,
# and the static checks (one process each, minutes) beside pytest rather than after it.
test: venv collection-link
	$(MAKE) --no-print-directory host-images
	$(MAKE) --no-print-directory -k -j4 --output-sync=recurse pytest static molecule ee

test-python: venv collection-link
	$(MAKE) --no-print-directory -k -j1 pytest static

static: venv collection-link
	$(MAKE) --no-print-directory -k -j1 sanity lint docs-lint

bench: venv collection-link
	tests/benchmarks/run.sh

demo: venv collection-link
	tests/demo/run-demo.sh

clean:
	rm -rf .collections .build tests/output .pytest_cache
