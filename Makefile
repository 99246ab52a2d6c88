# Two entry points for a fresh clone:
#   make demo   set up .venv and print the ポイント of a bundled sample article
#   make test   set up .venv (if needed), run lint, then the whole test suite (what CI runs)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE ?= corpora/samples/medical_regulation.txt
# The background IDF table is made from a news archive, so it is built here, never
# committed. Without the archive, keypoints weighs every word the same (and says so).
IDF_ARCHIVE ?= ../shared/data/bulk_ldcc.jsonl
IDF_TABLE := models/idf.tsv.gz

.PHONY: setup demo test test-fast lint format bench

setup: $(VENV)/.installed $(IDF_TABLE)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

$(IDF_TABLE): | $(VENV)/.installed
	@if [ -f "$(IDF_ARCHIVE)" ]; then \
	  echo "building $@ from $(IDF_ARCHIVE) (about 40 s)"; \
	  $(BIN)/keypoints build-idf "$(IDF_ARCHIVE)" -o $@; \
	else \
	  echo "note: $(IDF_ARCHIVE) not found, so no IDF table: every word weighs the same"; \
	  echo "      (build one with: keypoints build-idf ARCHIVE.jsonl)"; \
	fi

demo: setup
	$(BIN)/keypoints summarize $(SAMPLE) --format markdown

# Style and types: ruff format and check (BLE, RUF100, complexity ≤ 20 included) and mypy.
lint: setup
	$(BIN)/ruff format --check src tests benchmarks notebooks
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

# The tests that load no GiNZA and start no subprocess (a few seconds).
test-fast: setup
	$(BIN)/python -m pytest -m "not slow" tests

format: setup
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: setup
	$(BIN)/python benchmarks/latency.py
