"""ReLU networks as plain arrays: the two-layer network of (P) and deep networks.
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "ReLUNetwork": "relu",
    "DeepReLUNetwork": "deep",
    "as_layers": "deep",
}
_SUBMODULES = ('relu', 'deep')

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
