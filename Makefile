# Set-up and everyday commands. `make run` and `make test` each do the whole set-up
# from a fresh clone: system packages (when run as root), the virtual environment, the project.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run` opens this demo workspace (ignored by git), never the user's real one.
DEMO_WORKSPACE ?= .demo-workspace
# Qt translations: sources in resources/i18n, compiled (.qm, ignored by git) into the package.
TS_FILES := $(wildcard resources/i18n/*.ts)
QM_DIR := inspector_app/ui/translations

.PHONY: run test lint fmt demo bench sysdeps translations screenshots clean

# Also after a change of the system package list, so an existing checkout gets the new ones,
# and after a change of a translation, so the app shows it.
$(STAMP): pyproject.toml setup.py tools/system-deps.sh $(TS_FILES)
	@bash tools/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) --no-print-directory translations
	@touch $(STAMP)

# setup.py compiles them too (a wheel, an editable install); this is the same, without pip.
translations:
	@mkdir -p $(QM_DIR)
	for ts in $(TS_FILES); do \
		$(BIN)/pyside6-lrelease -silent $$ts -qm $(QM_DIR)/$$(basename $$ts .ts).qm || exit 1; \
	done

sysdeps:
	@bash tools/system-deps.sh

run: $(STAMP)
	$(BIN)/inspector --workspace $(DEMO_WORKSPACE) demo
	$(BIN)/inspector --workspace $(DEMO_WORKSPACE)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python tools/check_qt_imports.py
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

# The README's screenshots (docs/screenshots/*.png), from a fresh demo workspace, both languages.
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py

clean:
	rm -rf $(VENV) $(DEMO_WORKSPACE) $(QM_DIR) .pytest_cache .ruff_cache .mypy_cache build dist *.egg-info
