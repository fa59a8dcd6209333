"""Fitting: data -> wedge dictionary -> convex Lasso -> an optimal ReLU network named by samples.

Rescaling (w, b, alpha) -> (t w, t b, alpha / t) turns problem (P),

    min  L(f(X), y) + (beta/2) sum_j (||w_j||_p^2 + alpha_j^2),

into a Lasso over the neurons relu(X w + b) with ||w||_p <= 1. Its dual constraint is linear on
each chamber of the arrangement {w . x_i + b = 0}, so for p = 1 the maximizing neurons are vertices:
hyperplanes through d samples / basis vectors, i.e. wedge products (theory.md T1-T3, T5: exact).
For weight decay (p = 2, d >= 2) the wedge dictionary gives a feasible network, an upper bound (T4).
"""

from __future__ import annotations

import time

import numpy as np

from .dictionary import wedge_dictionary
from ..errors import InvalidInputError
from .losses import dual_vector, optimal_intercept
from .solvers import LassoProgram, LassoSolution
from ..validation import (
    CLASSIFICATION_LOSSES,
    check_beta,
    check_choice,
    check_geometry,
    check_loss,
    check_matrix,
    check_penalty,
    check_targets,
)

from .results import FitPath, FitResult, network_from_lasso, theorem_case

METHODS = ("auto", "wedge", "colgen", "exact")
#: method="auto" tries column generation first for classification losses above this many columns
_COLGEN_FIRST_COLUMNS = 2000

#: a Lasso coefficient counts as zero below this fraction of the largest one
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
        (see :func:`ga_relu.convex.colgen.fit_colgen`); for "exact" ``max_patterns``, ``compare_wedge``
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
        from .exact import fit_exact_weight_decay

        return fit_exact_weight_decay(X, y, beta=beta, penalty=penalty, bias=bias, loss=loss,
                                      fit_intercept=fit_intercept, verbose=verbose, **method_options)
    if method_options:
        if method not in ("colgen", "auto"):
            raise InvalidInputError(f"unknown option(s) {sorted(method_options)} for method={method!r}")
    if method == "auto" and subsets is None:
        from .dictionary import dictionary_bytes, n_candidate_subsets
        from ..config import options

        budget = options.memory_budget_bytes if memory_budget is None else memory_budget
        total = n_candidate_subsets(X.shape[0], X.shape[1], penalty, bias)
        if dictionary_bytes(X.shape[0], 2 * total) > budget:
            method = "colgen"
        elif loss in CLASSIFICATION_LOSSES and 2 * total > _COLGEN_FIRST_COLUMNS and y.ndim == 1:
            # exponential-cone (logistic) and LP (hinge) solves over thousands of columns take Clarabel
            # tens of seconds and sometimes stall; on column generation's small working sets they take
            # milliseconds, and the result is certified over the full dictionary just the same
            from .colgen import fit_colgen
            from ..errors import ConvergenceError, SolverError

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
