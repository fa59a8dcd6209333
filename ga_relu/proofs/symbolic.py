r"""The optimal network as a formula in the data: targets, sample coordinates and beta as symbols.

On a fixed support T with signs sigma, the KKT system of the squared-loss Lasso

.. math::

    K_T^T (y - K_T z - c\,\mathbf 1) = \beta\,\sigma, \qquad \mathbf 1^T (y - K_T z - c\,\mathbf 1) = 0

is linear in (z, c), with right-hand side linear in y and beta: z and c are linear in the targets
y_1..y_n and affine in beta. With the sample coordinates as symbols too, each column entry
relu(+-(w_S . x_i + b_S)) / ||w_S||_1 is a ratio of polynomials (cofactors of the lifted vertices)
once the sign of every cofactor is fixed, so z and c are rational functions of the coordinates.

The formula is the optimum on a region, returned as explicit sympy relations:

* every cofactor w_S . x_i + b_S and every weight component of w_S has the sign it has at the
  reference instance (so every relu and every ||w_S||_1 resolves the same way),
* sigma_j z_j > 0 on the support,
* -beta <= lambda . K_j <= beta for every other column of the full vertex dictionary,

where lambda = y - K_T z - c. Inside the region the KKT conditions hold, so by T1/T2/T3 the
formula is the global optimum of (P). The region is a sufficient description, not necessarily the
largest set on which the formula is optimal.
"""

from __future__ import annotations

import dataclasses
import itertools

from ..errors import InvalidInputError, SymbolicLimitError
from .exact import exact_problem, to_rational

__all__ = ["SymbolicSolution", "symbolic_solution", "MAX_SYMBOLIC_SAMPLES"]

#: the largest number of samples for symbolic coordinates, per dimension (the region has
#: O(n C(n + d, d)) relations of growing degree; 2-D with 3 samples takes ~13 s of sympy on 2 cores)
MAX_SYMBOLIC_SAMPLES = {1: 4, 2: 3}


@dataclasses.dataclass
class SymbolicSolution:
    """The optimal network as an expression, valid on ``region``.

    ``coefficients`` (z_j) and ``intercept`` are sympy expressions in ``symbols`` (a dict name ->
    symbol: "beta", "y_i", "x_i" (1-D) / "x_{i,k}"; the input is x (1-D) or [x]_k, as in :mod:`ga_relu.explain`); ``network`` is f(x) in the input symbols ``inputs``;
    ``reference`` maps the symbols to the instance the support was read from.
    """

    coefficients: list
    intercept: object
    network: object
    region: list
    symbols: dict
    inputs: tuple
    reference: dict
    support: list

    def at(self, values: dict | None = None) -> tuple:
        """(coefficients, intercept) with the symbols substituted (default: the reference instance)."""
        subs = self.reference if values is None else values
        return [z.subs(subs) for z in self.coefficients], self.intercept.subs(subs)

    def holds_at(self, values: dict | None = None) -> bool:
        """Whether every relation of the region holds at the given values (exactly, rationals)."""
        subs = self.reference if values is None else values
        return all(bool(relation.subs(subs)) for relation in self.region)


def _sym_rational(value):
    import sympy as sp

    q = to_rational(value)
    return sp.Rational(q.numerator, q.denominator)


def symbolic_solution(X, y, beta, *, variables=("y",), support=None) -> SymbolicSolution:
    """The optimal network as a formula in the chosen ``variables`` ("y", "X", "beta").

    The support and signs are those of the exact optimum at the reference instance (X, y, beta)
    (from :func:`ga_relu.proofs.path.exact_path`) unless ``support`` lists (subset, side, sign)
    triples. Squared loss, l1 penalty (or 1-D), bias and intercept as in T2/T3. With "X" among the
    variables at most :data:`MAX_SYMBOLIC_SAMPLES` samples (4 in 1-D, 3 in 2-D).

    Examples
    --------
    >>> from fractions import Fraction
    >>> solution = symbolic_solution([[0], [1], [2]], [0, 1, 0], Fraction(1, 10), variables=("y", "beta"))
    >>> solution.coefficients
    [3*beta - y_2 + y_3, 3*beta + y_1 - y_2]
    >>> solution.holds_at()
    True
    """
    import sympy as sp

    unknown = set(variables) - {"y", "X", "beta"}
    if unknown:
        raise InvalidInputError(f"variables must be among 'y', 'X', 'beta'; got {sorted(unknown)}")
    problem = exact_problem(X, y, beta)
    if problem.n_outputs > 1:
        raise InvalidInputError("symbolic solutions take one output column")
    n, d = problem.n, problem.d
    if "X" in variables and (d > 2 or n > MAX_SYMBOLIC_SAMPLES[d]):
        raise SymbolicLimitError(f"symbolic sample coordinates are limited to n <= 4 in 1-D and n <= 3 in 2-D "
                                 f"(got n = {n}, d = {d}): the region has O(n C(n + d, d)) relations of growing "
                                 "degree; keep X numeric (variables=('y', 'beta'))")
    if support is None:
        from .path import exact_path

        piece = exact_path(X, y, beta_min=problem.beta, fit_intercept=problem.fit_intercept, bias=problem.bias
                           ).piece_at(problem.beta)
        support = [(nr.subset, nr.sign, 1 if nr.coefficient(problem.beta) > 0 else -1)
                   for nr in piece.neurons if nr.coefficient(problem.beta) != 0]
    symbols, reference = {}, {}
    beta_s = sp.Symbol("beta", positive=True) if "beta" in variables else _sym_rational(problem.beta)
    if "beta" in variables:
        symbols["beta"] = beta_s
        reference[beta_s] = _sym_rational(problem.beta)
    ys = []
    for i in range(n):
        if "y" in variables:
            s = sp.Symbol(f"y_{i + 1}")
            symbols[f"y_{i + 1}"] = s
            reference[s] = _sym_rational(problem.y[i])
            ys.append(s)
        else:
            ys.append(_sym_rational(problem.y[i]))
    xs = []
    for i in range(n):
        row = []
        for k in range(d):
            if "X" in variables:
                name = f"x_{i + 1}" if d == 1 else f"x_{{{i + 1},{k + 1}}}"  # sample x_i, coordinate x_{i,k}
                s = sp.Symbol(name)
                symbols[name] = s
                reference[s] = _sym_rational(problem.X[i][k])
                row.append(s)
            else:
                row.append(_sym_rational(problem.X[i][k]))
        xs.append(row)
    lifted = [row + [sp.Integer(1)] for row in xs] if problem.bias else [list(row) for row in xs]
    width = len(lifted[0])
    vertices = lifted + ([[sp.Integer(1 if j == k else 0) for j in range(width)] for k in range(d)]
                         if problem.penalty == "l1" else [])
    region = []

    def sign_condition(expr, ref_value):
        if ref_value > 0:
            return expr > 0
        if ref_value < 0:
            return expr < 0
        return sp.Eq(expr, 0)

    columns = {}  # (subset, side) -> list of entries
    k = problem.subset_size
    for subset in itertools.combinations(range(len(vertices)), k):
        if k == 0:
            v = [sp.Integer(1)]
        else:
            M = sp.Matrix([vertices[j] for j in subset])
            v = [(-1) ** t * M[:, [c for c in range(width) if c != t]].det(method="berkowitz") for t in range(width)]
            v = [sp.expand(c) for c in v]
        w = v[:d]
        b = v[d] if problem.bias else sp.Integer(0)
        w_ref = [c.subs(reference) for c in w]
        for c, r in zip(w, w_ref):
            relation = sign_condition(c, r)
            if relation is not sp.true:
                region.append(relation)
        if all(r == 0 for r in w_ref):
            continue  # no column here; the relations above keep w = 0 inside the region
        norm = sum((c if r > 0 else -c) for c, r in zip(w, w_ref) if r != 0)
        pre = [sp.expand(sum((xi * wi for xi, wi in zip(xs[i], w)), sp.Integer(0)) + b) for i in range(n)]
        pre_ref = [p.subs(reference) for p in pre]
        for p, r in zip(pre, pre_ref):
            relation = sign_condition(p, r)
            if relation is not sp.true:
                region.append(relation)
        for side in (1, -1):
            columns[(tuple(subset), side)] = [(side * p / norm) if side * r > 0 else sp.Integer(0)
                                              for p, r in zip(pre, pre_ref)]
    support = [(tuple(int(v) for v in s), int(side), int(sigma)) for s, side, sigma in support]
    missing = [key for key in support if key[:2] not in columns]
    if missing:
        raise InvalidInputError(f"support columns {missing} are not columns of the dictionary (w = 0)")
    K = [columns[key[:2]] for key in support]
    M = sp.Matrix([[1] * n] + K).T if problem.fit_intercept else sp.Matrix(K).T
    rhs = M.T * sp.Matrix(ys) - sp.Matrix(([0] if problem.fit_intercept else []) + [beta_s * s for _, _, s in support])
    solution = (M.T * M).LUsolve(rhs)
    solution = [sp.cancel(e) for e in solution]
    c = solution[0] if problem.fit_intercept else sp.Integer(0)
    z = solution[1:] if problem.fit_intercept else solution
    lam = [sp.cancel(ys[i] - (M.row(i) * sp.Matrix(solution))[0]) for i in range(n)]
    for (_, _, sigma), zj in zip(support, z):
        region.append(sigma * zj > 0)
    on = {key[:2] for key in support}
    for key, col in columns.items():
        if key in on:
            continue
        score = sp.cancel(sum((l * v for l, v in zip(lam, col)), sp.Integer(0)))
        if score == 0:
            continue
        region.append(score <= beta_s)
        region.append(-score <= beta_s)
    region = [r for r in region if r is not sp.true]
    from ..explain.symbolic import InputCoordinate

    inputs = (sp.Symbol("x"),) if d == 1 else tuple(InputCoordinate(k + 1) for k in range(d))  # [x]_k: the input
    network = c
    for (subset, side, _), zj in zip(support, z):
        # the neuron's unit weight as a formula: side * (w, b) / ||w||_1 of the subset
        if k == 0:
            v = [sp.Integer(1)]
        else:
            Msub = sp.Matrix([vertices[j] for j in subset])
            v = [(-1) ** t * Msub[:, [cc for cc in range(width) if cc != t]].det(method="berkowitz") for t in range(width)]
        w, b = v[:d], (v[d] if problem.bias else 0)
        norm = sum((cw if cw.subs(reference) > 0 else -cw) for cw in w if cw.subs(reference) != 0)
        inner = side * (sum((x * wi for x, wi in zip(inputs, w)), sp.Integer(0)) + b) / norm
        network += zj * sp.Max(inner, 0)
    return SymbolicSolution(list(z), c, network, region, symbols, inputs, reference, support)
