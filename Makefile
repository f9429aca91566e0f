# Two set-up commands that work on a fresh machine with nothing installed by hand:
#   make run    extract the bundled sample corpus (embedded defaults, no services)
#   make test   install everything (Python packages, chromium, postgresql) and run the whole suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DNLP := $(VENV)/bin/directive-nlp
OUT ?= out

.PHONY: run test install system-deps evaluate bench train clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# the CPU build of torch first: a looser requirement would pull gigabytes of CUDA packages
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[all]"
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p $(OUT)
	$(DNLP) extract corpus/sample -o $(OUT)/sample.jsonl
	$(DNLP) show corpus/sample/en_hanoi_public_investment.txt
	@echo "records written to $(OUT)/sample.jsonl"

# Debian packages the browser and PostgreSQL tests need; installed only when missing.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver postgresql >/dev/null; \
	  else echo "chromium/postgresql missing and cannot apt-get: their tests will be skipped"; fi; \
	fi

test: install system-deps
	$(DNLP) corpus validate
	$(PY) -m pytest -q -p no:cacheprovider

# dev and test beside unseen.jsonl, the split nobody tunes on (the honest estimate)
evaluate: install
	$(DNLP) evaluate corpus/dev.jsonl corpus/test.jsonl corpus/unseen.jsonl --extractors rules
	$(DNLP) evaluate corpus/dev.jsonl corpus/test.jsonl corpus/unseen.jsonl --extractors ensemble

bench: install
	$(PY) benchmarks/bench_all.py --out benchmarks/RESULTS_startup.md
	$(PY) benchmarks/bench_extract.py --out benchmarks/RESULTS.md
	$(PY) benchmarks/bench_batch.py --seeds ../shared/seeds --small 1000 --large 10000 --write benchmarks/RESULTS_batch.md
	$(PY) benchmarks/bench_models.py --seeds 11 12 13 --results benchmarks/RESULTS.md

train: install
	$(PY) -m directive_nlp.cli train classifier --seed 0 --out src/directive_nlp/models/data
	$(PY) -m directive_nlp.cli train ranker --seed 0 --out src/directive_nlp/models/data
	$(PY) -m directive_nlp.cli train tagger --seed 0 --out src/directive_nlp/models/data

clean:
	rm -rf $(OUT) .pytest_cache
