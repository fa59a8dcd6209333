r"""Exact weight decay: the cone program of Pilanci & Ergen over all activation patterns.

    min L(sum_D D X~ (v_D - u_D) + c, y) + beta sum_D (||v_D[:d]||_2 + ||u_D[:d]||_2)
    s.t. (2D - I) X~ v_D >= 0, (2D - I) X~ u_D >= 0   over all activation patterns D.

Each nonzero v_D gives the neuron w = v / sqrt(||v[:d]||), alpha = sqrt(||v[:d]||) (alpha < 0 for
u_D), whose cost (beta/2)(||w||^2 + alpha^2) = beta ||v[:d]||: the network's value in (P) equals the
program's.
"""

from __future__ import annotations

import math
import time

import numpy as np

from ..errors import InvalidInputError, SolverError
from ..networks.relu import ReLUNetwork
from .chambers import enumerate_chambers, lift, samples_on_hyperplane
from .solvers import solve_cone_program
from .losses import dual_vector, loss_value, optimal_intercept



def fit_exact_weight_decay(X, y, *, beta: float, penalty: str = "l2", bias: bool = True, loss: str = "squared",
                           fit_intercept: bool = True, verbose: bool = False, max_patterns: int = 10_000,
                           compare_wedge: bool = True):
    """The exact optimum of (P) with weight decay: the cone program of Pilanci & Ergen over all
    activation patterns (module docstring), patterns enumerated from wedge rays (ga_relu.convex.chambers).

    With a bias, the constant function is free in (P) (a neuron with a large bias), so the program's
    pattern "all samples active" carries a free constant; its part with w = 0 becomes the intercept c.
    Hence with bias=True, fit_intercept=False the result may still have c != 0 (info["free_constant"]):
    the infimum of (P) is the same with and without an intercept.

    Returns a FitResult with case T4 (exact), method "exact"; neurons list as ``samples`` those on
    their hyperplane (within 1e-7 relative); ``dictionary`` holds the neurons' unit weights (one
    column pair per neuron; ``coefficients`` reproduce the network); info: n_patterns,
    enumeration_time, program_value, chambers, and wedge_objective / gap (relative) when
    ``compare_wedge`` and the wedge dictionary is small.
    """
    import cvxpy as cp

    from ..config import options
    from ..convex.dictionary import Dictionary, n_candidate_subsets
    from ..convex.fitting import _validated
    from ..convex.results import Case, FitResult, Neuron, theorem_case

    X, y, beta, penalty, bias, loss, fit_intercept = _validated(X, y, beta, penalty, bias, loss, fit_intercept)
    if penalty != "l2":
        raise InvalidInputError(
            f"method='exact' solves weight decay (penalty='l2'); for penalty={penalty!r} the wedge Lasso is already "
            "exact (T1/T2): use method='wedge' or 'colgen'"
        )
    if y.ndim != 1:
        raise InvalidInputError("method='exact' supports one output; use penalty='l1' for vector outputs (T5)")
    n, d = X.shape
    start = time.perf_counter()
    chambers = enumerate_chambers(X, bias=bias, max_patterns=max_patterns)
    enum_time = time.perf_counter() - start
    Xt = lift(X, bias)
    Dm = chambers.patterns.astype(float)
    N, Dd = Dm.shape[0], Xt.shape[1]
    S = 2.0 * Dm - 1.0
    V = cp.Variable((N, Dd), name="v")
    U = cp.Variable((N, Dd), name="u")
    pred = cp.sum(cp.multiply(Dm, (V - U) @ Xt.T), axis=0)
    c = cp.Variable(name="c") if fit_intercept else None
    if c is not None:
        pred = pred + c
    reg = cp.sum(cp.norm(V[:, :d], 2, axis=1)) + cp.sum(cp.norm(U[:, :d], 2, axis=1))
    cons = [cp.multiply(S, V @ Xt.T) >= 0, cp.multiply(S, U @ Xt.T) >= 0]
    margin = None
    if loss == "squared":
        data = 0.5 * cp.sum_squares(pred - y)
    elif loss == "logistic":
        data = cp.sum(cp.logistic(-cp.multiply(y, pred)))
    else:
        slack = cp.Variable(n, nonneg=True)
        margin = slack >= 1 - cp.multiply(y, pred)
        cons.append(margin)
        data = cp.sum(slack)
    prob = cp.Problem(cp.Minimize(data + beta * reg), cons)
    setup = time.perf_counter() - start
    t0 = time.perf_counter()
    try:
        solve_cone_program(prob, verbose)
    except cp.error.SolverError as exc:
        raise SolverError(f"{options.solver} failed on the exact weight-decay program ({N} patterns): {exc}; "
                          "rescale X and y to unit scale or try a larger beta") from exc
    solve_time = time.perf_counter() - t0
    if prob.status != cp.OPTIMAL:
        raise SolverError(
            f"{options.solver} returned status {prob.status!r} (not 'optimal') on the exact weight-decay program "
            f"({N} patterns, beta={beta:g}); rescale X and y to unit scale, try a larger beta, or use "
            "method='wedge' for an upper bound"
        )
    Vv, Uv = np.asarray(V.value, float), np.asarray(U.value, float)
    c_val = float(c.value) if c is not None else 0.0
    # program value recomputed in numpy
    f_prog = np.sum(Dm * ((Vv - Uv) @ Xt.T), axis=0) + c_val
    program_value = loss_value(loss, f_prog, y) + beta * float(
        np.linalg.norm(Vv[:, :d], axis=1).sum() + np.linalg.norm(Uv[:, :d], axis=1).sum())
    # reconstruction
    blocks = np.vstack([Vv, Uv])
    signs = np.concatenate([np.ones(N), -np.ones(N)])
    norms = np.linalg.norm(blocks[:, :d], axis=1)
    top = float(norms.max(initial=0.0))
    # blocks below 1e-6 of the total are solver noise (their hyperplanes are not resolved); dropping an
    # active block of size eps changes the objective by O(eps^2) (it satisfies lambda.h = +-beta)
    active = np.flatnonzero(norms > 1e-6 * norms.sum()) if top > 0 else np.zeros(0, int)
    free_constant = 0.0
    if bias:  # w ~ 0 parts: constants on the all-active pattern (or nothing on the all-inactive one)
        pat = np.concatenate([chambers.patterns.all(axis=1)] * 2)
        dead = np.setdiff1d(np.arange(2 * N), active)
        free_constant = float(np.sum(signs[dead] * blocks[dead, d] * pat[dead]))
    merged, merged_signs = _merge_parallel(blocks[active], signs[active], d)
    n_split = len(active) - len(merged)
    norms = np.linalg.norm(merged[:, :d], axis=1)
    order = np.argsort(-norms, kind="stable")
    blocks, signs, norms = merged[order], merged_signs[order], norms[order]
    W, B, A, neurons = [], [], [], []
    for rank, j in enumerate(range(len(blocks))):
        scale = math.sqrt(norms[j])
        w, b = blocks[j, :d] / scale, (blocks[j, d] / scale if bias else 0.0)
        alpha = signs[j] * scale
        W.append(w), B.append(b), A.append(alpha)
        on = samples_on_hyperplane(X, w, b)
        sign = 1
        k = d if bias else d - 1
        if len(on) == k and k >= 1:  # orient against the wedge of the defining samples
            from ..algebra.batched import cross_batch

            v_s = cross_batch(Xt[np.array(on)][None])[0]
            sign = 1 if float(v_s @ blocks[j]) >= 0 else -1
        neurons.append(Neuron(index=rank + 1, samples=on, basis=(), sign=sign, weight=w, bias=float(b),
                              output_weight=float(alpha), coefficient=float(signs[j] * norms[j]),
                              unit_weight=w / np.linalg.norm(w), unit_bias=float(b / np.linalg.norm(w)),
                              penalty="l2", has_bias=bias, _points=X))
    c_net = c_val + free_constant
    if W:
        net = ReLUNetwork(np.array(W), np.array(B), np.array(A), c_net)
    else:
        net = ReLUNetwork(np.zeros((0, d)), np.zeros(0), np.zeros(0), c_net)
    if loss == "squared" and (fit_intercept or bias):
        # the exact minimizer over the unpenalized constant: removes the solver's ~1e-5 residue in
        # sum(lambda), which the certificate needs to be zero when a constant is free
        net.c = optimal_intercept(loss, net(X) - net.c, y, net.c)
    objective = net.objective(X, y, beta, "l2", loss)
    f = net(X)
    if loss == "hinge":
        lam = y * np.clip(np.asarray(margin.dual_value, float), 0.0, 1.0)
    else:
        lam = dual_vector(loss, f, y)
    m = len(neurons)
    dictionary = Dictionary(penalty="l2", bias=bias, n_samples=n, dim=d, subsets=np.zeros((m, 0), dtype=np.intp),
                            weights=np.array([nr.unit_weight for nr in neurons]).reshape(m, d),
                            biases=np.array([nr.unit_bias for nr in neurons]), n_candidates=N)
    coefficients = np.concatenate([[nr.coefficient for nr in neurons], np.zeros(m)])
    case = theorem_case(d, "l2", bias) if d == 1 else Case(
        "T4", True, f"weight decay: exact cone program over all {N} activation patterns")
    info = {"n_patterns": N, "enumeration_time": enum_time, "program_value": program_value, "chambers": chambers,
            "free_constant": free_constant, "solver_value": float(prob.value), "n_merged": n_split}
    if compare_wedge and d >= 2 and n_candidate_subsets(n, d, "l2", bias) <= 200_000:
        from ..convex.fitting import fit as _fit

        wedge = _fit(X, y, beta=beta, penalty="l2", bias=bias, loss=loss, fit_intercept=fit_intercept,
                     method="wedge")
        info["wedge_objective"] = wedge.objective
        info["gap"] = (wedge.objective - objective) / max(abs(objective), 1e-300)
    return FitResult(
        network=net, objective=objective, neurons=neurons, case=case, beta=beta, penalty="l2", bias=bias, loss=loss,
        fit_intercept=fit_intercept, method="exact", dictionary=dictionary, coefficients=coefficients,
        intercept=c_net, dual=lam, status=prob.status, solve_time=solve_time, setup_time=setup,
        lasso_objective=program_value, X=X, y=y, info=info,
    )


def _merge_parallel(blocks: np.ndarray, signs: np.ndarray, d: int, tol: float = 1e-6):
    """Sum blocks v (same output sign) that are parallel to within ``tol``: an interior-point solver
    splits one optimal neuron over the adjacent patterns of the samples on its hyperplane. Parallel
    v's have the same ReLU pattern up to those samples (where x~.v ~ 0), so the sum is the same
    function and ||sum w|| = sum ||w||: objective unchanged up to solver tolerance."""
    unit = blocks / np.linalg.norm(blocks[:, :d], axis=1, keepdims=True)
    out, out_signs, used = [], [], np.zeros(len(blocks), bool)
    for i in range(len(blocks)):
        if used[i]:
            continue
        group = np.flatnonzero(~used & (signs == signs[i]) & (np.abs(unit - unit[i]).max(axis=1) <= tol))
        used[group] = True
        out.append(blocks[group].sum(axis=0))
        out_signs.append(signs[i])
    return np.array(out).reshape(-1, blocks.shape[1]), np.array(out_signs)


