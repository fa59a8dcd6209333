"""Independent reference computations for tests (no ga_relu code inside).

``dense_dual_ratio`` searches random unit neurons: for each random direction w (on the l1 or l2
sphere) the best bias is found exactly, since b -> lambda . relu(Xw + b) is piecewise linear with
breakpoints b = -x_i . w (and constant beyond them when sum(lambda) = 0).
"""

import numpy as np


def random_unit_directions(n_dirs, d, penalty, rng):
    W = rng.normal(size=(n_dirs, d))
    # a share of sparse directions: l1 optima sit on low-dimensional faces of the ball
    sparse = rng.random((n_dirs, d)) < 0.3
    W[: n_dirs // 3] *= sparse[: n_dirs // 3]
    W[np.all(W == 0, axis=1), 0] = 1.0
    norms = np.abs(W).sum(1) if penalty == "l1" else np.linalg.norm(W, axis=1)
    return W / norms[:, None]


def dense_dual_ratio(X, lam, beta, *, penalty, bias, n_dirs=20000, seed=0):
    """max |lambda . relu(X w + b)| / beta over random unit w and (if bias) all breakpoint b.

    lam may be (n,) or (n, c) (vector outputs: the norm of lambda^T relu(.)). A lower bound on
    the true dual ratio; it must not exceed 1 (+ solver tolerance) at a global optimum.
    """
    rng = np.random.default_rng(seed)
    X = np.asarray(X, float)
    n, d = X.shape
    lam = np.asarray(lam, float).reshape(n, -1)
    best = 0.0
    for start in range(0, n_dirs, 2000):
        W = random_unit_directions(min(2000, n_dirs - start), d, penalty, rng)
        P = X @ W.T  # (n, m)
        if bias:
            # candidate biases: every breakpoint -x_k . w (k over samples)
            acts = np.maximum(P[:, None, :] - P[None, :, :], 0.0)  # (n_i, n_k, m)
            vals = np.einsum("ikm,ic->kmc", acts, lam)
            vals = np.concatenate([vals, -vals], axis=0)  # relu of -(...) handled below
            neg = np.einsum("ikm,ic->kmc", np.maximum(P[None, :, :] - P[:, None, :], 0.0), lam)
            vals = np.concatenate([vals, neg], axis=0)
        else:
            vals = np.stack([np.einsum("im,ic->mc", np.maximum(P, 0), lam),
                             np.einsum("im,ic->mc", np.maximum(-P, 0), lam)])
        best = max(best, float(np.linalg.norm(vals, axis=-1).max()))
    return best / beta
