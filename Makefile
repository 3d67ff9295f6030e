# The two commands of the README: `make run` and `make test`. Both install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install native run test fuzz lint schema bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Vigil needs Python 3.11 or newer; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The correlation engine's hot modules, compiled with mypyc when the sources changed
# (correlation/native.py). Never fatal: without a C compiler they run as plain Python.
native: $(STAMP)
	@$(BIN)/python -m correlation.build_native || echo "correlation: not compiled (see above); it runs as plain Python" >&2

run: native
	$(BIN)/vigil serve

test: native
	$(BIN)/pytest

# `make test` fuzzes too, on a small fixed budget; this explores new inputs, longer.
fuzz: $(STAMP)
	VIGIL_FUZZ_EXAMPLES=$${VIGIL_FUZZ_EXAMPLES:-1000} VIGIL_FUZZ_RANDOM=1 \
		$(BIN)/pytest tests/fuzz --hypothesis-show-statistics

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy .

schema: $(STAMP)
	$(BIN)/vigil export-schema

bench: native
	$(BIN)/python bench/ingest.py --json
	$(BIN)/python bench/fanout.py --json
	$(BIN)/python bench/listing.py --json

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache correlation/compiled
