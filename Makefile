# The README's two commands: `make demo` (set up, then run the main job on the shipped
# corpus) and `make test` (set up, then run the whole test suite).
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.celac-setup-done

.PHONY: setup demo test bench

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh

setup: $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done
