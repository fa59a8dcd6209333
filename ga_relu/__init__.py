"""ga-relu: optimal ReLU network weights read as geometric algebra.

Training a two-layer ReLU network with a regularized loss is a convex Lasso over wedge-product
features (signed volumes spanned by training samples); see ``shared/theory.md`` and the README.

The public names below are loaded lazily (PEP 562), so ``import ga_relu`` costs only numpy:
sympy, clifford, cvxpy and matplotlib are imported by the submodule that needs them, and no numba
code is compiled at import time.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> submodule that defines it
_EXPORTS = {
    # configuration and errors
    "options": "config",
    "Options": "config",
    "GaReluError": "errors",
    "InvalidInputError": "errors",
    "DegenerateDataError": "errors",
    "DictionaryTooLargeError": "errors",
    "SolverError": "errors",
    "EnumerationTooLargeError": "errors",
    "ConvergenceError": "errors",
    "SymbolicLimitError": "errors",
    # algebra (issue 2)
    "Blade": "algebra",
    "wedge": "algebra",
    "cross": "algebra",
    "cross_batch": "algebra",
    "signed_volume_batch": "algebra",
    "layout": "algebra",
    # geometry (issue 2)
    "signed_volume": "geometry",
    "distance_to_span": "geometry",
    "rejection": "geometry",
    "lift": "geometry",
    "hyperplane_through": "geometry",
    "triangle_area": "geometry",
    "tetrahedron_volume": "geometry",
    # dictionaries, solve, fit (issue 3)
    "Dictionary": "dictionary",
    "wedge_dictionary": "dictionary",
    "ReLUNetwork": "network",
    "fit": "fitting",
    "path": "fitting",
    "FitResult": "fitting",
    "Neuron": "fitting",
    "WedgeReLURegressor": "estimators",
    "WedgeReLUClassifier": "estimators",
    "load_iris_petals": "datasets",
    "make_spiral": "datasets",
    # symbolic and explanations (issue 4)
    "symbolic_points": "symbolic",
    "symbolic_input": "symbolic",
    "neuron_formula": "symbolic",
    # certificates, exact weight decay, gradient baseline (issue 5)
    "certify": "certificates",
    "Certificate": "certificates",
    "fit_exact_weight_decay": "certificates",
    "weight_decay_gap": "certificates",
    "check_rejection_claim": "certificates",
    "enumerate_chambers": "chambers",
    "train_gradient": "gradient",
    "GradientResult": "gradient",
    "neuron_angles": "gradient",
    "verification_report": "verify",
    # deep networks (issue 8)
    "explain_deep": "deep",
    "train_deep": "deep",
    # column generation and sampled-fit certificates (issue 7)
    "fit_colgen": "colgen",
    "sampled_gap": "colgen",
    "GapCertificate": "colgen",
    "DeepReLUNetwork": "deep",
    "DeepExplanation": "deep",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


# submodules reachable as attributes (ga_relu.plotting, ga_relu.datasets, ...), also loaded lazily
_SUBMODULES = {
    "algebra", "geometry", "dictionary", "solve", "colgen", "network", "fitting", "certificates", "chambers",
    "gradient", "symbolic", "explain", "estimators", "plotting", "datasets", "deep", "mirrors", "verify",
    "losses", "validation", "config", "errors", "cli",
}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"ga_relu.{name}")
    try:
        module_name = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'ga_relu' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"ga_relu.{module_name}"), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__():
    return __all__ + sorted(_SUBMODULES)
