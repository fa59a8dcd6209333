"""Proofs of optimality in exact rational or interval arithmetic.

``proof`` holds the :class:`Proof` record shared by every kind of proof. Nothing here is imported
by ``import ga_relu``; python-flint is imported only when a proof is made.
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "Proof": "proof",
    "ProvedNeuron": "proof",
}
_SUBMODULES = ("proof",)

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
