r"""The exact regularization path of the l1 wedge Lasso with squared loss (an exact homotopy).

For the squared loss the Lasso over the finite vertex dictionary,

.. math:: \min_{z,\,c}\; \tfrac12 \|K z + c\,\mathbf 1 - y\|^2 + \beta \|z\|_1 ,

has on a fixed support T with signs s the solution z_T(beta) = G^{-1} K_T^T y - beta G^{-1} s
(G = K_T^T K_T, columns and targets centred when the intercept is free), affine in beta: the path
is piecewise affine, with breakpoints where an inactive column's correlation |K_j . lambda(beta)|
reaches beta or an active coefficient reaches 0. Both are linear equations in beta with rational
coefficients, so every breakpoint is rational and the whole path is computed in exact arithmetic
(LARS with the lasso modification, Efron et al. 2004).

It starts at

.. math:: \beta_{\max} = \max_j |K_j \cdot (y - \bar y\,\mathbf 1)|

(closed form: above it z = 0 and f is the mean of y). At a breakpoint every column whose
correlation equals beta is a candidate; the next support T' is a linearly independent set holding
the surviving coefficients such that the direction delta = G'^{-1} s_{T'} has the correlation's
sign on the entering columns and keeps every other tied column inside (s_j K_j^T K_{T'} delta >= 1):
ties and degenerate steps are resolved exactly by trying candidate sets, smallest first.

By T1/T2/T3 (l1 penalty, or any penalty in 1-D) the Lasso equals (P), so each piece's network is
the global optimum of (P) for every beta in its interval.
"""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction


from ..convex.dictionary import iter_subsets
from ..errors import ConvergenceError, EnumerationTooLargeError, InvalidInputError, UnprovableError
from .exact import MAX_BITS, ExactProblem, _fmpq, _fraction, _l1, _preactivations, exact_problem, integer_normals, to_rational
from .proof import latex_affine, latex_number

__all__ = ["exact_path", "ExactPath", "PathPiece", "PathNeuron", "exact_dictionary", "MAX_COLUMNS"]

#: largest exact dictionary the path works on (the path is for small problems: its cost is a few
#: exact products with the n x N dictionary per breakpoint)
MAX_COLUMNS = 20_000

#: largest number of candidate supports tried at one degenerate breakpoint
MAX_TIE_CANDIDATES = 4096


@dataclasses.dataclass(frozen=True)
class PathNeuron:
    """z(beta) relu(unit_weight . x + unit_bias) with z(beta) = a - b beta (Fractions)."""

    subset: tuple
    sign: int
    unit_weight: tuple
    unit_bias: Fraction
    a: Fraction
    b: Fraction

    def coefficient(self, beta) -> Fraction:
        """z at an exact beta."""
        return self.a - self.b * to_rational(beta, "beta")

    def expression(self, beta_symbol=None):
        """z(beta) = a - b beta as a sympy expression in the symbol beta."""
        import sympy as sp

        beta_symbol = sp.Symbol("beta", positive=True) if beta_symbol is None else beta_symbol
        return sp.Rational(self.a.numerator, self.a.denominator) - sp.Rational(self.b.numerator, self.b.denominator) * beta_symbol


@dataclasses.dataclass(frozen=True)
class PathPiece:
    """One affine piece of the path, for beta_low <= beta <= beta_high.

    ``neurons`` carry z_j(beta) = a_j - b_j beta; the intercept is c(beta) = intercept[0] -
    intercept[1] beta.
    """

    beta_low: Fraction
    beta_high: Fraction
    neurons: tuple
    intercept: tuple
    dimension: int

    def contains(self, beta) -> bool:
        beta = to_rational(beta, "beta")
        return self.beta_low <= beta <= self.beta_high

    def coefficients(self, beta) -> list[Fraction]:
        """The z_j at an exact beta (in the order of ``neurons``)."""
        return [neuron.coefficient(beta) for neuron in self.neurons]

    def intercept_at(self, beta) -> Fraction:
        return self.intercept[0] - self.intercept[1] * to_rational(beta, "beta")

    def predict(self, X, beta) -> list[Fraction]:
        """f(x) = c(beta) + sum_j z_j(beta) relu(u_j . x + v_j) at the rows of X, exactly."""
        beta = to_rational(beta, "beta")
        out = []
        for row in X:
            x = [to_rational(v, "X") for v in (row if hasattr(row, "__len__") else [row])]
            total = self.intercept_at(beta)
            for neuron in self.neurons:
                pre = sum((u * xi for u, xi in zip(neuron.unit_weight, x)), Fraction(0)) + neuron.unit_bias
                if pre > 0:
                    total += neuron.coefficient(beta) * pre
            out.append(total)
        return out

    def objective(self, X, y, beta) -> Fraction:
        """1/2 ||f(X) - y||^2 + beta sum_j |z_j(beta)|, exactly."""
        beta = to_rational(beta, "beta")
        residual = [to_rational(t, "y") - f for t, f in zip(y, self.predict(X, beta))]
        return sum((r * r for r in residual), Fraction(0)) / 2 + beta * sum((abs(z) for z in self.coefficients(beta)), Fraction(0))

    def expression(self, beta_symbol=None):
        """f(x) as a sympy expression in beta and the input x (1-D) or its coordinates [x]_1..[x]_d."""
        import sympy as sp

        beta_symbol = sp.Symbol("beta", positive=True) if beta_symbol is None else beta_symbol
        from ..explain.symbolic import InputCoordinate

        xs = [sp.Symbol("x")] if self.dimension == 1 else [InputCoordinate(k + 1) for k in range(self.dimension)]
        R = lambda q: sp.Rational(q.numerator, q.denominator)  # noqa: E731
        total = R(self.intercept[0]) - R(self.intercept[1]) * beta_symbol
        for neuron in self.neurons:
            inner = sum((R(u) * x for u, x in zip(neuron.unit_weight, xs)), sp.Integer(0)) + R(neuron.unit_bias)
            total += neuron.expression(beta_symbol) * sp.Max(inner, 0)
        return total

    def latex(self) -> str:
        r"""``for 1/7 <= beta <= 3/10: f(x) = (12/5 - 4 beta) relu(...) + ...`` in LaTeX."""
        names = ["x"] if self.dimension == 1 else [f"[x]_{{{k + 1}}}" for k in range(self.dimension)]  # [x]_k: the input
        terms = []
        c = _affine_latex(*self.intercept)
        if c != "0":
            terms.append(c)
        for neuron in self.neurons:
            inner = latex_affine(neuron.unit_weight, neuron.unit_bias, names)
            terms.append(f"\\left({_affine_latex(neuron.a, neuron.b)}\\right) \\operatorname{{relu}}\\left({inner}\\right)")
        body = " + ".join(terms) if terms else "0"
        return (f"\\text{{for }} {latex_number(self.beta_low)} \\le \\beta \\le {latex_number(self.beta_high)}: "
                f"\\quad f(x) = {body}")

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def __str__(self) -> str:
        return (f"for {self.beta_low} <= beta <= {self.beta_high}: c = {_affine_text(*self.intercept)}, "
                + ", ".join(f"z{tuple(n.subset)}{'+' if n.sign > 0 else '-'} = {_affine_text(n.a, n.b)}" for n in self.neurons))


def _affine_latex(a: Fraction, b: Fraction) -> str:
    """a - b beta as LaTeX."""
    if b == 0:
        return latex_number(a)
    slope = "" if abs(b) == 1 else latex_number(abs(b)) + " "
    beta_term = f"{slope}\\beta"
    if a == 0:
        return beta_term if b < 0 else f"-{beta_term}"
    return f"{latex_number(a)} {'-' if b > 0 else '+'} {beta_term}"


def _affine_text(a: Fraction, b: Fraction) -> str:
    return str(a) if b == 0 else f"{a} {'-' if b > 0 else '+'} {abs(b)} beta"


@dataclasses.dataclass(frozen=True)
class ExactPath:
    """The exact path: ``pieces`` from beta_max down to beta_min, each affine in beta."""

    pieces: tuple
    beta_max: Fraction
    beta_min: Fraction
    mean: Fraction
    X: tuple
    y: tuple

    def __len__(self) -> int:
        return len(self.pieces)

    def __iter__(self):
        return iter(self.pieces)

    def __getitem__(self, i):
        return self.pieces[i]

    @property
    def breakpoints(self) -> list[Fraction]:
        """beta_max, then every piece's lower end (the last is beta_min)."""
        return [self.beta_max] + [piece.beta_low for piece in self.pieces]

    def piece_at(self, beta) -> PathPiece:
        """The piece whose interval holds beta (the upper one at a breakpoint)."""
        beta = to_rational(beta, "beta")
        for piece in self.pieces:
            if piece.contains(beta):
                return piece
        raise InvalidInputError(f"beta = {beta} lies outside the computed path [{self.beta_min}, {self.beta_max}]; "
                                "above beta_max the optimum is the constant mean(y); lower beta_min for smaller beta")

    def latex(self) -> str:
        """One line per piece."""
        top = f"\\text{{for }} \\beta \\ge {latex_number(self.beta_max)}: \\quad f(x) = {latex_number(self.mean)}"
        return " \\\\\n".join([top] + [piece.latex() for piece in self.pieces])

    def _repr_latex_(self) -> str:
        return "$\\begin{array}{l}" + self.latex().replace(" \\\\\n", " \\\\ ") + "\\end{array}$"


def exact_dictionary(problem: ExactProblem, *, max_columns: int = MAX_COLUMNS):
    """Every column of the full vertex dictionary, exactly: a list of (subset, side, unit weight,
    unit bias, values) with Fraction values; only normals with w = 0 (no column) are left out.

    >>> cols = exact_dictionary(exact_problem([[0], [1], [2]], [0, 1, 0], 1))
    >>> [(c[0], c[1], [str(v) for v in c[4]]) for c in cols][:2]
    [((0,), 1, ['0', '1', '2']), ((0,), -1, ['0', '0', '0'])]
    """
    total = problem.n_subsets
    if 2 * total > max_columns:
        raise EnumerationTooLargeError(f"the exact path works on the full dictionary, here {2 * total:,} columns, above "
                                       f"max_columns={max_columns:,}; use fewer samples or raise max_columns")
    columns = []
    for block in iter_subsets(len(problem.vertices), problem.subset_size, max(total, 1)):
        w, b = integer_normals(problem, block)
        norms = _l1(w)
        A = _preactivations(problem, w, b)
        for j in range(len(block)):
            norm = int(norms[j])
            if norm == 0:
                continue
            den = problem.scale * norm
            for side in (1, -1):
                values = [Fraction(max(side * int(a), 0), den) for a in A[:, j]]
                unit = tuple(Fraction(side * int(x), norm) for x in w[j])
                columns.append((tuple(int(v) for v in block[j]), side, unit, Fraction(side * int(b[j]), norm), values))
    return columns


def exact_path(X, y, *, penalty: str = "l1", bias: bool = True, fit_intercept: bool = True, beta_min,
               max_columns: int = MAX_COLUMNS, max_pieces: int = 10_000, max_bits: int = MAX_BITS) -> ExactPath:
    """The exact piecewise-affine path of the l1 wedge Lasso (squared loss) from beta_max to beta_min.

    Parameters
    ----------
    X, y : array_like
        Data and one column of targets: ints, Fractions, sympy Rationals as they are, floats at
        their exact binary values.
    penalty, bias, fit_intercept
        As in :func:`ga_relu.fit`; weight decay only in 1-D (T3/T1), not T4.
    beta_min : rational
        The path stops there (> 0).

    Returns
    -------
    ExactPath

    Examples
    --------
    >>> path = exact_path([[0], [1], [2]], [0, 1, 0], beta_min=Fraction(1, 10))
    >>> path.beta_max, [str(piece) for piece in path]
    (Fraction(1, 3), ['for 1/10 <= beta <= 1/3: c = 1 - 2 beta, z(1,)+ = -1 + 3 beta, z(1,)- = -1 + 3 beta'])
    """
    problem = exact_problem(X, y, beta_min, penalty=penalty, bias=bias, fit_intercept=fit_intercept, max_bits=max_bits)
    if problem.n_outputs > 1:
        raise UnprovableError("the exact path covers one output: a group Lasso (vector outputs, T5) has square roots "
                              "in its path; use ga_relu.path for floats")
    beta_min = problem.beta
    import flint

    n = problem.n
    columns = exact_dictionary(problem, max_columns=max_columns)
    y_exact = list(problem.y)
    center = problem.needs_sum_zero
    mean = sum(y_exact, Fraction(0)) / n if center else Fraction(0)
    # centred columns (a free intercept absorbs constants); identical centred columns are the same
    # column for the Lasso with an intercept, and all-zero ones never enter: both provably redundant
    kept, seen = [], set()
    for col in columns:
        values = col[4]
        mu = sum(values, Fraction(0)) / n if center else Fraction(0)
        centred = tuple(v - mu for v in values)
        if all(v == 0 for v in centred) or centred in seen:
            continue
        seen.add(centred)
        kept.append((col, centred, mu))
    N = len(kept)
    Kc = flint.fmpq_mat(n, N, [_fmpq(kept[j][1][i]) for i in range(n) for j in range(N)])
    yc = flint.fmpq_mat(n, 1, [_fmpq(v - mean) for v in y_exact])
    KtK_cache = {}

    def correlations(r):
        return [_fraction(v) for v in (Kc.transpose() * r).entries()]

    def gram(T):
        return flint.fmpq_mat(len(T), len(T), [KtK(i, j) for i in T for j in T])

    def KtK(i, j):
        key = (min(i, j), max(i, j))
        if key not in KtK_cache:
            KtK_cache[key] = sum((a * b for a, b in zip(kept[i][1], kept[j][1])), Fraction(0))
        return _fmpq(KtK_cache[key])

    corr0 = correlations(yc)
    beta_max = max(abs(v) for v in corr0) if corr0 else Fraction(0)
    if beta_max == 0:
        raise InvalidInputError("every column is orthogonal to the centred targets (constant y?): the optimum is the "
                                "constant mean(y) for every beta, there is no path")
    pieces = []
    beta0 = beta_max
    z0 = {}  # column -> coefficient at beta0
    corr_at = corr0  # correlations at beta0 (with T = empty: K^T yc)
    T, signs = [], []
    while beta0 > beta_min:
        if len(pieces) >= max_pieces:
            raise ConvergenceError(f"the exact path has {max_pieces} pieces above beta = {beta0}; raise max_pieces")
        T, signs = _next_support(kept, corr_at, beta0, z0, gram, KtK)
        G = gram(T)
        KT = flint.fmpq_mat(n, len(T), [_fmpq(kept[j][1][i]) for i in range(n) for j in T])
        s = flint.fmpq_mat(len(T), 1, [_fmpq(Fraction(v)) for v in signs])
        g = G.solve(KT.transpose() * yc)
        h = G.solve(s)
        r0 = yc - KT * g
        r1 = KT * h  # residual r(beta) = r0 + beta r1
        p, q = correlations(r0), correlations(r1)
        g, h = [_fraction(v) for v in g.entries()], [_fraction(v) for v in h.entries()]
        events = []
        inside = set(T)
        for j in range(N):
            if j in inside:
                continue
            for target in (1, -1):  # p_j + q_j beta = target beta
                slope = target - q[j]
                if slope != 0:
                    event = p[j] / slope
                    if 0 < event < beta0:
                        events.append(event)
        for gj, hj in zip(g, h):  # z_j = g_j - beta h_j reaches 0
            if hj != 0:
                event = gj / hj
                if 0 < event < beta0:
                    events.append(event)
        beta1 = max(events) if events else Fraction(0)
        low = max(beta1, beta_min)
        neurons = []
        c_a, c_b = mean, Fraction(0)
        for j, gj, hj in zip(T, g, h):
            col, _, mu = kept[j]
            if gj == 0 and hj == 0:
                continue
            neurons.append(PathNeuron(subset=col[0], sign=col[1], unit_weight=col[2], unit_bias=col[3], a=gj, b=hj))
            # c = mean(y - K z) = mean(y) - sum_j mu_j z_j
            c_a -= mu * gj
            c_b -= mu * hj
        pieces.append(PathPiece(beta_low=low, beta_high=beta0, neurons=tuple(neurons),
                                intercept=(c_a if center else Fraction(0), c_b if center else Fraction(0)),
                                dimension=problem.d))
        if beta1 <= beta_min:
            break
        beta0 = beta1
        z0 = {j: gj - beta1 * hj for j, gj, hj in zip(T, g, h)}
        corr_at = [pj + beta1 * qj for pj, qj in zip(p, q)]
    return ExactPath(tuple(pieces), beta_max, beta_min, mean, problem.X, problem.y)


def _next_support(kept, corr, beta0, z0, gram, KtK):
    """The support and signs for beta just below a breakpoint beta0 (module docstring)."""
    tied = [j for j, c in enumerate(corr) if abs(c) == beta0]
    sign = {j: (1 if corr[j] > 0 else -1) for j in tied}
    fixed = [j for j in tied if z0.get(j, 0) != 0]
    free = [j for j in tied if j not in fixed]
    tried = 0
    for size in range(0, len(free) + 1):
        for extra in itertools.combinations(free, size):
            tried += 1
            if tried > MAX_TIE_CANDIDATES:
                raise EnumerationTooLargeError(
                    f"the breakpoint beta = {beta0} ties {len(tied)} columns; more than {MAX_TIE_CANDIDATES} candidate "
                    "supports were tried (highly symmetric data); perturb the data slightly or use ga_relu.path")
            T = fixed + list(extra)
            if not T:
                continue
            G = gram(T)
            try:
                delta = [_fraction(v) for v in G.solve(_column([sign[j] for j in T])).entries()]
            except ZeroDivisionError:  # linearly dependent columns: not a basic support
                continue
            if any(sign[j] * dj <= 0 for j, dj in zip(T, delta) if j in extra):
                continue
            ok = True
            for j in tied:
                if j in T:
                    continue
                drift = sum((_fraction(KtK(j, t)) * dt for t, dt in zip(T, delta)), Fraction(0))
                if sign[j] * drift < 1:
                    ok = False
                    break
            if ok:
                return T, [sign[j] for j in T]
    raise ConvergenceError(f"no basic support continues the path below beta = {beta0} ({len(tied)} tied columns); "
                           "this needs a non-basic step, which is not implemented; use ga_relu.path")


def _column(values):
    import flint

    return flint.fmpq_mat(len(values), 1, [_fmpq(Fraction(v)) for v in values])
