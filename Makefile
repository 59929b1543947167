# Keras-Spickzettel: the two commands of the README, and the steps they are made of.
#   make serve  - install, verify every snippet, build, serve at http://127.0.0.1:8000
#   make test   - install, lint, verify every snippet, build, run every test
# The flow is one way: snippets/ -> verify (pytest + Sybil) -> build (mkdocs) -> site/ -> tests.

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: serve test install verify build lint tests browser browser-deps clean

serve: build
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000 --no-livereload

test: install browser-deps lint verify build tests

install: $(STAMP)
$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet .
	touch $(STAMP)

# Executes every code block in snippets/ (and docs/), writes docs/figures/ and the
# verification record .verified/record.json that the build checks.
verify: install
	$(PY) -m pytest snippets docs -n 2 --dist loadfile -p no:cacheprovider --durations=5

build: verify
	$(VENV)/bin/mkdocs build --strict --quiet

lint: install
	$(VENV)/bin/ruff check .

tests: install
	$(PY) -m pytest tests -n 2 --dist loadfile -p no:cacheprovider --durations=10

# Only the browser tests (tests/browser/, marker `browser`) against the built site/;
# `make tests` runs them with all others.
browser: install browser-deps
	$(PY) -m pytest tests -m browser -n 2 --dist loadfile -p no:cacheprovider --durations=10

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
browser-deps:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests (needs root or sudo)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

clean:
	rm -rf site .verified docs/figures
