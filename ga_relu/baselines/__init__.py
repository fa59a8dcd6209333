"""Gradient baselines: Adam on the non-convex problem (P), two-layer and deep.
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "adam": "adam",
    "AdamResult": "adam",
    "train_gradient": "gradient",
    "GradientResult": "gradient",
    "neuron_angles": "gradient",
    "train_deep": "deep_training",
    "DeepTraining": "deep_training",
}
_SUBMODULES = ('adam', 'gradient', 'deep_training')

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
