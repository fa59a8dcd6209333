"""ga-relu: optimal ReLU network weights read as geometric algebra.

Training a two-layer ReLU network with a regularized loss is a convex Lasso over wedge-product
features (signed volumes spanned by training samples). The package is layered, each layer using
only those above it:

``algebra``         blades on clifford layouts, exact wedge and cross products, geometry
``convex``          the problem (P) as a :class:`~ga_relu.convex.problem.Problem`, losses and
                    penalties, dictionaries, chambers, duality, solvers, column generation, fit
``certification``   dual certificates of any network, behind one oracle interface
``networks``        two-layer and deep ReLU networks as plain arrays
``explain``         neurons as formulas: symbolic points, LaTeX, deep explanations
``baselines``       Adam and gradient training, for comparison with the convex optimum
``interfaces``      scikit-learn estimators, plotting, datasets, the command line
``experimental``    research code: three-layer dictionaries, the theorem report

The names below are loaded lazily (PEP 562): ``import ga_relu`` costs only numpy.

>>> import ga_relu as gr
>>> gr.signed_volume([1, 0], [1, 2])
2
"""

from __future__ import annotations

from ._lazy import lazy_namespace

__version__ = "0.1.0"

_EXPORTS = {
    "options": "config",
    "GaReluError": "errors",
    "Blade": "algebra.blades",
    "wedge": "algebra.blades",
    "cross": "algebra.blades",
    "signed_volume": "algebra.geometry",
    "Problem": "convex.problem",
    "fit": "convex.fitting",
    "path": "convex.fitting",
    "relative": "convex.selection",
    "beta_max": "convex.selection",
    "cross_validate_beta": "convex.selection",
    "exact_path": "proofs.path",
    "Proof": "proofs.proof",
    "FitResult": "convex.results",
    "certify": "certification.certificate",
    "Certificate": "certification.certificate",
    "ReLUNetwork": "networks.relu",
    "symbolic_points": "explain.symbolic",
    "neuron_formula": "explain.symbolic",
    "explain_deep": "explain.deep",
    "train_gradient": "baselines.gradient",
    "train_deep": "baselines.deep_training",
    "WedgeReLURegressor": "interfaces.estimators",
    "WedgeReLUClassifier": "interfaces.estimators",
    "WedgeReLURegressorCV": "interfaces.estimators",
    "load_iris_petals": "interfaces.datasets",
    "make_spiral": "interfaces.datasets",
}
_SUBMODULES = ("algebra", "convex", "certification", "networks", "explain", "baselines", "interfaces",
               "experimental", "proofs", "config", "errors", "validation")

__getattr__, __dir__, _names = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
__all__ = _names + ["__version__"]
