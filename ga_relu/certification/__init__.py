"""Dual certificates of global optimality for any two-layer ReLU network.

:func:`certify` computes the dual ratio max |lambda . relu(Xw + b)| / beta with one of the
registered oracles (vertices, chambers, search), each returning an ``OracleResult``.
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "certify": "certificate",
    "Certificate": "certificate",
    "BestNeuron": "oracles",
    "OracleResult": "oracles",
    "register_oracle": "oracles",
    "sampled_gap": "sampled",
    "GapCertificate": "sampled",
    "weight_decay_gap": "weight_decay",
    "check_rejection_claim": "weight_decay",
}
_SUBMODULES = ('certificate', 'oracles', 'sampled', 'weight_decay', 'hinge')

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
