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


# =============================================================================================
# Independent reference optima of (P) for the property suite (tests/test_properties.py).
#
# Problem (P): min over networks f(x) = sum_j alpha_j relu(w_j . x + b_j) + c of
#     L(f(X), y) + (beta / 2) sum_j (||w_j||_p^2 + ||alpha_j||_2^2),
# with L the squared loss (1/2)||f - y||^2, the logistic loss sum log(1 + exp(-y f)) or the hinge
# loss sum max(0, 1 - y f). Nothing below imports ga_relu: the vertex set, the columns, the
# solvers and the objective are written here from the definitions.
# =============================================================================================

import itertools
from fractions import Fraction


def loss_value(f, y, loss):
    """L(f, y) summed over samples (and outputs), straight from the definitions."""
    f, y = np.asarray(f, float), np.asarray(y, float)
    if loss == "squared":
        return 0.5 * float(np.sum((f - y) ** 2))
    if loss == "logistic":
        return float(np.sum(np.logaddexp(0.0, -y * f)))
    if loss == "hinge":
        return float(np.sum(np.maximum(0.0, 1.0 - y * f)))
    raise ValueError(loss)


def network_objective(W, b, alpha, c, X, y, beta, *, penalty, loss):
    """The value of (P) at the network (W, b, alpha, c): loss of its predictions plus
    (beta/2) sum_j (||w_j||_p^2 + ||alpha_j||^2)."""
    W = np.asarray(W, float).reshape(-1, np.asarray(X).shape[1])
    b = np.asarray(b, float).reshape(-1)
    outputs = 1 if np.ndim(y) == 1 else np.shape(y)[1]
    alpha = np.asarray(alpha, float).reshape(W.shape[0], outputs)
    f = np.maximum(np.asarray(X, float) @ W.T + b, 0.0) @ alpha
    f = f.reshape(np.shape(y)) + np.asarray(c, float)
    w_norms = np.abs(W).sum(axis=1) if penalty == "l1" else np.linalg.norm(W, axis=1)
    a_norms = np.linalg.norm(alpha, axis=1)
    return loss_value(f, y, loss) + 0.5 * beta * float(np.sum(w_norms**2 + a_norms**2))


def _det(rows):
    """Determinant of a square list-of-lists of Fractions (Laplace expansion; k <= 3 here)."""
    k = len(rows)
    if k == 0:
        return Fraction(1)
    if k == 1:
        return rows[0][0]
    if k == 2:
        return rows[0][0] * rows[1][1] - rows[0][1] * rows[1][0]
    return sum(((-1) ** j) * rows[0][j] * _det([r[:j] + r[j + 1:] for r in rows[1:]])
               for j in range(k) if rows[0][j] != 0)


def exact_normal(vectors, dim):
    """The generalized cross product of dim - 1 vectors in Q^dim (exact Fractions): the normal
    whose j-th entry is (-1)^j det(the vectors without coordinate j); zero iff they are dependent."""
    return [((-1) ** j) * _det([v[:j] + v[j + 1:] for v in vectors]) for j in range(dim)]


def l1_vertex_neurons(X, *, bias):
    """Unit neurons (w, b), ||w||_1 = 1, of the l1 vertex dictionary, computed exactly.

    The dual constraint max_{||w||_1 <= 1, b} |lambda . relu(Xw + b)| is a linear function on each
    chamber of the arrangement {x_i . w + b = 0} intersected with the l1 ball, so its maximum is at a
    vertex: d independent active constraints among x_i . w + b = 0 and w_k = 0 (with a bias; d - 1
    of them without, in R^d), i.e. a normal to d lifted vectors (x_i, 1), (e_k, 0). Normals are
    exact (Fractions of the floats), and only an exactly zero w is dropped (it is the constant or
    nothing). Duplicates are kept: they do not change a Lasso's optimum.
    """
    X = np.asarray(X, float)
    n, d = X.shape
    vertices = [[Fraction(v) for v in row] + ([Fraction(1)] if bias else []) for row in X]
    vertices += [[Fraction(int(j == k)) for j in range(d)] + ([Fraction(0)] if bias else []) for k in range(d)]
    dim = d + 1 if bias else d
    W, B = [], []
    for subset in itertools.combinations(range(len(vertices)), dim - 1):
        normal = exact_normal([vertices[i] for i in subset], dim)
        scale = sum(abs(v) for v in normal[:d])
        if scale == 0:
            continue
        W.append([float(v / scale) for v in normal[:d]])
        B.append(float(normal[d] / scale) if bias else 0.0)
    return np.array(W, float).reshape(-1, d), np.array(B, float)


def neuron_columns(X, W, B):
    """Columns relu(+(Xw + b)) and relu(-(Xw + b)) per neuron: K (n, 2m) and the signs (2m,)."""
    T = np.asarray(X, float) @ W.T + B
    return np.hstack([np.maximum(T, 0.0), np.maximum(-T, 0.0)]), np.concatenate([np.ones(len(B)), -np.ones(len(B))])


def _lasso_solve(Ks, ys, beta_s, loss, intercept):
    """min_{z, c} L(Ks z + c, ys) + beta_s sum_j ||z_j|| on unit-scale data; returns (z, c, mu).

    Squared and logistic: cvxpy + Clarabel at tight tolerances; hinge: an LP solved by HiGHS
    (scipy), whose vertex solution is exact up to round-off. mu: the hinge LP's dual (else None).
    """
    n, m = Ks.shape
    if loss == "hinge":
        from scipy.optimize import linprog

        # variables [z+ (m), z- (m), c (1), xi (n)]; xi_i >= 1 - y_i (K_i z + c)
        cost = np.concatenate([beta_s * np.ones(2 * m), [0.0], np.ones(n)])
        YK = ys[:, None] * Ks
        A = np.hstack([-YK, YK, -ys[:, None], -np.eye(n)])
        bounds = [(0, None)] * (2 * m) + [(None, None) if intercept else (0, 0)] + [(0, None)] * n
        res = linprog(cost, A_ub=A, b_ub=-np.ones(n), bounds=bounds, method="highs")
        if res.status != 0:
            return None
        z = res.x[:m] - res.x[m:2 * m]
        return z, float(res.x[2 * m]), -np.asarray(res.ineqlin.marginals)
    import cvxpy as cp

    Z = cp.Variable((m,) if ys.ndim == 1 else (m, ys.shape[1]))
    c = cp.Variable(() if ys.ndim == 1 else (ys.shape[1],)) if intercept else 0.0
    pred = Ks @ Z + (c if ys.ndim == 1 or not intercept else cp.reshape(c, (1, ys.shape[1]), order="C"))
    if loss == "squared":
        data = 0.5 * cp.sum_squares(pred - ys)
    else:
        data = cp.sum(cp.logistic(-cp.multiply(ys, pred)))
    reg = cp.norm1(Z) if ys.ndim == 1 else cp.sum(cp.norm(Z, 2, axis=1))
    prob = cp.Problem(cp.Minimize(data + beta_s * reg))
    try:
        prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10,
                   max_iter=400)
    except cp.error.SolverError:
        return None
    if Z.value is None:
        return None
    return np.asarray(Z.value, float), (np.asarray(c.value, float) if intercept else 0.0), None


def _polish_squared(Ks, ys, z, c, beta_s, intercept):
    """Re-solve the squared-loss Lasso's optimality conditions on the support and signs of z
    (a linear system), which removes the interior-point solver's residue; None if signs change."""
    if ys.ndim != 1:
        return None
    on = np.flatnonzero(np.abs(z) > 1e-9 * max(np.abs(z).max(initial=0.0), 1e-300))
    sigma = np.sign(z[on])
    Ka = np.hstack([Ks[:, on], np.ones((len(ys), 1))]) if intercept else Ks[:, on]
    rhs = Ka.T @ ys - beta_s * (np.concatenate([sigma, [0.0]]) if intercept else sigma)
    sol = np.linalg.lstsq(Ka.T @ Ka, rhs, rcond=None)[0]
    if np.any(np.sign(sol[:len(on)]) != sigma):
        return None
    zp = np.zeros_like(z)
    zp[on] = sol[:len(on)]
    return zp, (float(sol[-1]) if intercept else 0.0)


def _lower_bound(K, X, y, beta, lam, loss, sum_zero):
    """Weak duality: D(lambda') <= P* for lambda' = lambda (moved onto sum(lambda) = 0 and into the
    loss conjugate's domain), scaled by 1 / max(1, rho), rho = max_j ||K_j^T lambda'|| / beta over
    the complete vertex dictionary (so rho is the exact dual ratio over all neurons)."""
    lam = np.array(lam, float)
    if loss == "squared":
        if sum_zero:
            lam = lam - lam.mean(axis=0)
    else:
        s = np.clip(y * lam, 0.0, 1.0)
        if sum_zero:
            pos, neg = s[y > 0].sum(), s[y < 0].sum()
            if pos > neg:
                s = np.where(y > 0, s * (neg / pos), s)
            elif neg > pos:
                s = np.where(y < 0, s * (pos / neg), s)
        lam = y * s
    scores = K.T @ lam
    rho = float((np.abs(scores) if scores.ndim == 1 else np.linalg.norm(scores, axis=1)).max(initial=0.0)) / beta
    lam = lam / max(1.0, rho)
    if loss == "squared":
        return float(np.sum(lam * y) - 0.5 * np.sum(lam**2))
    s = y * lam
    if loss == "hinge":
        return float(s.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy = -np.where(s > 0, s * np.log(s), 0.0) - np.where(s < 1, (1 - s) * np.log1p(-s), 0.0)
    return float(entropy.sum())


def _dual_at(f, y, loss, mu=None):
    """lambda = -dL/df at predictions f (the hinge LP's dual mu for the hinge loss)."""
    if loss == "squared":
        return y - f
    if loss == "logistic":
        return y / (1.0 + np.exp(np.clip(y * f, -700, 700)))
    return y * np.clip(mu, 0.0, 1.0)


def l1_reference(X, y, beta, *, loss, bias, fit_intercept):
    """The optimum of (P) with the l1 penalty, from an own vertex dictionary and an own Lasso.

    Returns a dict: ``upper`` (the value of (P), computed by :func:`network_objective`, at the network
    the reference Lasso gives: a real network, so an upper bound on inf (P)), ``lower`` (a weak-duality
    lower bound, see :func:`_lower_bound`), ``network`` (W, b, alpha, c) and ``n_columns``; None when
    the reference solver fails. With a bias the intercept is always free: a neuron with w = 0 and a
    large bias is a constant of vanishing cost, so inf (P) is that of the model with an intercept.
    """
    X, y = np.asarray(X, float), np.asarray(y, float)
    intercept = fit_intercept or bias
    W, B = l1_vertex_neurons(X, bias=bias)
    K, signs = neuron_columns(X, W, B)
    # solve on unit scale: K = k_scale K', y = y_scale y', z = (y_scale / k_scale) z' turns the
    # squared objective into y_scale^2 (L(K'z' + c', y') + beta / (k_scale y_scale) ||z'||_1)
    k_scale = float(np.abs(K).max(initial=0.0)) or 1.0
    y_scale = float(np.abs(y).max()) if loss == "squared" else 1.0
    y_scale = y_scale or 1.0
    beta_s = beta / (k_scale * y_scale)
    solved = _lasso_solve(K / k_scale, y / y_scale, beta_s, loss, intercept)
    if solved is None:
        return None
    z, c, mu = solved
    candidates = [(z, c)]
    if loss == "squared":
        polished = _polish_squared(K / k_scale, y / y_scale, z, c, beta_s, intercept)
        if polished is not None:
            candidates.append(polished)
    best = None
    for z, c in candidates:
        z = z * (y_scale / k_scale)
        c = np.asarray(c, float) * y_scale
        size = np.abs(z) if z.ndim == 1 else np.linalg.norm(z, axis=1)
        on = np.flatnonzero(size > 0)
        root = np.sqrt(size[on])
        Wn = np.vstack([W, W])[on] * (signs[on] * root)[:, None]
        bn = np.concatenate([B, B])[on] * signs[on] * root
        an = z[on] / (root if z.ndim == 1 else root[:, None])
        if loss == "squared" and intercept:  # the exact best constant for these neurons
            g = np.maximum(X @ Wn.T + bn, 0.0) @ an.reshape(len(on), 1 if y.ndim == 1 else y.shape[1])
            c = np.mean(y.reshape(len(y), -1) - g, axis=0).reshape(np.shape(c) if np.ndim(c) else ())
        value = network_objective(Wn, bn, an, c, X, y, beta, penalty="l1", loss=loss)
        if best is None or value < best[0]:
            best = (value, (Wn, bn, an, c))
    value, network = best
    outputs = 1 if y.ndim == 1 else y.shape[1]
    f = np.maximum(X @ network[0].T + network[1], 0.0) @ network[2].reshape(len(network[1]), outputs)
    f = f.reshape(y.shape) + network[3]
    lam = _dual_at(f, y, loss, mu)
    lower = _lower_bound(K, X, y, beta, lam, loss, intercept)
    return {"upper": value, "lower": lower, "network": network, "n_columns": K.shape[1]}


def null_objective(y, *, loss, intercept):
    """(P) at the empty network with the best constant (with ``intercept``) or c = 0: the scale
    against which a solver's absolute accuracy is measured."""
    y = np.asarray(y, float)
    if not intercept:
        return loss_value(np.zeros_like(y), y, loss)
    if loss == "squared":
        return loss_value(np.broadcast_to(y.mean(axis=0), y.shape), y, loss)
    p = np.mean(y > 0)
    if loss == "logistic":
        c = 0.0 if p in (0.0, 1.0) else np.log(p / (1 - p))
        return loss_value(np.full_like(y, c), y, loss) if 0 < p < 1 else 0.0
    return min(loss_value(np.full_like(y, c), y, loss) for c in (-1.0, 1.0))


def activation_patterns(X, *, bias, max_patterns=4000):
    """A superset of the activation patterns 1[X~ v > 0] of the chambers of {X~ v = 0}, X~ = [X, 1]
    with a bias (None when above ``max_patterns``).

    The patterns depend on v only through X~ v, so the arrangement is taken in coordinates of the
    row space of X~ (rank r), where it is essential: every chamber is then a pointed cone with an
    extreme ray, the intersection of r - 1 independent hyperplanes through samples. Around a ray
    the chambers take the ray's signs on the samples off it and any signs on those on it; all of
    those sign choices are listed (a superset: a pattern that is no chamber only adds a cone
    {(2D - I) X~ v >= 0} of the lower-dimensional v's on which D X~ v = relu(X~ v) still holds).
    """
    X = np.asarray(X, float)
    Xt = np.hstack([X, np.ones((len(X), 1))]) if bias else X
    Xt = Xt / np.maximum(np.abs(Xt).max(axis=0), 1e-300)  # column scaling keeps every sign pattern
    U, S, Vt = np.linalg.svd(Xt, full_matrices=False)
    r = int(np.sum(S > S.max() * 1e-12)) if S.size and S.max() > 0 else 0
    if r == 0:
        return np.zeros((0, len(X)), bool)
    Y = Xt @ Vt[:r].T  # (n, r): the same patterns, essential arrangement
    patterns = set()
    row_norms = np.linalg.norm(Y, axis=1)
    for subset in itertools.combinations(range(len(Y)), r - 1):
        M = Y[list(subset)]
        if r == 1:
            ray = np.ones(1)
        else:
            ray = np.array([((-1) ** j) * np.linalg.det(np.delete(M, j, axis=1)) for j in range(r)])
        if not np.linalg.norm(ray) > 1e-13 * np.prod(row_norms[list(subset)]):
            continue
        ray /= np.linalg.norm(ray)
        for direction in (ray, -ray):
            t = Y @ direction
            on = np.flatnonzero(np.abs(t) <= 1e-9 * row_norms)  # liberal: a superset is harmless
            if len(on) > 12:
                return None
            base = t > 0
            for signs in itertools.product((False, True), repeat=len(on)):
                p = base.copy()
                p[on] = signs
                if p.any():
                    patterns.add(p.tobytes())
            if len(patterns) > max_patterns:
                return None
    return np.array([np.frombuffer(p, dtype=bool) for p in sorted(patterns)]).reshape(-1, len(X))


def weight_decay_reference(X, y, beta, *, loss, bias, fit_intercept, max_patterns=600):
    """The exact optimum of (P) with weight decay (l2): the cone program of Pilanci and Ergen over
    the activation patterns of :func:`activation_patterns`, in an own cvxpy model,

        min L(sum_D D X~ (v_D - u_D) + c, y) + beta sum_D (||v_D[:d]||_2 + ||u_D[:d]||_2)
        s.t. (2D - I) X~ v_D >= 0, (2D - I) X~ u_D >= 0.

    Returns a dict with ``upper`` (the value of (P), by :func:`network_objective`, at the network of
    the program's blocks, w = v[:d] / sqrt(||v[:d]||), b = v[d] / sqrt(||v[:d]||),
    alpha = +-sqrt(||v[:d]||), constants of w = 0 blocks in c), ``program`` (the program's value in
    original units), ``status`` and ``n_patterns``; None when there are too many patterns or the
    solver fails.
    """
    import cvxpy as cp

    X, y = np.asarray(X, float), np.asarray(y, float)
    n, d = X.shape
    patterns = activation_patterns(X, bias=bias, max_patterns=max_patterns)
    if patterns is None or len(patterns) > max_patterns:
        return None
    # unit scale: X = a X', y = s y' (squared only) and v = (s / a) v'_w, s v'_b give
    # s^2 (L(...) + beta / (a s) sum ||v'_w||) for the squared loss (s = 1 for labels)
    a = float(np.abs(X).max()) or 1.0
    s = (float(np.abs(y).max()) or 1.0) if loss == "squared" else 1.0
    Xt = np.hstack([X / a, np.ones((n, 1))]) if bias else X / a
    ys, beta_s = y / s, beta / (a * s)
    D = patterns.astype(float)
    N, Dd = D.shape[0], Xt.shape[1]
    V, U = cp.Variable((N, Dd)), cp.Variable((N, Dd))
    c = cp.Variable() if fit_intercept else 0.0
    pred = cp.sum(cp.multiply(D, (V - U) @ Xt.T), axis=0) + c
    S = 2 * D - 1
    cons = [cp.multiply(S, V @ Xt.T) >= 0, cp.multiply(S, U @ Xt.T) >= 0]
    if loss == "squared":
        data = 0.5 * cp.sum_squares(pred - ys)
    elif loss == "logistic":
        data = cp.sum(cp.logistic(-cp.multiply(ys, pred)))
    else:
        data = cp.sum(cp.pos(1 - cp.multiply(ys, pred)))
    reg = cp.sum(cp.norm(V[:, :d], 2, axis=1)) + cp.sum(cp.norm(U[:, :d], 2, axis=1))
    prob = cp.Problem(cp.Minimize(data + beta_s * reg), cons)
    try:
        prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-10, tol_gap_rel=1e-10, tol_feas=1e-10, max_iter=400)
    except cp.error.SolverError:
        return None
    if V.value is None:
        return None
    blocks = np.vstack([V.value, U.value])
    out = np.concatenate([np.ones(N), -np.ones(N)])
    scale_w = s / a
    Wv, bv = blocks[:, :d] * scale_w, (blocks[:, d] * s if bias else np.zeros(2 * N))
    norms = np.linalg.norm(Wv, axis=1)
    live = norms > 0
    c_val = float(c.value) * s if fit_intercept else 0.0
    if bias:  # a w = 0 block on the all-active pattern is a constant
        all_on = np.concatenate([patterns.all(axis=1)] * 2)
        c_val += float(np.sum((out * bv)[~live & all_on]))
    root = np.sqrt(norms[live])
    Wn, bn, an = Wv[live] / root[:, None], bv[live] / root, out[live] * root
    upper = network_objective(Wn, bn, an, c_val, X, y, beta, penalty="l2", loss=loss)
    return {"upper": upper, "program": float(prob.value) * s**2, "status": prob.status,
            "n_patterns": N, "network": (Wn, bn, an, c_val)}
