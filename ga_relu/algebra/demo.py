"""The algebra part of ``ga-relu demo``: wedge and cross products of bundled points, exactly.

``algebra_demo()`` returns the text; the CLI prints it.
"""

from __future__ import annotations

#: three points of the plane and three of space, integer coordinates
POINTS_2D = ((0, 0), (4, 1), (1, 3))
POINTS_3D = ((1, 0, 2), (0, 3, 1), (2, 1, 0))


def _vector_text(vector) -> str:
    return "(" + ", ".join(str(v) for v in vector) + ")"


def algebra_demo() -> str:
    r"""Wedge products, cross products and signed volumes of the bundled points, exact and in LaTeX.

    Examples
    --------
    >>> from ga_relu.algebra.demo import algebra_demo
    >>> print(algebra_demo().splitlines()[3])
      (b - a) ^ (c - a)      = 11*e1^e2
    """
    import sympy

    from .blades import cross, wedge
    from .geometry import distance_to_span, hyperplane_through, signed_volume, tetrahedron_volume, triangle_area

    a, b, c = POINTS_2D
    p, q, r = POINTS_3D
    edge_ab = tuple(y - x for x, y in zip(a, b))
    edge_ac = tuple(y - x for x, y in zip(a, c))
    w, bias = hyperplane_through(b, c)
    pq = wedge(p, q)
    lines = [
        "Exact geometric algebra on clifford layouts (coefficients are exact sympy numbers)",
        "",
        f"2-D points a = {a}, b = {b}, c = {c}",
        f"  (b - a) ^ (c - a)      = {wedge(edge_ab, edge_ac)}",
        f"    LaTeX: {sympy.latex(wedge(edge_ab, edge_ac))}",
        f"  signed area of abc     = det[b - a; c - a] / 2 = {triangle_area(a, b, c)}",
        f"  cross(b - a)           = {_vector_text(cross(edge_ab))}   (<x, cross(v)> = det[x; v])",
        f"  line through b and c   : w = {_vector_text(w)}, bias = {bias}   (w.x + bias = det[x~; b~; c~])",
        f"  (w.a + bias) / ||w||   = {(sum(wi * ai for wi, ai in zip(w, a)) + bias) / sympy.sqrt(w.dot(w))}"
        "   (signed distance of a to that line)",
        "",
        f"3-D points p = {p}, q = {q}, r = {r}",
        f"  p ^ q                  = {pq}",
        f"    LaTeX: {sympy.latex(pq)}",
        f"  ||p ^ q||              = {pq.norm()}   (area of the parallelogram)",
        f"  cross(p, q) = (p^q)*   = {_vector_text(cross(p, q))}",
        f"  p ^ q ^ r              = {wedge(p, q, r)}",
        f"    LaTeX: {sympy.latex(wedge(p, q, r))}",
        f"  det[p; q; r]           = {signed_volume(p, q, r)}   (signed volume of the parallelepiped)",
        f"  tetrahedron 0, p, q, r = {tetrahedron_volume((0, 0, 0), p, q, r)}   (det / 6)",
        f"  distance(r, span(p,q)) = {distance_to_span(r, p, q)}   (||p ^ q ^ r|| / ||p ^ q||)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(algebra_demo())
