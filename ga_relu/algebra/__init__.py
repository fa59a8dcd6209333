"""Exact geometric algebra: blades on clifford layouts, wedge and cross products, geometry.

``tables``    clifford's layouts of R^d and their product tables as index arrays (numpy only)
``blades``    :class:`Blade`, :func:`wedge` and :func:`cross`: exact for ints, Fractions and sympy
              numbers, float64 for floats
``batched``   the same products for stacks of float vector tuples (numpy only, no sympy)
``geometry``  signed volumes, distances, rejections and hyperplanes built from them
``demo``      the algebra part of ``ga-relu demo``
"""

from __future__ import annotations

from .._lazy import lazy_namespace

_EXPORTS = {
    "Blade": "blades",
    "wedge": "blades",
    "cross": "blades",
    "wedge_batch": "batched",
    "cross_batch": "batched",
    "signed_volume_batch": "batched",
    "layout": "tables",
    "blade_tuples": "tables",
    "signed_volume": "geometry",
    "distance_to_span": "geometry",
    "rejection": "geometry",
    "lift": "geometry",
    "hyperplane_through": "geometry",
    "triangle_area": "geometry",
    "tetrahedron_volume": "geometry",
}
_SUBMODULES = ('tables', 'blades', 'batched', 'geometry', 'demo')

__getattr__, __dir__, __all__ = lazy_namespace(__name__, _EXPORTS, _SUBMODULES)
