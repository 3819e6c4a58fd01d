# Two entry points for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz data clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	# bytecode, as a pip-installed wheel has it (an editable install does not write it, nor does
	# Python where PYTHONDONTWRITEBYTECODE is set): about 70 ms off every run
	$(BIN)/python -m compileall -q kvgraph
	touch $(STAMP)

# Convert the bundled examples to Turtle and JSON-LD in build/, validate, print a summary.
run: $(STAMP)
	@mkdir -p build
	$(BIN)/kvgraph convert examples -f turtle -o build/kamervragen.ttl
	$(BIN)/kvgraph convert examples -f json-ld -o build/kamervragen.jsonld --quiet
	$(BIN)/kvgraph validate build/kamervragen.ttl build/kamervragen.jsonld
	@$(BIN)/kvgraph query queries/answer-times.rq build/kamervragen.ttl

test: $(STAMP)
	$(BIN)/ruff check kvgraph tests benchmarks fuzz
	$(BIN)/python -m pytest -q

# Coverage-guided fuzzing of the parser (atheris), FUZZ_SECONDS long; not part of `test` or CI.
# Seeds: examples/*.txt. Findings land in build/fuzz-artifacts/crash-*: keep them in tests/data/fuzz/.
FUZZ_SECONDS ?= 60
fuzz: $(STAMP)
	$(BIN)/pip install --quiet -e '.[fuzz]'
	@mkdir -p build/fuzz-corpus build/fuzz-artifacts
	cp examples/*.txt build/fuzz-corpus/
	$(BIN)/python fuzz/fuzz_parse.py build/fuzz-corpus -dict=fuzz/kamervraag.dict -max_total_time=$(FUZZ_SECONDS) \
		-timeout=10 -rss_limit_mb=4096 -artifact_prefix=build/fuzz-artifacts/

# The package bundles copies of the published vocabulary files; refresh them after editing.
data: $(STAMP)
	cp ontology/kvgraph.ttl ontology/context.jsonld shapes/kvgraph.shapes.ttl kvgraph/data/
	mkdir -p kvgraph/data/queries/fetch && cp queries/*.rq kvgraph/data/queries/ && cp queries/fetch/*.rq kvgraph/data/queries/fetch/
	$(BIN)/python -m kvgraph.reference.build

clean:
	rm -rf build $(VENV) *.egg-info
