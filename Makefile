# Two commands: `make demo` and `make test`. Both create .venv and install APX first
# (idempotent: the second run only checks a stamp file). `make test-unit` runs the unit
# tier alone (tests/unit: no database, no Prefect, no model; seconds).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.apx-installed
# llama-cpp-python compiles from source. Its default -march=native build crashes on CPUs
# with Intel AMX (SIGSEGV in ldtilecfg); these flags build a portable x86-64-v3 library.
# The wheel goes to APX's own pip cache, so a crashing wheel built elsewhere is never reused.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
LLAMA_CACHE      := $(HOME)/.cache/apx/pip-llama
INSTALL_LOG      := $(VENV)/install.log

.PHONY: demo test test-unit lint install clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing llama-cpp-python (first time: compiles for a few minutes)..."
	@CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" PIP_CACHE_DIR="$(LLAMA_CACHE)" \
		$(BIN)/python -m pip install --quiet "llama-cpp-python==0.3.36" > $(INSTALL_LOG) 2>&1 \
		|| { cat $(INSTALL_LOG); exit 1; }
	@echo "Installing APX and its dependencies (log: $(INSTALL_LOG))..."
	@$(BIN)/python -m pip install --quiet -e ".[dev]" >> $(INSTALL_LOG) 2>&1 \
		|| { cat $(INSTALL_LOG); exit 1; }
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@$(BIN)/apx demo

test: $(STAMP)
	@$(BIN)/python -m pytest

test-unit: $(STAMP)
	@$(BIN)/python -m pytest tests/unit

bench: $(STAMP)
	@$(BIN)/python -m tools.bench --json bench.json

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .apx .mypy_cache .ruff_cache .pytest_cache
