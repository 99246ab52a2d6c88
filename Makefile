# Two entry points for a fresh clone:
#   make demo   set up .venv and print the ポイント of a bundled sample article
#   make test   set up .venv (if needed) and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLE ?= corpora/samples/medical_regulation.txt

.PHONY: setup demo test lint bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

demo: setup
	$(BIN)/keypoints summarize $(SAMPLE) --format markdown

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests benchmarks

bench: setup
	$(BIN)/python benchmarks/latency.py
