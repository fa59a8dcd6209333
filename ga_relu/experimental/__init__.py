"""Research code: three-layer dictionaries in 1-D (mirrors) and the theorem report (verify).
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "verification_report": "verify",
    "fit_three_layer": "mirrors",
    "three_layer_dictionary": "mirrors",
    "dense_ratio": "mirrors",
}
_SUBMODULES = ('mirrors', 'verify')

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
