"""Exact geometric algebra: blades on clifford layouts, wedge and cross products, geometry.

``blades`` holds :class:`Blade` and the products (exact for ints, Fractions and sympy numbers,
numpy for floats) with their batched forms; ``geometry`` the signed volumes, distances,
rejections and hyperplanes built from them.
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "Blade": "blades",
    "wedge": "blades",
    "cross": "blades",
    "wedge_batch": "blades",
    "cross_batch": "blades",
    "signed_volume_batch": "blades",
    "layout": "blades",
    "signed_volume": "geometry",
    "distance_to_span": "geometry",
    "rejection": "geometry",
    "lift": "geometry",
    "hyperplane_through": "geometry",
    "triangle_area": "geometry",
    "tetrahedron_volume": "geometry",
}
_SUBMODULES = ('blades', 'geometry', 'demo')

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
