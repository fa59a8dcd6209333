r"""The hinge loss's dual vector: lambda = y mu is free on the samples at the margin.

For L(f, y) = sum max(0, 1 - y f) every subgradient is lambda = y mu with mu_i = 1 where
y_i f_i < 1, mu_i = 0 where y_i f_i > 1 and any mu_i in [0, 1] on the kink y_i f_i = 1. A network
is a global optimum of (P) iff SOME such lambda certifies it, so the certificate chooses mu on the
kink by a linear program,

.. math::

    \min_{\mu_K \in [0,1]^K,\ t,\ r \ge 0}\; t + M \sum_j r_j \quad\text{s.t.}\quad
    |\lambda^\top h| \le \beta t \ \ (h \text{ the cut neurons}),\quad
    r_j \ge |\lambda^\top h_j / \beta - \operatorname{sign}\alpha_j|,\quad
    \textstyle\sum_i \lambda_i = 0 \text{ when a constant is free},

with cutting planes (Kelley): the dual constraint has infinitely many neurons, and each round
adds the most violating one found by an exact oracle.

The "kink" is taken as |1 - y f| <= MARGIN_TOL, wider than the exact kink, because solvers meet
the margin only to their accuracy. The mu so chosen may therefore not be a subgradient at the
returned predictions (a sample at 1 - y f = 1e-6 has mu = 1 in every subgradient). That is why the
certificate does not rest on it: its proof is the weak-duality gap bound
(:func:`ga_relu.convex.duality.gap_bound`), valid for EVERY lambda = y mu with mu in [0, 1] and
sum(lambda) = 0 when needed, subgradient or not. A network above the optimum by more than tol
|objective| is never certified, whatever mu the LP picks; a better mu only tightens the bound.

>>> import numpy as np
>>> check_hinge_subgradient(np.array([1.0, -0.5]), np.array([1.0, -1.0]), np.array([0.0, -1.0]))
array([ 1. , -0.5])
"""

from __future__ import annotations

import numpy as np

from ..convex.duality import significant_neurons
from ..errors import InvalidInputError

__all__ = ["MARGIN_TOL", "check_hinge_subgradient", "hinge_dual"]

#: samples with |1 - y f| below this are treated as at the margin when CHOOSING mu (solvers meet it to
#: ~1e-6; the margin's scale is 1): a heuristic for a good dual point, not a proof (module docstring)
MARGIN_TOL = 1e-5
#: slack of mu in [0, 1] for a given dual (round-off of the solver's dual values)
_MU_SLACK = 1e-9
#: a given mu counts as 1 (or 0) off the margin within this (interior-point duals meet it to ~1e-8)
_MU_FORCED_TOL = 1e-6
#: weight of the first-order residuals against the ratio t in the LP: among equally good ratios,
#: the mu that certifies the network's own neurons is preferred
_RESIDUAL_WEIGHT = 1e3


def check_hinge_subgradient(lam, y: np.ndarray, f: np.ndarray) -> np.ndarray:
    r"""``lam`` as a float array, if it is a hinge subgradient at predictions f: lambda = y mu with
    mu in [0, 1], mu = 1 where 1 - y f > MARGIN_TOL and mu = 0 where 1 - y f < -MARGIN_TOL.

    Raises :class:`~ga_relu.errors.InvalidInputError` otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> check_hinge_subgradient([0.0], np.array([1.0]), np.array([0.0]))
    Traceback (most recent call last):
    ...
    ga_relu.errors.InvalidInputError: the given hinge dual is not a subgradient at the network's predictions (mu must be 1 where y f < 1 and 0 where y f > 1)
    """
    lam = np.asarray(lam, dtype=float)
    mu = y * lam
    if np.any(mu < -_MU_SLACK) or np.any(mu > 1 + _MU_SLACK):
        raise InvalidInputError("a hinge dual must be y * mu with mu in [0, 1]")
    margin = 1 - y * f
    if np.any((margin > MARGIN_TOL) & (mu < 1 - _MU_FORCED_TOL)) or \
            np.any((margin < -MARGIN_TOL) & (mu > _MU_FORCED_TOL)):
        raise InvalidInputError("the given hinge dual is not a subgradient at the network's predictions "
                                "(mu must be 1 where y f < 1 and 0 where y f > 1)")
    return lam


def _unit_neurons(network, problem) -> tuple[np.ndarray, np.ndarray]:
    """relu(X u_j + c_j) of the live neurons, (u_j, c_j) = (w_j, b_j) / ||w_j||_p, and sign(alpha_j)."""
    norms = problem.penalty.norms(network.W)
    # neurons of negligible cost (w ~ 1e-300) carry no first-order information: left out of the LP
    live = significant_neurons(network.W, network.alpha, problem.penalty, problem.beta, problem.objective(network))
    H = np.maximum(problem.X @ (network.W[live] / norms[live, None]).T + network.b[live] / norms[live], 0.0)
    return H, np.sign(network.alpha[live])


def _choose_mu(problem, base, coef, kink, cuts, own, own_sign):
    """The LP of the module docstring over mu on the kink; None when it is infeasible."""
    from scipy.optimize import linprog

    beta = problem.beta
    m, k = own.shape[1], kink.size
    # variables: mu_K (k), t, r (m); lambda . h = base . h + sum_{i in K} y_i h_i mu_i
    A, b = [], []
    for h in cuts:
        a, c0 = coef * h[kink], float(base @ h)
        A.append(np.concatenate([a, [-beta], np.zeros(m)])), b.append(-c0)
        A.append(np.concatenate([-a, [-beta], np.zeros(m)])), b.append(c0)
    for j in range(m):
        a, c0 = coef * own[kink, j] / beta, float(base @ own[:, j]) / beta - own_sign[j]
        e = np.zeros(m)
        e[j] = -1.0
        A.append(np.concatenate([a, [0.0], e])), b.append(-c0)
        A.append(np.concatenate([-a, [0.0], e])), b.append(c0)
    A_eq = b_eq = None
    if problem.needs_sum_zero:
        A_eq = np.concatenate([coef, [0.0], np.zeros(m)])[None, :]
        b_eq = [-float(base.sum())]
    cost = np.concatenate([np.zeros(k), [1.0], np.full(m, _RESIDUAL_WEIGHT)])
    bounds = [(0.0, 1.0)] * k + [(0.0, None)] * (1 + m)
    res = linprog(cost, A_ub=np.array(A), b_ub=np.array(b), A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
    return None if res.status != 0 else res.x


def hinge_dual(network, problem, f: np.ndarray, oracle, *, kink_tol: float = MARGIN_TOL,
               max_rounds: int = 60) -> tuple[np.ndarray, int]:
    r"""lambda = y mu for the hinge loss, mu on the kink |1 - y f| <= ``kink_tol`` chosen by the LP
    with cutting planes of the module docstring. Returns (lambda, rounds).

    Since t + r_j >= 1 whenever the network has a neuron, the LP's value is 1 with r = 0 exactly when
    some subgradient certifies the network. ``oracle(problem, lam)`` (an exact oracle of
    :mod:`ga_relu.certification.oracles`) gives the most violating neuron of each round; the rounds
    stop when it is within the LP's t. Without kink samples mu is forced (0 rounds); when the LP
    is infeasible (e.g. sum(lambda) = 0 out of reach), mu = 1/2 on the kink.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.certification.oracles import OracleSettings, VertexOracle
    >>> from ga_relu.convex.problem import Problem
    >>> from ga_relu.networks.relu import ReLUNetwork
    >>> problem = Problem(np.array([[-2.0], [-1.0], [1.0], [2.0]]), [-1.0, -1.0, 1.0, 1.0], beta=1.0, loss="hinge")
    >>> network = ReLUNetwork([[1.0], [-1.0]], [0.0, 0.0], [1.0, -1.0], 0.0)  # f(x) = x: y f = 1 at x = +-1
    >>> lam, rounds = hinge_dual(network, problem, network(problem.X), VertexOracle(OracleSettings()))
    >>> lam + 0.0, rounds  # mu = 1 on the margin: the network's own neurons then attain beta
    (array([ 0., -1.,  1.,  0.]), 1)
    """
    y, beta = problem.y, problem.beta
    margin = 1.0 - y * f
    kink = np.flatnonzero(np.abs(margin) <= kink_tol)
    mu = (margin > kink_tol).astype(float)
    mu[kink] = 0.5
    if kink.size == 0:
        return y * mu, 0
    own, own_sign = _unit_neurons(network, problem)
    base = y * mu
    base[kink] = 0.0
    coef = y[kink]
    cuts = [own[:, j] for j in range(own.shape[1])]
    lam = y * mu
    found = oracle(problem, lam)
    for rounds in range(1, max_rounds + 1):
        if found.best is not None:  # the most violating neuron of the current lambda becomes a cut
            cuts.append(found.best(problem.X))
        x = _choose_mu(problem, base, coef, kink, cuts, own, own_sign)
        if x is None:  # keep the canonical choice
            return y * mu, rounds
        lam = base.copy()
        lam[kink] = coef * x[: kink.size]
        t = x[kink.size]
        found = oracle(problem, lam)
        # the LP's t is met to its solver's accuracy, relative to beta (and absolute near 0)
        if found.value <= beta * t * (1 + 1e-9) + 1e-12 or found.best is None:
            return lam, rounds
    return lam, max_rounds
