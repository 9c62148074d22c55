# The two commands of README.md: `make book` and `make test`. Both work on a fresh machine that has
# only Python 3.11 and make: they create .venv, install the pinned requirements and nnlib (editable).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Jupyter's platformdirs migration warning would otherwise reach every kernel's stderr.
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# The HTML build: tools/build_book.py generates conf.py from _config.yml (`jupyter-book config sphinx`)
# and runs `sphinx-build -j auto`, chapters read and executed in parallel on all cores. Strict:
# warnings are errors (-W), broken references are warnings (-n), all are listed (--keep-going). A
# failing cell fails the build through nb_execution_raise_on_error in _config.yml.
BUILD_BOOK := $(BIN)/python tools/build_book.py

# `make book` re-executes only the chapters that changed since the last build — unless nnlib, the
# configuration (with book/_ext, book/tf_setup.py, _static and tools) or the pins changed (Sphinx would not notice those), or
# there is no build yet: then every page is re-read and every chapter re-executed (--all). `make test`
# always uses --all.
INDEX := _build/html/index.html
BUILT := _build/.built
STALE := $(shell test -f $(BUILT) && find nnlib book/_ext book/tf_setup.py _static tools _config.yml _toc.yml requirements.txt CITATION.cff -newer $(BUILT) -print -quit)
BOOK_ALL := $(if $(wildcard $(BUILT)),$(if $(STALE),--all,),--all)

.PHONY: book test bench pdf tex install browser clean portability dist

book: $(STAMP)
	$(BUILD_BOOK) $(BOOK_ALL)
	@touch $(BUILT)
	@echo
	@echo "The book is at file://$(CURDIR)/$(INDEX)"

# pytest on 2 workers, a test module per worker (the browser check and the two guard builds run side by side).
test: $(STAMP) browser
	$(BUILD_BOOK) --all
	@touch $(BUILT)
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not pdf"

# The PDF edition, _build/latex/book.pdf: the LaTeX builder on what `make book` read and executed (nothing
# is executed again), xelatex through latexmk, then the HTML pages are written again so that every
# download menu links the PDF (book/_ext/pdf_download.py). Debian's TeX packages are installed when
# missing (as root, like chromium for the browser test). tests/test_pdf.py checks the PDF.
TEX_PACKAGES := texlive-latex-extra texlive-xetex latexmk texlive-fonts-recommended fonts-freefont-otf xindy poppler-utils
pdf: book tex
	$(BUILD_BOOK) --builder latex
	$(MAKE) -C _build/latex all-pdf LATEXMKOPTS="-interaction=nonstopmode -halt-on-error"
	$(BUILD_BOOK) --write-all
	$(BIN)/python -m pytest tests/test_pdf.py -q -m pdf
	@echo "The PDF is at $(CURDIR)/_build/latex/book.pdf"

tex:
	@command -v latexmk >/dev/null 2>&1 && command -v xelatex >/dev/null 2>&1 && command -v xindy >/dev/null 2>&1 \
	  && command -v pdftotext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's TeX packages for make pdf: $(TEX_PACKAGES)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES) >/dev/null; \
	  else echo "make pdf needs Debian's $(TEX_PACKAGES) (apt-get install, as root)"; exit 1; fi; }

# The benchmarks (minutes): the training benchmark (benchmarks/bench_train.py), the convolution benchmark
# (bench_conv.py) and the LSTM language-model step (bench_rnn.py) regenerate benchmarks/results/bench_train.json,
# bench_conv.json and bench_rnn.json, which record the commit, date, machine, command and load average, and
# the performance chapter shows. PyTorch, a contender in all three, is installed first when missing (CPU build).
BENCH_TORCH := torch==2.13.0
bench: $(STAMP)
	@$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install --quiet --disable-pip-version-check $(BENCH_TORCH)
	BENCH_COMMAND="make bench" $(BIN)/python benchmarks/bench_train.py
	BENCH_COMMAND="make bench" $(BIN)/python benchmarks/bench_conv.py
	BENCH_COMMAND="make bench" $(BIN)/python benchmarks/bench_rnn.py

# Debian's Chromium for the real-browser test (tests/test_site.py), installed when missing. It needs
# root, as on CI; elsewhere the browser test skips with a message (and fails when CI is set).
browser:
	@command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for tests/test_site.py"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing and this is not root: tests/test_site.py will skip"; fi; }

# The portability check (tests/portability.py): every chapter (or CHAPTERS="a b") executed under two
# other OpenBLAS kernels and with perturbed initial conditions. Authors run it before landing a chapter;
# `make test` and CI never change OpenBLAS settings.
portability: $(STAMP)
	$(BIN)/python tests/portability.py $(CHAPTERS)

# nnlib's release files (#22): the sdist and the wheel in dist/, checked by twine. Offline: no build
# isolation (setuptools is pinned in requirements.txt).
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/python -m twine check --strict dist/*

install: $(STAMP)

# nnlib/__init__.py holds the version, which the editable install's metadata copies (#22).
$(STAMP): requirements.txt pyproject.toml nnlib/__init__.py
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

clean:
	rm -rf _build .pytest_cache dist build conf.py
