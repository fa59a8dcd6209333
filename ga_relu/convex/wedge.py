r"""The full-dictionary method: build the wedge dictionary, solve its Lasso, read off the network.

Rescaling (w, b, alpha) -> (t w, t b, alpha / t) turns problem (P),

.. math::

    \min\; L(f(X), y) + \frac{\beta}{2} \sum_j \big(\|w_j\|_p^2 + \alpha_j^2\big),

into a Lasso over the neurons relu(X w + b) with ||w||_p <= 1,

.. math::

    \min_{z,\,c}\; L(K z + c, y) + \beta \|z\|_1,

whose columns K_j = relu(+-(X w_S + b_S)) are the hyperplanes through subsets S of the vertex set
(wedge products, :mod:`ga_relu.convex.dictionary`). :func:`fit_wedge` is the method
``fit(method="wedge")``; :func:`lasso_fit_result` turns a Lasso solution on any dictionary into a
:class:`~ga_relu.convex.results.FitResult` (column generation uses it on its working set).

>>> import numpy as np
>>> from ga_relu.convex.problem import Problem
>>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), [0.0, 1.0, 1.0, 0.0], beta=0.1)
>>> result = fit_wedge(problem)
>>> result.method, result.case.theorem
('wedge', 'T2')
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from .dictionary import Dictionary, wedge_dictionary
from .duality import dual_ratio
from .problem import Problem
from .results import FitResult, network_from_lasso, problem_case
from .solvers import LassoProgram, LassoSolution

__all__ = ["WedgeProgram", "wedge_program", "fit_wedge", "lasso_fit_result", "polished_coefficients"]

#: the polished z is accepted when its objective is within this relative round-off of the
#: solver's (plus an absolute 1e-12 for objectives near 0)
_OBJECTIVE_SLACK = 1e-7
#: ... and its dual ratio over the dictionary at most this above max(solver's ratio, 1): both are
#: ratios of order 1 computed from the same K, so an absolute slack is relative
_RATIO_SLACK = 1e-6


@dataclasses.dataclass
class WedgeProgram:
    """The wedge dictionary of a problem, its feature matrix K and the compiled Lasso.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> program = wedge_program(Problem(np.array([[0.0], [1.0], [2.0]]), [0.0, 1.0, 0.0], beta=0.1))
    >>> program.K.shape
    (3, 6)
    """

    dictionary: Dictionary
    K: np.ndarray
    program: LassoProgram
    setup_time: float


def wedge_program(problem: Problem, subsets=None, random_state=None,
                  memory_budget: int | None = None, too_large_hint: str | None = None) -> WedgeProgram:
    """The wedge dictionary (full, or the ``subsets`` given or sampled), its matrix and the Lasso.

    Parameters
    ----------
    problem : Problem
    subsets : None, int or (m, k) array
        As in :func:`ga_relu.fit`.
    random_state : None, int or Generator
    memory_budget : int, optional
        Bytes allowed for K (``ga_relu.options.memory_budget_bytes`` by default).
    too_large_hint : str, optional
        The fix that the DictionaryTooLargeError names, when the caller's options differ from fit's.

    Returns
    -------
    WedgeProgram

    Examples
    --------
    >>> import numpy as np
    >>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), [0.0, 1.0, 2.0], beta=0.1)
    >>> built = wedge_program(problem)
    >>> built.K.shape[1] == built.dictionary.n_columns
    True
    """
    start = time.perf_counter()
    dictionary = wedge_dictionary(problem.X, penalty=problem.penalty.name, bias=problem.bias, subsets=subsets,
                                  random_state=random_state, memory_budget=memory_budget,
                                  too_large_hint=too_large_hint)
    K = dictionary.matrix(problem.X)
    program = LassoProgram(K, problem.y, loss=problem.loss, fit_intercept=problem.fit_intercept)
    return WedgeProgram(dictionary, K, program, time.perf_counter() - start)


def polished_coefficients(problem: Problem, K: np.ndarray, sol: LassoSolution,
                          tight_tol: float = 1e-6) -> tuple[np.ndarray, float] | None:
    """A sparse Lasso solution refined from the solver's, or None.

    For a strictly convex loss (squared, logistic) the optimal predictions f* are unique, and any z
    supported on the dual-tight columns T = {j : |K_j . lambda| = beta} with sign(z_j) = s_j =
    sign(K_j . lambda) and K z + c = f* is optimal: its penalty beta s^T z = lambda . (f* - c) is
    fixed. Non-negative least squares on  K_T diag(s) u + c = f*  (an active-set method) finds a
    basic such z, on at most n + 1 columns, without the interior-point residue (~1e-9) on every other
    column. For a quadratic loss the KKT system on that support,
    [K_S 1]^T (y - K_S z_S - c) = [beta s_S; 0], is then solved exactly (the support has full rank).
    The caller accepts the result only if it keeps the objective and the dual ratio.

    ``tight_tol``: a column is tight when |K_j . lambda| >= beta (1 - tight_tol), relative to beta.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0], [1.0], [2.0]]), [0.0, 1.0, 0.0], beta=0.1)
    >>> program = wedge_program(problem)
    >>> z, c = polished_coefficients(problem, program.K, program.program.solve(0.1))
    >>> int(np.count_nonzero(z)) <= problem.n + 1
    True
    """
    from scipy.optimize import nnls

    beta, y, fit_intercept = problem.beta, problem.y, problem.fit_intercept
    if not problem.loss.strictly_convex or sol.z.ndim != 1:
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
    # the fit must reproduce f* to the solver's accuracy, relative to the size of f*
    if residual > 1e-5 * (1.0 + np.linalg.norm(f_star)):
        return None
    z = np.zeros_like(sol.z)
    z[tight] = s * u[: tight.size]
    c = float(u[-2] - u[-1]) if fit_intercept else 0.0
    if problem.loss.quadratic:
        z, c = _exact_quadratic_solve(K, y, beta, fit_intercept, z, c)
    return z, c


def _exact_quadratic_solve(K, y, beta, fit_intercept, z, c):
    """The KKT system of the squared-loss Lasso on the support of z, solved exactly; (z, c)
    unchanged when it is singular or flips a sign."""
    n = K.shape[0]
    support = np.flatnonzero(z)
    B = np.hstack([K[:, support], np.ones((n, 1))]) if fit_intercept else K[:, support]
    rhs = B.T @ y - beta * (np.append(np.sign(z[support]), 0.0) if fit_intercept else np.sign(z[support]))
    try:
        exact = np.linalg.solve(B.T @ B, rhs)
    except np.linalg.LinAlgError:
        return z, c
    if np.all(np.sign(exact[: support.size]) == np.sign(z[support])):
        z = np.zeros_like(z)
        z[support] = exact[: support.size]
        c = float(exact[-1]) if fit_intercept else 0.0
    return z, c


def lasso_fit_result(problem: Problem, method: str, dictionary: Dictionary, K: np.ndarray, sol: LassoSolution,
                     setup_time: float) -> FitResult:
    """The :class:`FitResult` of a Lasso solution ``sol`` over the columns K of ``dictionary``.

    The polished (sparse) z of :func:`polished_coefficients` is used when it keeps the objective and
    the dual ratio max_j |K_j . lambda| / beta (to round-off), else the solver's own z. With a free
    intercept, c is re-optimized given the kept neurons: that restores sum(lambda) = 0, which the
    solver meets only to its tolerance, and can only lower the loss.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0], [1.0], [2.0]]), [0.0, 1.0, 0.0], beta=0.1)
    >>> program = wedge_program(problem)
    >>> result = lasso_fit_result(problem, "wedge", program.dictionary, program.K, program.program.solve(0.1), 0.0)
    >>> round(result.objective, 4) == round(result.lasso_objective, 4)
    True
    """
    loss, X, y, beta = problem.loss, problem.X, problem.y, problem.beta
    lasso_objective = sol.objective(K, y, loss, beta)
    solver_ratio = dual_ratio(K, sol.lam, beta)
    polished = polished_coefficients(problem, K, sol)
    for z, c in ([polished] if polished is not None else []) + [(sol.z, sol.intercept)]:
        # an exact solve (simplex, active set) has exact zeros: keep every other coefficient, since
        # dropping a small one moves samples across the hinge's margin; interior points need the cut
        exact = sol.exact_zeros and z is sol.z
        net, neurons = network_from_lasso(dictionary, z, c, X=X, **({"relative_tol": 0.0} if exact else {}))
        if problem.fit_intercept:
            net.c = loss.optimal_intercept(net(X) - net.c, y, net.c)
        objective = problem.objective(net)
        lam = loss.dual_vector(net(X), y) if loss.differentiable else sol.lam
        if (objective <= lasso_objective * (1 + _OBJECTIVE_SLACK) + 1e-12
                and dual_ratio(K, lam, beta) <= max(solver_ratio, 1.0) + _RATIO_SLACK):
            break
    return FitResult(
        network=net, objective=objective, neurons=neurons, case=problem_case(problem, dictionary.sampled),
        problem=problem, method=method, dictionary=dictionary, coefficients=z, intercept=net.c, dual=lam,
        status=sol.status, solve_time=sol.solve_time, setup_time=setup_time, lasso_objective=lasso_objective,
        # the solver's measured optimality violation (divided by beta), for the summary's accuracy line
        info={} if sol.kkt is None else {"kkt_residual": float(sol.kkt)},
    )


def fit_wedge(problem: Problem, *, subsets=None, random_state=None, memory_budget: int | None = None,
              verbose: bool = False) -> FitResult:
    """``fit(method="wedge")``: the Lasso over the whole wedge dictionary (or the ``subsets`` given).

    Exact for l1 (T1, T2, T5) with the full dictionary; an upper bound for weight decay in d >= 2
    (T4) and for sampled subsets. ``verbose`` is accepted for a uniform method signature.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> result = fit_wedge(Problem(np.array([[0.0], [1.0], [2.0]]), [0.0, 1.0, 0.0], beta=0.1))
    >>> result.case.exact, len(result.neurons) >= 1
    (True, True)
    """
    built = wedge_program(problem, subsets, random_state, memory_budget)
    sol = built.program.solve(problem.beta)
    return lasso_fit_result(problem, "wedge", built.dictionary, built.K, sol, built.setup_time)
