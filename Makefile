# The README's two commands: `make demo` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: demo test bench docs docs-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	MPLBACKEND=Agg $(VENV)/bin/ga-relu demo

# Every test, the docstring examples (--doctest-modules ga_relu) and the notebooks; two workers for
# the two cores.
test: $(STAMP)
	MPLBACKEND=Agg $(PY) -m pytest -n 2 -q tests --doctest-modules ga_relu --nbmake notebooks

# The documentation site (Sphinx + myst-nb + numpydoc), warnings as errors; the notebooks run at
# build time. docs-check opens it in headless Chromium (Debian's package, installed when missing).
DOCS_STAMP = $(VENV)/.docs-installed
$(DOCS_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[docs]'
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	$(PY) -m sphinx -b html -W --keep-going -q docs docs/_build/html

docs-check: docs
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium) >/dev/null
	$(PY) docs/check_browser.py docs/_build/html

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis docs/_build docs/generated
