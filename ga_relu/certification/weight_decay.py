r"""Weight decay beyond the wedge dictionary: the wedge-vs-exact gap (T4) and the rejection form
of the exact optimum's neurons.

This module sits above the fitting methods (it compares two of them), so it is the one part of
certification that imports :func:`ga_relu.convex.fitting.fit`.
"""

from __future__ import annotations

import math

import numpy as np

from ..convex.losses import LossName


def weight_decay_gap(X, y, *, beta: float, bias: bool = True, loss: LossName = "squared",
                     fit_intercept: bool = True, max_patterns: int = 10_000) -> dict:
    r"""Wedge Lasso (an upper bound, T4) against the exact weight-decay optimum of (P) with p = 2.

    .. math::

        \text{gap} = \frac{P(\text{wedge}) - P(\text{exact})}{|P(\text{exact})|} \ge 0
        \quad\text{(up to solver tolerance)}

    Parameters
    ----------
    X, y, beta, bias, loss, fit_intercept : problem (P) with the l2 penalty.
    max_patterns : most activation patterns of the exact cone program.

    Returns
    -------
    dict with ``exact_objective``, ``wedge_objective``, ``gap``, ``n_patterns`` and both fits
    (``exact``, ``wedge``).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.2]])
    >>> out = weight_decay_gap(X, [0.0, 1.0, 1.0, 0.0, 0.3], beta=0.1)
    >>> bool(out["gap"] >= -1e-6), bool(out["wedge_objective"] >= out["exact_objective"] - 1e-6)
    (True, True)
    """
    from ..convex.fitting import fit

    exact = fit(X, y, beta=beta, penalty="l2", bias=bias, loss=loss, fit_intercept=fit_intercept, method="exact",
                max_patterns=max_patterns, compare_wedge=False)
    wedge = fit(X, y, beta=beta, penalty="l2", bias=bias, loss=loss, fit_intercept=fit_intercept, method="wedge")
    # relative to the exact optimum; the floor only keeps a zero optimum from dividing by zero
    gap = (wedge.objective - exact.objective) / max(abs(exact.objective), np.finfo(float).tiny)
    return {"exact_objective": exact.objective, "wedge_objective": wedge.objective, "gap": gap,
            "n_patterns": exact.info["n_patterns"], "exact": exact, "wedge": wedge}


def check_rejection_claim(result, *, tol: float = 1e-6) -> dict:
    r"""Test the rejection form of docs/theory/weight_decay.md on an exact weight-decay fit.

    KKT of the cone program for the block v_j = (w_j, b_j) of neuron j (pattern A_j = {i : x~_i.v_j > 0},
    Z_j = samples on its hyperplane): sign(alpha_j) (w_j/||w_j||, 0) beta = g_j - sum_{i in Z_j} c_i x~_i
    with g_j = sum_{i in A_j} lambda_i x~_i. The last coordinate gives sum c_i = sum_{A_j} lambda_i; since
    w_j is orthogonal to x_i - x_k (i, k in Z_j), this says

        sign(alpha_j) beta w_j / ||w_j|| = rejection of  r_j = sum_{i in A_j} lambda_i (x_i - x_k)
                                             from  span{x_i - x_k : i in Z_j}     (any k in Z_j),

    with bias; without bias r_j = sum_{A_j} lambda_i x_i and the span is span{x_i : i in Z_j}. With
    bias and Z_j empty it says sum_{A_j} lambda_i = 0 and w_j is parallel to sum_{A_j} lambda_i x_i.
    With d (lifted) samples on the hyperplane the rejection is the wedge normal: a wedge neuron.

    Parameters
    ----------
    result : an exact weight-decay fit (``fit(..., penalty="l2", method="exact")``); its X, dual,
        beta, bias and network are read.
    tol : samples with |x_i . w_j + b_j| <= tol max(1, max|X|) ||w_j|| count as on the hyperplane.

    Returns
    -------
    dict with per-neuron angles (degrees) between sign(alpha_j) w_j and the rejection
    (``angles_deg``), the norms ||rejection|| / beta (``norm_over_beta``, should be 1), the sizes
    |Z_j| (``on_plane_sizes``), the worst values and per-neuron ``details``.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.fitting import fit
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.2]])
    >>> result = fit(X, [0.0, 1.0, 1.0, 0.0, 0.3], beta=0.1, penalty="l2", method="exact", compare_wedge=False)
    >>> check = check_rejection_claim(result)
    >>> bool(check["worst_angle_deg"] < 0.05), bool(check["worst_norm_error"] < 1e-4)
    (True, True)
    """
    X, lam, beta, bias = result.X, result.dual, result.beta, result.bias
    net = result.network
    scale = max(1.0, float(np.abs(X).max()))  # on-plane test relative to the data's scale (and ||w||)
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
            # rank relative to the largest singular value: the on-plane differences are exact to ~tol
            Q = Q[:, sv > 1e-10 * max(sv.max(), np.finfo(float).tiny)]
            rej = r - Q @ (Q.T @ r)
        else:
            rej = r
        target = np.sign(alpha) * w / nw
        nr = np.linalg.norm(rej)
        cosv = float(np.clip(rej @ target / max(nr, np.finfo(float).tiny), -1, 1))  # floor: a zero rejection
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
