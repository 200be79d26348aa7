# chainrule's everyday commands. Needs only python3 (>= 3.10) and GNU make: the first target
# that needs the virtual environment creates it and installs the project into it (editable).

VENV ?= .venv
PYTHON := $(VENV)/bin/python
# Every benchmarks/*.py is a script, except common.py: the helpers they share.
BENCHMARKS := $(filter-out benchmarks/common.py,$(sort $(wildcard benchmarks/*.py)))

.PHONY: demo test torch bench lint clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --upgrade pip
	$(PYTHON) -m pip install -e '.[dev,notebooks]'
	touch $@

# The main job: `chainrule train` (here in its `python -m nn.cli` form) of the default CNN on
# the shipped digits; it ends with the test accuracy and the training time. Files in runs/demo.
demo: $(VENV)/.installed
	$(PYTHON) -m nn.cli train --model cnn --dataset digits --out runs/demo

test: $(VENV)/.installed
	$(PYTHON) -m pytest tests/

# PyTorch is the test oracle only (library code never imports it). Pin this exact version.
torch: $(VENV)/.installed
	$(PYTHON) -m pip install torch==2.13.0

# These machines set OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which slow NumPy; users do not.
bench: $(VENV)/.installed
	@for script in $(BENCHMARKS); do \
		echo "== $$script"; \
		env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PYTHON) $$script || exit 1; \
	done

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
