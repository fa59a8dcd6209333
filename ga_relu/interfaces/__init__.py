"""Front ends: scikit-learn estimators, plotting, bundled datasets and the command line.
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "WedgeReLURegressor": "estimators",
    "WedgeReLUClassifier": "estimators",
    "load_iris_petals": "datasets",
    "make_spiral": "datasets",
    "plot_fit": "plotting",
    "plot_path": "plotting",
    "plot_certificate": "plotting",
    "save_figure": "plotting",
}
_SUBMODULES = ('estimators', 'plotting', 'datasets', 'cli')

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
