# 工人日报 digital edition. `make` sets up, ingests seeds/ and builds public/; `make test` tests.
PY      := .venv/bin/python
VENV    := .venv/.installed
THEME   ?= default
CONFIG  ?= site.yaml

.PHONY: all site ingest build serve check test lint bench clean

all: site

$(VENV): pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install --quiet --upgrade pip
	.venv/bin/pip install --quiet -e '.[test]'
	touch $(VENV)

ingest: $(VENV)
	$(PY) build.py ingest --seeds seeds --content content

build: $(VENV)
	$(PY) build.py build --content content --out public --theme $(THEME) --config $(CONFIG)

site: ingest build

serve: $(VENV)
	$(PY) build.py serve --content content --out public --theme $(THEME) --config $(CONFIG)

check: $(VENV)
	$(PY) build.py check --content content $(if $(wildcard public/.manifest.json),--out public)

lint: $(VENV)
	.venv/bin/ruff check site_builder tests
	.venv/bin/mypy

test: lint
	$(PY) -m pytest

clean:
	rm -rf public .pytest_cache test-artifacts
