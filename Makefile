# Keras-Spickzettel: the two commands of the README, and the steps they are made of.
#   make serve  - install, verify every snippet, build, serve site/ at http://127.0.0.1:8000
#   make test   - install, lint, verify every snippet, build, run every test
# The flow is one way: snippets/ -> verify (pytest + Sybil) -> build (mkdocs) -> site/ -> tests.
# Maintainer commands (CONTRIBUTING.md):
#   make refresh - after a library upgrade: rewrite stale expected outputs, then verify
#   make topic NAME=my-topic TITLE_DE="..." TITLE_EN="..." [SECTION="..." SECTION_EN="..."]
#   make format  - ruff format the project's Python and the code in the snippets
#   make audit   - Lighthouse over every built page: the table of its four scores

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: serve test install math-font verify build lint tests browser browser-deps screenshots audit clean refresh topic format

# Serves the built site/ as it is, with the cheat-sheet PDFs: `mkdocs serve` builds
# into a folder of its own without the post-build PDF step, so its PDF links would
# lead nowhere. The verification cache keeps the build quick; after a change run
# `make serve` again (it executes only the snippets that changed).
serve: browser-deps build
	@echo "Serving site/ at http://127.0.0.1:8000 (Ctrl+C stops; after a change: make serve)"
	$(PY) -m http.server 8000 --bind 127.0.0.1 --directory site

test: install browser-deps lint verify build tests

install: $(STAMP) math-font
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --editable .
	touch $(STAMP)

# Executes every code block in snippets/ (and docs/) and every exercise notebook in
# snippets/exercises/, writes docs/figures/, docs/*/exercises/ (notebooks, pages) and the
# verification record .verified/record.json that the build checks. A file whose
# content, engine and installed packages are unchanged since its last clean run is
# restored from .verified/cache/ instead (spickzettel/verify/cache.py); FRESH=1 runs all.
# --no-loadscope-reorder: keep the collection order (notebooks first, see
# spickzettel/verify/pytest_plugin.py); xdist would otherwise start the files with most examples.
# The Sybil plugin is loaded here, by name, and by no other pytest run.
# Every Keras backend runs on its own (the backend is fixed when keras is imported),
# TensorFlow first: its run writes the figures and notebooks the pages show; each
# run writes its own record (spickzettel/core/backends.py). All of them run even
# when one fails, and the build refuses a record that is missing or failed.
# BACKENDS="jax" narrows a run (the build still wants all three).
# After an edit to a topic or two the runs go side by side instead, one worker each,
# their reports printed after them (spickzettel/tools/verify_plan.py decides and says why).
BACKENDS ?= tensorflow jax torch
SYBIL_ALONE := $(PY) -m pytest -p spickzettel.verify.pytest_plugin snippets docs \
	-p no:cacheprovider
SYBIL := $(SYBIL_ALONE) -n 2 --dist loadfile --no-loadscope-reorder
EACH_BACKEND = status=0; for backend in $(BACKENDS); do \
	echo "== verify on $$backend =="; \
	KERAS_BACKEND=$$backend $(SYBIL) $(1) || status=1; done; exit $$status
SIDE_BY_SIDE = logs=build/verify-logs; mkdir -p $$logs; pids=; \
	for backend in $(BACKENDS); do \
	KERAS_BACKEND=$$backend $(SYBIL_ALONE) $(1) > $$logs/verify.$$backend.log 2>&1 & \
	pids="$$pids $$!"; done; \
	status=0; for pid in $$pids; do wait $$pid || status=1; done; \
	for backend in $(BACKENDS); do echo "== verify on $$backend (side by side) =="; \
	cat $$logs/verify.$$backend.log; done; exit $$status
verify: install
	@if [ -z "$(FRESH)" ] && $(PY) -m spickzettel.tools.verify_plan $(BACKENDS); \
	then $(call SIDE_BY_SIDE,--durations=5); \
	else $(call EACH_BACKEND,$(if $(FRESH),--fresh) --durations=5); fi

# Rewrites the expected outputs that no longer match what the code prints (only
# those lines), lists the files changed, then verifies everything again. On JAX
# or PyTorch a different output is declared as that backend's own section
# ([backend: jax], spickzettel/core/output_variants.py), never over TensorFlow's.
refresh: install
	@$(call EACH_BACKEND,--update-outputs -q)
	@$(call EACH_BACKEND,--durations=5)

# mkdocs builds site/ from the verified snippets; then spickzettel/downloads/pdf.py prints the
# built cheat sheet of each language with Chromium into site/ (two A4 pages each,
# the verification stamp in the footer). Without Chromium the build stops and says so.
# Then spickzettel/downloads/offline.py copies the finished site (PDFs and notebooks included)
# into build/offline/, makes it work from disk (file://), zips it into site/ and
# states the zip's size on the home pages. A PDF or the zip whose inputs are
# unchanged is put back from build/downloads/ instead (spickzettel/downloads/reuse.py).
build: verify
	$(PY) -m mkdocs build --strict
	$(PY) -m spickzettel.downloads.pdf
	$(PY) -m spickzettel.downloads.offline

# ruff on the project's Python and on the code shown in snippets/ (line length 76).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m spickzettel.tools.snippet_lint

format: install
	$(VENV)/bin/ruff format .
	$(PY) -m spickzettel.tools.snippet_lint --fix

# A new topic: snippets/$(NAME).md, docs/de/ and docs/en/ pages, nav entries.
topic: install
	@test -n "$(NAME)" -a -n "$(TITLE_DE)" -a -n "$(TITLE_EN)" || { echo \
	  'usage: make topic NAME=my-topic TITLE_DE="..." TITLE_EN="..." [SECTION="..." SECTION_EN="..."]'; \
	  exit 2; }
	$(PY) -m spickzettel.tools.scaffold "$(NAME)" --title-de "$(TITLE_DE)" \
	  --title-en "$(TITLE_EN)" --section "$(SECTION)" --section-en "$(SECTION_EN)"

# A check whose inputs are unchanged since it passed is reused, not run again
# (tests/verdicts.py, .verified/verdicts/); FRESH=1 or CI=true runs every check.
# A module to a worker, but each backend's page-notebook kernels a unit of their
# own (tests/scheduling.py); in collection order, so that those long units start
# first (xdist would otherwise start the modules with the most items).
tests: install
	$(PY) -m pytest tests -n 2 --dist loadfile --no-loadscope-reorder -p no:cacheprovider --durations=10

# Only the browser tests (tests/browser/, marker `browser`) against the built site/;
# `make tests` runs them with all others.
browser: install browser-deps
	$(PY) -m pytest tests -m browser -n 2 --dist loadfile --no-loadscope-reorder -p no:cacheprovider --durations=10

# The formulas' font: the build cuts it from Latin Modern Math (GUST Font License),
# which Debian ships in fonts-lmodern (spickzettel/build/math_font.py;
# KERAS_SPICKZETTEL_MATH_FONT names another copy of latinmodern-math.otf).
LM_MATH := /usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf
math-font:
	@test -n "$$KERAS_SPICKZETTEL_MATH_FONT" -o -f $(LM_MATH) || { \
	  echo "Installing Debian's fonts-lmodern for the formulas' font (needs root or sudo)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q fonts-lmodern; }

# Screenshots of every page with a formula, light and dark, desktop and phone width,
# into screenshots/ (not committed) for a reviewer to look at.
screenshots: build browser-deps
	$(PY) -m tests.browser.screenshots --out screenshots

# Lighthouse over every built page, both languages (phone preset, site/ served
# gzip-compressed on 127.0.0.1 as the deploy serves it), and a table of the four
# scores; fails when accessibility, best practices or SEO fall below 100
# (spickzettel/tools/audit.py; ONLY=cheat audits the pages whose path contains "cheat").
# Lighthouse comes from npm, pinned in audit/package-lock.json, into audit/node_modules/.
LIGHTHOUSE := audit/node_modules/lighthouse/cli/index.js
audit: build browser-deps $(LIGHTHOUSE)
	$(PY) -m spickzettel.tools.audit $(if $(ONLY),--only $(ONLY))
$(LIGHTHOUSE): audit/package.json audit/package-lock.json
	cd audit && npm ci --no-audit --no-fund
	touch $@

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
browser-deps:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests (needs root or sudo)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

clean:
	rm -rf site build .verified docs/figures docs/de/exercises docs/en/exercises
