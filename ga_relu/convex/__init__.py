"""The convex training problem: problem (P) as a Lasso over wedge-product features.

:class:`~ga_relu.convex.problem.Problem` is the validated problem; losses and penalties are small
objects; ``dictionary`` and ``chambers`` enumerate features and activation patterns; ``duality``
holds the KKT residual, dual ratio and weak-duality gap; ``solvers``, ``colgen`` and ``exact``
solve it; ``fitting`` dispatches :func:`fit` to a registered method; ``results`` holds the output.
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "Problem": "problem",
    "fit": "fitting",
    "path": "fitting",
    "FitResult": "results",
    "FitPath": "results",
    "Neuron": "results",
    "Case": "results",
    "Dictionary": "dictionary",
    "wedge_dictionary": "dictionary",
    "enumerate_chambers": "chambers",
    "fit_colgen": "colgen",
    "fit_exact_weight_decay": "exact",
    "LassoProgram": "solvers",
}
_SUBMODULES = ('problem', 'losses', 'penalties', 'dictionary', 'chambers', 'duality', 'solvers', 'colgen', 'exact', 'results', 'fitting', 'methods')

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
