"""Fitting: data -> wedge dictionary -> convex Lasso -> an optimal ReLU network named by samples.

Rescaling (w, b, alpha) -> (t w, t b, alpha / t) turns problem (P),

    min  L(f(X), y) + (beta/2) sum_j (||w_j||_p^2 + alpha_j^2),

into a Lasso over the neurons relu(X w + b) with ||w||_p <= 1. Its dual constraint is linear on
each chamber of the arrangement {w . x_i + b = 0}, so for p = 1 the maximizing neurons are vertices:
hyperplanes through d samples / basis vectors, i.e. wedge products (theory.md T1-T3, T5: exact).
For weight decay (p = 2, d >= 2) the wedge dictionary gives a feasible network, an upper bound (T4).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from .dictionary import Dictionary, wedge_dictionary
from .errors import InvalidInputError
from .losses import dual_vector, optimal_intercept
from .network import ReLUNetwork
from .solve import LassoProgram, LassoSolution
from .validation import (
    CLASSIFICATION_LOSSES,
    check_beta,
    check_choice,
    check_geometry,
    check_loss,
    check_matrix,
    check_penalty,
    check_targets,
)

METHODS = ("auto", "wedge", "colgen", "exact")
#: method="auto" tries column generation first for classification losses above this many columns
_COLGEN_FIRST_COLUMNS = 2000

#: a Lasso coefficient counts as zero below this fraction of the largest one
_ACTIVE_RELATIVE = 1e-7


# ---------------------------------------------------------------------------------------------
# which theorem covers the case
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    """The theorem of theory.md section 3 that covers a fit, and whether its value is exact."""

    theorem: str  # "T1".."T5"
    exact: bool
    description: str

    @property
    def bound(self) -> str:
        return "exact: the Lasso equals (P)" if self.exact else "upper bound"

    def __str__(self) -> str:
        return f"{self.theorem} ({self.bound}): {self.description}"


def theorem_case(d: int, penalty: str, bias: bool, n_outputs: int = 1, sampled: bool = False,
                 fit_intercept: bool = True) -> Case:
    """Which of T1-T5 applies; ``sampled`` (a sampled dictionary) always gives an upper bound, and so
    does bias=True with fit_intercept=False (the infimum of (P) then includes a free constant)."""
    if d == 1 and bias:
        case = Case("T3", True, "1-D data with bias: breakpoints at the training points")
    elif d == 1:
        case = Case("T1", True, "1-D data without bias: the two neurons relu(x) and relu(-x)")
    elif penalty == "l1":
        name = "T5" if n_outputs > 1 else ("T2" if bias else "T1")
        what = "with bias: hyperplanes through d samples/basis vectors (lifted)" if bias else \
            "without bias: cross products of d-1 samples/basis vectors"
        case = Case(name, True, f"l1 penalty {what}" + ("; vector outputs, group Lasso" if n_outputs > 1 else ""))
    else:
        case = Case("T4", False, "weight decay in d >= 2: the sample wedge dictionary is feasible, not "
                                 "always optimal; method='exact' solves the exact program")
    if bias and not fit_intercept and case.exact:
        # a neuron with w = 0 and a large bias is a constant of vanishing cost in (P): the infimum is
        # that of the model with an intercept, and it is not attained without one
        case = Case(case.theorem, False, case.description + "; bias without intercept: (P) can approach "
                    "a free constant that the Lasso cannot represent, so an upper bound (use fit_intercept=True)")
    if sampled and case.exact:
        case = Case(case.theorem, False, case.description + "; sampled subsets only, so an upper bound")
    return case


# ---------------------------------------------------------------------------------------------
# neurons and results
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Neuron:
    """One active neuron alpha * relu(w . x + b), defined by training samples and basis vectors.

    ``samples`` and ``basis`` are 0-based indices (printed 1-based as x_i and e_k). ``sign`` says
    which side of the hyperplane through the subset is active: w is sign * cross(subset) scaled.
    """

    index: int
    samples: tuple[int, ...]
    basis: tuple[int, ...]
    sign: int
    weight: np.ndarray
    bias: float
    output_weight: float | np.ndarray
    coefficient: float | np.ndarray  # the Lasso coefficient z (alpha * ||w||_p)
    unit_weight: np.ndarray  # w / ||w||_p
    unit_bias: float
    penalty: str
    has_bias: bool = True
    _points: np.ndarray = dataclasses.field(repr=False, default=None)  # the training data X

    def describe(self) -> str:
        """Plain-text geometry, e.g. 'the line through x_7 and x_12'."""
        d = self.weight.shape[0]
        names = [f"x_{i + 1}" for i in self.samples]
        axes = [f"e_{k + 1}" for k in self.basis]
        lifted = self.has_bias
        if d == 1:
            if names:
                return f"breakpoint at {names[0]}"
            return "relu(x)" if self.sign > 0 else "relu(-x)"
        kind = {2: "line", 3: "plane"}.get(d, "hyperplane")
        parts = " and ".join(names) if len(names) <= 2 else ", ".join(names)
        if lifted:
            if axes:
                where = f"through {parts} " if names else ""
                return f"{kind} {where}parallel to {', '.join(axes)}".replace("  ", " ")
            return f"{kind} through {parts}"
        spanned = names + axes
        return f"{kind} through the origin and {', '.join(spanned)}" if spanned else f"{kind} through the origin"

    def expression(self, form: str = "structural", *, digits: int | None = 4):
        """The neuron as a sympy expression (ga_relu.explain): "structural" (wedge notation in the
        named samples), "expanded" (polynomial in coordinates) or "numeric" (numbers substituted,
        rounded to ``digits`` significant digits; None keeps full precision)."""
        from .explain import neuron_expression

        return neuron_expression(self, form=form, digits=digits)

    def latex(self, form: str = "structural", *, digits: int | None = 4) -> str:
        from .explain import neuron_latex

        return neuron_latex(self, form=form, digits=digits)

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def __call__(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        return np.maximum(X @ self.weight + self.bias, 0.0) * self.output_weight


@dataclasses.dataclass
class FitResult:
    """The result of :func:`fit`: the network, its value in (P), its neurons and how exact it is."""

    network: ReLUNetwork
    objective: float
    neurons: list[Neuron]
    case: Case
    beta: float
    penalty: str
    bias: bool
    loss: str
    fit_intercept: bool
    method: str
    dictionary: Dictionary
    coefficients: np.ndarray  # Lasso z over the dictionary's columns (the one the network realizes)
    intercept: float | np.ndarray
    dual: np.ndarray  # lambda = -dL/df at the training predictions
    status: str
    solve_time: float
    setup_time: float
    lasso_objective: float  # L + beta ||z||_1 at the solver's z (before dropping ~0 coefficients)
    X: np.ndarray = dataclasses.field(repr=False, default=None)
    y: np.ndarray = dataclasses.field(repr=False, default=None)
    info: dict = dataclasses.field(default_factory=dict)

    @property
    def exact(self) -> bool:
        """True when the theorem covering the case makes this the optimum of (P) (see certificate())."""
        return self.case.exact

    @property
    def n_columns(self) -> int:
        return self.dictionary.n_columns

    def predict(self, X) -> np.ndarray:
        return self.network(X)

    def certificate(self, **kwargs):
        """The dual certificate of this fit (ga_relu.certify)."""
        from .certificates import certify_fit

        return certify_fit(self, **kwargs)

    def to_latex(self, form: str = "structural", *, digits: int | None = 4) -> str:
        """f(x) = sum_j alpha_j relu(...) + c as LaTeX (ga_relu.explain)."""
        from .explain import network_latex

        return network_latex(self, form=form, digits=digits)

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.to_latex()}$"

    def table(self, max_rows: int | None = None) -> str:
        """A plain-text table of the neurons: defining samples, output weight, geometry."""
        rows = [f"{'#':>3}  {'samples':<18} {'sign':>4}  {'alpha':>10}  neuron"]
        shown = self.neurons if max_rows is None else self.neurons[:max_rows]
        for nr in shown:
            ids = ",".join(f"x_{i + 1}" for i in nr.samples) + ("," if nr.samples and nr.basis else "") + \
                ",".join(f"e_{k + 1}" for k in nr.basis)
            alpha = nr.output_weight if np.ndim(nr.output_weight) == 0 else np.linalg.norm(nr.output_weight)
            rows.append(f"{nr.index:>3}  {ids:<18} {nr.sign:>+4d}  {alpha:>10.4g}  {nr.describe()}")
        if max_rows is not None and len(self.neurons) > max_rows:
            rows.append(f"... {len(self.neurons) - max_rows} more")
        return "\n".join(rows)

    def summary(self) -> str:
        d = self.network.dim
        lines = [
            f"ga-relu fit: n={self.dictionary.n_samples}, d={d}, penalty={self.penalty}, bias={self.bias}, "
            f"loss={self.loss}, beta={self.beta:g}, method={self.method}",
            (f"column generation: the full dictionary's {self.dictionary.n_candidates:,} subsets priced in "
             f"{self.info.get('iterations', '?')} rounds, final working set {self.dictionary.n_columns:,} columns; "
             f"pricing ratio {self.info.get('ratio', float('nan')):.8g}"
             if self.method == "colgen" else
             f"dictionary: {self.dictionary.n_columns:,} columns from {self.dictionary.n_candidates:,} subsets "
             f"({self.dictionary.n_degenerate} degenerate, {self.dictionary.n_duplicates} duplicate dropped)"),
            f"objective of (P): {self.objective:.8g}  [{self.case.theorem}, {self.case.bound}: "
            f"{self.case.description}]",
            "  optimal up to solver tolerance by theorem; .certificate() checks it" if self.case.exact else
            "  .certificate() measures how far from optimal it can be",
            f"active neurons: {len(self.neurons)}; solver {self.status} in {self.solve_time:.3f} s "
            f"(set-up {self.setup_time:.3f} s)",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"FitResult(objective={self.objective:.6g}, neurons={len(self.neurons)}, case={self.case.theorem}, "
                f"{self.case.bound})")


# ---------------------------------------------------------------------------------------------
# reconstruction
# ---------------------------------------------------------------------------------------------


def network_from_lasso(dictionary: Dictionary, z: np.ndarray, intercept, *, X: np.ndarray | None = None,
                       relative_tol: float = _ACTIVE_RELATIVE) -> tuple[ReLUNetwork, list[Neuron]]:
    """Neurons of a Lasso solution (theory.md, reconstruction).

    A nonzero z_j on column (S, s) gives w_j = s sqrt(|z_j|) w_S, b_j alike (||w_S||_p = 1) and
    alpha_j = sign(z_j) sqrt(|z_j|), so (beta/2)(||w_j||_p^2 + alpha_j^2) = beta |z_j|. For several
    outputs the row Z_j gives w_j = s sqrt(||Z_j||) w_S and alpha_j = Z_j / sqrt(||Z_j||).
    """
    size = np.abs(z) if z.ndim == 1 else np.linalg.norm(z, axis=1)
    top = float(size.max()) if size.size else 0.0
    active = np.flatnonzero(size > relative_tol * top) if top > 0 else np.zeros(0, dtype=int)
    active = active[np.argsort(-size[active], kind="stable")]
    W, B, A, neurons = [], [], [], []
    for rank, j in enumerate(active):
        subset, s, w_unit, b_unit = dictionary.column(int(j))
        scale = np.sqrt(size[j])
        w, b = s * scale * w_unit, s * scale * b_unit
        alpha = z[j] / scale
        W.append(w), B.append(b), A.append(alpha)
        samples, basis = dictionary.split_subset(subset)
        neurons.append(Neuron(index=rank + 1, samples=samples, basis=basis, sign=s, weight=w, bias=float(b),
                              output_weight=alpha if np.ndim(alpha) else float(alpha), coefficient=z[j],
                              unit_weight=s * w_unit, unit_bias=s * b_unit, penalty=dictionary.penalty,
                              has_bias=dictionary.bias, _points=X))
    d = dictionary.dim
    n_out = None if z.ndim == 1 else z.shape[1]
    if W:
        net = ReLUNetwork(np.array(W), np.array(B), np.array(A), intercept)
    else:
        net = ReLUNetwork(np.zeros((0, d)), np.zeros(0), np.zeros((0,) if n_out is None else (0, n_out)), intercept)
    return net, neurons


def _validated(X, y, beta, penalty, bias, loss, fit_intercept):
    X = check_matrix(X)
    loss = check_loss(loss)
    penalty = check_penalty(penalty)
    y = check_targets(y, X.shape[0], loss)
    beta = check_beta(beta)
    if not isinstance(bias, (bool, np.bool_)):
        raise InvalidInputError(f"bias must be True or False, got {bias!r}")
    if not isinstance(fit_intercept, (bool, np.bool_)):
        raise InvalidInputError(f"fit_intercept must be True or False, got {fit_intercept!r}")
    check_geometry(X, bool(bias))
    return X, y, beta, penalty, bool(bias), loss, bool(fit_intercept)


def _polished_coefficients(K: np.ndarray, y: np.ndarray, sol: LassoSolution, beta: float, loss: str,
                           fit_intercept: bool, tight_tol: float = 1e-6) -> tuple[np.ndarray, float] | None:
    """A sparse Lasso solution refined from the solver's, or None.

    For a strictly convex loss (squared, logistic) the optimal predictions f* are unique, and any z
    supported on the dual-tight columns T = {j : |K_j . lambda| = beta} with sign(z_j) = s_j =
    sign(K_j . lambda) and K z + c = f* is optimal: its penalty beta s^T z = lambda . (f* - c) is
    fixed. Non-negative least squares on  K_T diag(s) u + c = f*  (an active-set method) finds a
    basic such z, on at most n + 1 columns, without the interior-point residue (~1e-9) on every other
    column. For the squared loss the KKT system on that support,
    [K_S 1]^T (y - K_S z_S - c) = [beta s_S; 0], is then solved exactly (the support has full rank).
    The caller accepts the result only if it keeps the objective and the dual ratio.
    """
    from scipy.optimize import nnls

    if loss not in ("squared", "logistic") or sol.z.ndim != 1:
        return None
    n = K.shape[0]
    dual = K.T @ sol.lam
    tight = np.flatnonzero(np.abs(dual) >= beta * (1 - tight_tol))
    if tight.size == 0:  # no column reaches the dual bound: z = 0 is the optimum
        return np.zeros_like(sol.z), sol.intercept
    s = np.sign(dual[tight])
    f_star = K @ sol.z + sol.intercept
    A = K[:, tight] * s
    if fit_intercept:
        A = np.hstack([A, np.ones((n, 1)), -np.ones((n, 1))])
    try:
        u, residual = nnls(A, f_star, maxiter=50 * A.shape[1])
    except RuntimeError:  # NNLS iteration limit
        return None
    if residual > 1e-5 * (1.0 + np.linalg.norm(f_star)):
        return None
    z = np.zeros_like(sol.z)
    z[tight] = s * u[: tight.size]
    c = float(u[-2] - u[-1]) if fit_intercept else 0.0
    if loss == "squared":
        support = np.flatnonzero(z)
        B = np.hstack([K[:, support], np.ones((n, 1))]) if fit_intercept else K[:, support]
        rhs = B.T @ y - beta * (np.append(np.sign(z[support]), 0.0) if fit_intercept else np.sign(z[support]))
        try:
            exact = np.linalg.solve(B.T @ B, rhs)
        except np.linalg.LinAlgError:
            return z, c
        if np.all(np.sign(exact[: support.size]) == np.sign(z[support])):
            z = np.zeros_like(sol.z)
            z[support] = exact[: support.size]
            c = float(exact[-1]) if fit_intercept else 0.0
    return z, c


def _dual_ratio(K: np.ndarray, lam: np.ndarray, beta: float) -> float:
    """max_j |K_j . lambda| / beta over the dictionary's columns (norms for vector outputs)."""
    dual = K.T @ lam
    dual = np.abs(dual) if dual.ndim == 1 else np.linalg.norm(dual, axis=1)
    return float(dual.max(initial=0.0)) / beta


def _result(X, y, beta, penalty, bias, loss, fit_intercept, method, dictionary, K, sol: LassoSolution,
            setup_time: float) -> FitResult:
    lasso_objective = sol.objective(K, y, loss, beta)
    solver_ratio = _dual_ratio(K, sol.lam, beta)
    polished = _polished_coefficients(K, y, sol, beta, loss, fit_intercept)
    # the polished (sparse) z when it keeps the objective and the dual ratio over the dictionary
    # (to round-off), else the solver's own z
    for z, c in ([polished] if polished is not None else []) + [(sol.z, sol.intercept)]:
        net, neurons = network_from_lasso(dictionary, z, c, X=X)
        if fit_intercept:
            # the exact unpenalized intercept given the kept neurons: restores sum(lambda) = 0, which
            # the solver meets only to its tolerance, and can only lower the loss
            net.c = optimal_intercept(loss, net(X) - net.c, y, net.c)
        objective = net.objective(X, y, beta, penalty, loss)
        lam = sol.lam if loss == "hinge" else dual_vector(loss, net(X), y)
        if (objective <= lasso_objective * (1 + 1e-7) + 1e-12
                and _dual_ratio(K, lam, beta) <= max(solver_ratio, 1.0) + 1e-6):
            break
    n_outputs = 1 if y.ndim == 1 else y.shape[1]
    return FitResult(
        network=net, objective=objective, neurons=neurons,
        case=theorem_case(X.shape[1], penalty, bias, n_outputs, dictionary.sampled, fit_intercept),
        beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept, method=method,
        dictionary=dictionary, coefficients=z, intercept=net.c,
        dual=lam,
        status=sol.status, solve_time=sol.solve_time, setup_time=setup_time,
        lasso_objective=lasso_objective, X=X, y=y,
    )


# ---------------------------------------------------------------------------------------------
# public entry points
# ---------------------------------------------------------------------------------------------


def fit(X, y, *, beta: float, penalty: str = "l1", bias: bool = True, loss: str = "squared",
        fit_intercept: bool = True, subsets=None, random_state=None, method: str = "auto",
        memory_budget: int | None = None, verbose: bool = False, **method_options) -> FitResult:
    """Train a two-layer ReLU network by convex optimization over wedge-product features.

    Solves  min_z,c  L(K z + c, y) + beta ||z||_1  where K's columns are relu(+-(X w_S + b_S)) for
    the hyperplanes through subsets S of the vertex set (samples, plus basis vectors for l1),
    normalized to ||w_S||_p = 1, and returns the network with w_j = s sqrt|z_j| w_S,
    alpha_j = sign(z_j) sqrt|z_j|, whose value in (P) equals the Lasso value.

    Parameters
    ----------
    X : (n, d) data; y : (n,) targets, labels in {-1, +1} for loss "logistic"/"hinge", or (n, c)
        for several outputs (group Lasso, T5).
    beta : regularization strength (> 0).
    penalty : "l1" (||w||_1^2 on first-layer weights: exact, T1/T2) or "l2" (weight decay: the wedge
        dictionary gives an upper bound, T4; ``method="exact"`` solves the exact program).
    bias : hidden biases (hyperplanes through d samples after lifting x -> (x, 1)).
    loss : "squared", "logistic" or "hinge".
    subsets : None for the full dictionary; an int k samples k random subsets (Wang et al.'s
        randomized method: an upper bound); an (m, k) array of vertex indices uses exactly those.
    method : "auto" (full wedge dictionary when its matrix fits the memory budget, else column
        generation; for the logistic and hinge losses above 2,000 columns column generation first,
        falling back to the full solve), "wedge", "colgen" (exact optimum over the full dictionary with a certificate,
        never building it whole) or "exact" (weight decay: the cone program over all chambers).
    **method_options : passed to the method: for "colgen" ``tol``, ``max_iter``, ``batch``,
        ``pricing`` ("sweep" for 2-D with bias, "stream", "auto"), ``solver``, ``prune``, ``chunk``
        (see :func:`ga_relu.colgen.fit_colgen`); for "exact" ``max_patterns``, ``compare_wedge``
        (see :func:`ga_relu.certify.fit_exact_weight_decay`).

    Returns a :class:`FitResult`; ``result.case`` says which theorem covers the case (exact or an
    upper bound) and ``result.certificate()`` checks optimality with a dual certificate.
    """
    check_choice(method, METHODS, "method")
    if subsets is not None and method in ("colgen", "exact"):
        raise InvalidInputError(
            f"subsets= chooses a sampled dictionary, which method={method!r} does not use ({method!r} works "
            "over all subsets or all activation patterns); drop subsets= or use method='wedge'"
        )
    X, y, beta, penalty, bias, loss, fit_intercept = _validated(X, y, beta, penalty, bias, loss, fit_intercept)
    if method == "exact":
        from .certificates import fit_exact_weight_decay

        return fit_exact_weight_decay(X, y, beta=beta, penalty=penalty, bias=bias, loss=loss,
                                      fit_intercept=fit_intercept, verbose=verbose, **method_options)
    if method_options:
        if method not in ("colgen", "auto"):
            raise InvalidInputError(f"unknown option(s) {sorted(method_options)} for method={method!r}")
    if method == "auto" and subsets is None:
        from .dictionary import dictionary_bytes, n_candidate_subsets
        from .config import options

        budget = options.memory_budget_bytes if memory_budget is None else memory_budget
        total = n_candidate_subsets(X.shape[0], X.shape[1], penalty, bias)
        if dictionary_bytes(X.shape[0], 2 * total) > budget:
            method = "colgen"
        elif loss in CLASSIFICATION_LOSSES and 2 * total > _COLGEN_FIRST_COLUMNS and y.ndim == 1:
            # exponential-cone (logistic) and LP (hinge) solves over thousands of columns take Clarabel
            # tens of seconds and sometimes stall; on column generation's small working sets they take
            # milliseconds, and the result is certified over the full dictionary just the same
            from .colgen import fit_colgen
            from .errors import ConvergenceError, SolverError

            try:
                return fit_colgen(X, y, beta=beta, penalty=penalty, bias=bias, loss=loss,
                                  fit_intercept=fit_intercept, memory_budget=memory_budget, verbose=verbose,
                                  **method_options)
            except (ConvergenceError, SolverError):
                method = "wedge"  # the full solve is the judge
        else:
            method = "wedge"
    elif method == "auto":
        method = "wedge"
    if method == "colgen":
        from .colgen import fit_colgen

        return fit_colgen(X, y, beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept,
                          memory_budget=memory_budget, verbose=verbose, **method_options)
    dictionary, K, program, setup = _wedge_program(X, y, penalty, bias, loss, fit_intercept, subsets,
                                                   random_state, memory_budget)
    sol = program.solve(beta)
    return _result(X, y, beta, penalty, bias, loss, fit_intercept, "wedge", dictionary, K, sol, setup)


def _wedge_program(X, y, penalty, bias, loss, fit_intercept, subsets, random_state, memory_budget):
    """The wedge dictionary, its feature matrix and the compiled Lasso, with the set-up time."""
    start = time.perf_counter()
    dictionary = wedge_dictionary(X, penalty=penalty, bias=bias, subsets=subsets, random_state=random_state,
                                  memory_budget=memory_budget)
    K = dictionary.matrix(X)
    program = LassoProgram(K, y, loss=loss, fit_intercept=fit_intercept)
    return dictionary, K, program, time.perf_counter() - start


@dataclasses.dataclass
class FitPath:
    """Fits along a regularization path, all on one dictionary and one compiled problem."""

    betas: np.ndarray
    fits: list[FitResult]
    dictionary: Dictionary

    @property
    def coefficients(self) -> np.ndarray:
        """Lasso coefficients, shape (n_betas, n_columns[, c])."""
        return np.array([f.coefficients for f in self.fits])

    def __iter__(self):
        return iter(self.fits)

    def __len__(self) -> int:
        return len(self.fits)

    def __getitem__(self, i):
        return self.fits[i]


def path(X, y, betas, *, penalty: str = "l1", bias: bool = True, loss: str = "squared",
         fit_intercept: bool = True, subsets=None, random_state=None, memory_budget: int | None = None) -> FitPath:
    """Fits for several betas. beta is a ``cp.Parameter`` of one compiled problem, so each further
    beta re-solves without recompiling. Along a path ||z||_1 does not increase with beta."""
    betas = np.atleast_1d(np.asarray(betas, dtype=float))
    if betas.size == 0:
        raise InvalidInputError("betas is empty; pass at least one positive regularization strength")
    for b in betas:
        check_beta(float(b), "each beta")
    X, y, _, penalty, bias, loss, fit_intercept = _validated(X, y, float(betas[0]), penalty, bias, loss,
                                                             fit_intercept)
    dictionary, K, program, setup = _wedge_program(X, y, penalty, bias, loss, fit_intercept, subsets,
                                                   random_state, memory_budget)
    fits = []
    for beta in betas:
        sol = program.solve(float(beta))
        fits.append(_result(X, y, float(beta), penalty, bias, loss, fit_intercept, "wedge", dictionary, K, sol,
                            setup))
        setup = 0.0
    return FitPath(betas=betas, fits=fits, dictionary=dictionary)
