"""Sphinx configuration of the ga-relu documentation (``make docs`` builds it into docs/_build/html).

MathJax is served from the build itself (sphinx-mathjax-offline), so the pages typeset their
mathematics without a network; the notebooks are executed by myst-nb at build time.
"""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))
# the notebook kernels must use the inline backend to show figures: never inherit a headless one
os.environ.pop("MPLBACKEND", None)

project = "ga-relu"
author = "the ga-relu developers"
copyright = "2026, the ga-relu developers"
release = "0.1.0"

extensions = [
    "myst_nb",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # its package name has hyphens; it copies MathJax 3 into _static
]

exclude_patterns = ["_build", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
source_suffix = {".md": "myst-nb", ".ipynb": "myst-nb", ".rst": "restructuredtext"}

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
# notebooks run at build time, so the pages show their figures and formulas; a cell that raises
# fails the build (nb_execution_raise_on_error), as it fails `make test`
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True

autosummary_generate = True
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_validation_checks = set()  # the docstrings are checked by their doctests, not by style rules

html_theme = "pydata_sphinx_theme"
html_title = "ga-relu"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_static_path = []
