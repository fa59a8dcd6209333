r"""Weight decay beyond the wedge dictionary: the wedge-vs-exact gap (T4) and the rejection form
of the exact optimum's neurons.
"""

from __future__ import annotations

import math

import numpy as np

from ..convex.exact import fit_exact_weight_decay

def weight_decay_gap(X, y, *, beta: float, bias: bool = True, loss: str = "squared", fit_intercept: bool = True,
                     max_patterns: int = 10_000) -> dict:
    """Wedge Lasso (upper bound, T4) vs the exact weight-decay optimum: objectives and the relative gap
    (wedge - exact) / exact (>= 0 up to solver tolerance)."""
    from ..convex.fitting import fit as _fit

    exact = fit_exact_weight_decay(X, y, beta=beta, penalty="l2", bias=bias, loss=loss, fit_intercept=fit_intercept,
                                   max_patterns=max_patterns, compare_wedge=False)
    wedge = _fit(X, y, beta=beta, penalty="l2", bias=bias, loss=loss, fit_intercept=fit_intercept, method="wedge")
    return {"exact_objective": exact.objective, "wedge_objective": wedge.objective,
            "gap": (wedge.objective - exact.objective) / max(abs(exact.objective), 1e-300),
            "n_patterns": exact.info["n_patterns"], "exact": exact, "wedge": wedge}


def check_rejection_claim(result, *, tol: float = 1e-6) -> dict:
    r"""Test theory.md T4's derived claim on an exact weight-decay fit.

    KKT of the cone program for the block v_j = (w_j, b_j) of neuron j (pattern A_j = {i : x~_i.v_j > 0},
    Z_j = samples on its hyperplane): sign(alpha_j) (w_j/||w_j||, 0) beta = g_j - sum_{i in Z_j} c_i x~_i
    with g_j = sum_{i in A_j} lambda_i x~_i. The last coordinate gives sum c_i = sum_{A_j} lambda_i; since
    w_j is orthogonal to x_i - x_k (i, k in Z_j), this says

        sign(alpha_j) beta w_j / ||w_j|| = rejection of  r_j = sum_{i in A_j} lambda_i (x_i - x_k)
                                             from  span{x_i - x_k : i in Z_j}     (any k in Z_j),

    with bias; without bias r_j = sum_{A_j} lambda_i x_i and the span is span{x_i : i in Z_j}. With
    bias and Z_j empty it says sum_{A_j} lambda_i = 0 and w_j is parallel to sum_{A_j} lambda_i x_i.
    With d (lifted) samples on the hyperplane the rejection is the wedge normal: a wedge neuron.

    Returns per-neuron angles (degrees) between sign(alpha_j) w_j and the rejection, the norms
    ||rejection|| / beta (should be 1), the sizes |Z_j|, and the worst values.
    """
    X, lam, beta, bias = result.X, result.dual, result.beta, result.bias
    net = result.network
    scale = max(1.0, float(np.abs(X).max()))
    angles, norm_ratios, sizes, details = [], [], [], []
    for j in range(net.width):
        w, b, alpha = net.W[j], float(net.b[j]), float(net.alpha[j])
        pre = X @ w + b
        nw = np.linalg.norm(w)
        Z = np.flatnonzero(np.abs(pre) <= tol * scale * nw)
        A = np.flatnonzero(pre > tol * scale * nw)
        if bias and len(Z):
            ref = X[Z[0]]
            r = lam[A] @ (X[A] - ref)
            span = (X[Z] - ref)[1:]
        elif bias:
            r = lam[A] @ X[A]
            span = np.zeros((0, X.shape[1]))
        else:
            r = lam[A] @ X[A]
            span = X[Z]
        if len(span):
            Q, sv, _ = np.linalg.svd(span.T, full_matrices=False)
            Q = Q[:, sv > 1e-10 * max(sv.max(), 1e-300)]
            rej = r - Q @ (Q.T @ r)
        else:
            rej = r
        target = np.sign(alpha) * w / nw
        nr = np.linalg.norm(rej)
        cosv = float(np.clip(rej @ target / max(nr, 1e-300), -1, 1))
        angles.append(math.degrees(math.acos(cosv)))
        norm_ratios.append(nr / beta)
        sizes.append(len(Z))
        details.append({"neuron": j, "on_plane": tuple(int(i) for i in Z), "active": tuple(int(i) for i in A),
                        "angle_deg": angles[-1], "norm_over_beta": nr / beta,
                        "sum_active_lambda": float(lam[A].sum()) if bias and not len(Z) else None})
    angles, norm_ratios = np.array(angles), np.array(norm_ratios)
    return {
        "n_neurons": net.width,
        "angles_deg": angles,
        "norm_over_beta": norm_ratios,
        "on_plane_sizes": sizes,
        "worst_angle_deg": float(angles.max(initial=0.0)),
        "worst_norm_error": float(np.abs(norm_ratios - 1).max(initial=0.0)),
        "details": details,
    }
