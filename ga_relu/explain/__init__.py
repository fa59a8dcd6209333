"""Neurons as formulas: symbolic samples, wedge formulas, LaTeX, and deep explanations.

``symbolic``  named points x_i, the structural notation (Wedge, Norm, Area, Volume, relu) and
              :class:`NeuronFormula`, the neuron of a vertex subset derived through the algebra
``formulas``  fitted neurons and networks in three views (structural, expanded, numeric), LaTeX
``deep``      deep networks explained layer by layer
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "symbolic_points": "symbolic",
    "symbolic_input": "symbolic",
    "SymbolicPoint": "symbolic",
    "neuron_formula": "symbolic",
    "NeuronFormula": "symbolic",
    "numeric_feature_function": "symbolic",
    "neuron_expression": "formulas",
    "neuron_latex": "formulas",
    "network_expression": "formulas",
    "network_latex": "formulas",
    "evaluate_expression": "formulas",
    "formula_of_neuron": "formulas",
    "explain_deep": "deep",
    "DeepExplanation": "deep",
}
_SUBMODULES = ('symbolic', 'formulas', 'deep')

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
