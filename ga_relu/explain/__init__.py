"""Neurons as formulas: symbolic samples, wedge formulas, LaTeX, and deep explanations.
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "symbolic_points": "symbolic",
    "symbolic_input": "symbolic",
    "neuron_formula": "symbolic",
    "neuron_expression": "formulas",
    "network_expression": "formulas",
    "explain_deep": "deep",
    "DeepExplanation": "deep",
}
_SUBMODULES = ('symbolic', 'formulas', 'deep')

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
