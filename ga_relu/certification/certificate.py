r"""Dual certificates for any two-layer ReLU network, and the exact weight-decay optimum (theory.md 2-3).

Certificate. For a network f with predictions f(X), let lambda = -dL/df at f(X) (the residual y - f for
the squared loss). The network is a global optimum of

    (P)  L(f(X), y) + (beta/2) sum_j (||w_j||_p^2 + alpha_j^2)

among networks of every width iff

    ratio = max_{||w||_p <= 1, b} |lambda . relu(X w + b)| / beta <= 1,

every neuron of the network attains the bound with the sign of its output weight
(lambda . relu(X u_j + c_j) = beta sign(alpha_j), (u_j, c_j) = (w_j, b_j) / ||w_j||_p), the neurons are
balanced (||w_j||_p = |alpha_j|), and sum(lambda) = 0 when the intercept is free. With a bias the
constant function is free in (P) (a neuron with a large bias), so sum(lambda) = 0 is needed even
without an intercept: otherwise the ratio is infinite.

The maximum is computed exactly

* l1 penalty (any d) and d = 1: over all vertices of theory.md T1/T2/T3 (hyperplanes through d - 1
  samples/basis vectors, or d lifted ones), streamed in chunks: on every chamber of the arrangement
  the objective is linear, so its maximum over chamber x l1-ball is at such a vertex;
* l2 penalty: per activation pattern D (all chambers, ga_relu.convex.chambers) the maximum of the linear
  function g_D . v, g_D = sum_{i in D} lambda_i x~_i, over the cone {(2D - I) X~ v >= 0} intersected
  with {||w||_2 <= 1}: a second-order cone program, all patterns in one separable Clarabel solve;

or bounded from below (``exhaustive=False``) by random search with local refinement.

Gap bound (weak duality of the convex reformulation, valid for every width): for lambda' feasible in
the dual (ratio(lambda') <= 1 and sum lambda' = 0 when needed),
    (P)(network) - inf (P) <= (P)(network) - D(lambda'),
    D(lambda) = lambda . y - ||lambda||^2 / 2           (squared)
              = sum_i H(y_i lambda_i), H binary entropy  (logistic)
              = sum_i y_i lambda_i                      (hinge),
with lambda' = lambda / max(1, ratio) after moving sum(lambda) onto one sample when it is not exactly 0
(whose effect on the ratio is bounded by |sum lambda| * max |x_i.w + b| / beta).

Exact weight decay (Pilanci & Ergen 2020, theory.md T4):
    min L(sum_D D X~ (v_D - u_D) + c, y) + beta sum_D (||v_D[:d]||_2 + ||u_D[:d]||_2)
    s.t. (2D - I) X~ v_D >= 0, (2D - I) X~ u_D >= 0   over all activation patterns D.
Each nonzero v_D gives the neuron w = v / sqrt(||v[:d]||), alpha = sqrt(||v[:d]||) (alpha < 0 for u_D),
whose cost (beta/2)(||w||^2 + alpha^2) = beta ||v[:d]||: the network's value in (P) equals the program's.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from ..convex.solvers import solve_cone_program
from ..convex.chambers import samples_on_hyperplane, Chambers, enumerate_chambers, lift, max_chambers
from ..errors import EnumerationTooLargeError, InvalidInputError, SolverError
from ..convex.dictionary import describe_hyperplane
from ..convex.losses import dual_objective, dual_vector
from ..networks.relu import ReLUNetwork, weight_norms
from ..validation import (
    check_beta,
    check_choice,
    check_loss,
    check_matrix,
    check_penalty,
    check_random_state,
    check_targets,
)

#: default limits of the exhaustive searches ("auto" falls back to sampling above them)
MAX_VERTEX_SUBSETS = 5_000_000
MAX_PATTERNS = 20_000
#: patterns per Clarabel solve in the l2 certificate
_PATTERN_BLOCK = 2000


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class BestNeuron:
    """The feasible neuron relu(w . x + b) (||w||_p = 1) with the largest |lambda . relu(Xw + b)|.

    ``value`` = lambda . relu(X w + b) (signed); adding the neuron with a small output weight of sign
    ``output_sign`` lowers the objective by about t^2 (|value| - beta) when ratio > 1.
    ``samples``/``basis`` (0-based) define it when it is a wedge vertex (or lie on its hyperplane).
    """

    weight: np.ndarray
    bias: float
    value: float
    output_sign: int
    samples: tuple[int, ...] = ()
    basis: tuple[int, ...] = ()
    source: str = ""  # "vertex", "chamber", "search", "constant"
    description: str = ""

    def __call__(self, X) -> np.ndarray:
        return np.maximum(np.asarray(X, float) @ self.weight + self.bias, 0.0)


@dataclasses.dataclass
class Certificate:
    """The dual certificate of a network (module docstring for the mathematics).

    ratio: max |lambda . relu(Xw + b)| / beta over ||w||_p <= 1 (exact when ``exhaustive``, else a
    lower bound); optimal: ratio <= 1 + tol, first-order residual <= tol (neurons attain the bound
    with their sign, balanced, sum(lambda) = 0 when needed), and the ratio exact.
    gap_bound: objective - D(lambda') >= objective - inf (P), None when no valid bound is available
    (non-exhaustive ratio, or sum(lambda) could not be corrected; see ``gap_note``).
    """

    ratio: float
    exhaustive: bool
    optimal: bool
    best_neuron: BestNeuron | None
    first_order_residual: float
    residuals: dict
    objective: float
    gap_bound: float | None
    dual_objective: float | None
    gap_note: str
    method: str
    beta: float
    penalty: str
    bias: bool
    loss: str
    fit_intercept: bool
    tol: float
    dual: np.ndarray = dataclasses.field(repr=False)
    n_candidates: int = 0
    seconds: float = 0.0
    notes: list = dataclasses.field(default_factory=list)

    @property
    def bound_kind(self) -> str:
        return "exact maximum" if self.exhaustive else "lower bound (sampled)"

    def summary(self) -> str:
        verdict = ("OPTIMAL (certified global optimum of (P))" if self.optimal else
                   "not certified optimal" if self.exhaustive or self.ratio > 1 + self.tol else
                   "no violation found, but the search was not exhaustive: not certified")
        lines = [
            f"dual certificate ({self.penalty}, bias={self.bias}, loss={self.loss}, beta={self.beta:g}): {verdict}",
            f"  ratio max|lambda.relu(Xw+b)|/beta = {self.ratio:.8g}  [{self.bound_kind}; {self.method}; "
            f"{self.n_candidates:,} candidates, {self.seconds:.3f} s]",
            f"  first-order residual {self.first_order_residual:.3g} (neurons {self.residuals['neurons']:.3g}, "
            f"balance {self.residuals['balance']:.3g}, sum(lambda)/beta {self.residuals['intercept']:.3g})",
            f"  objective of (P) {self.objective:.10g}; gap to the optimum <= "
            + (f"{self.gap_bound:.3g}" if self.gap_bound is not None else f"unknown ({self.gap_note})"),
        ]
        if self.best_neuron is not None:
            bn = self.best_neuron
            lines.append(f"  most violating neuron: {bn.description} (lambda.h = {bn.value:.6g}, "
                         f"output sign {bn.output_sign:+d})")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    __str__ = summary

    def _repr_latex_(self) -> str:
        ok = r"\le" if self.ratio <= 1 + self.tol else ">"
        return (rf"$\max_{{\|w\|_{self.penalty[1]}\le 1,\,b}} \frac{{|\lambda^\top (Xw+b)_+|}}{{\beta}} = "
                rf"{self.ratio:.6g} {ok} 1$ ({self.bound_kind}; {'optimal' if self.optimal else 'not certified'})")


# ---------------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------------


def _as_network(network, d: int, n_outputs: int | None, bias: bool) -> ReLUNetwork:
    """A ReLUNetwork from anything with W, b, alpha, c (or a FitResult); shapes checked against X, y."""
    if hasattr(network, "network") and not hasattr(network, "W"):
        network = network.network
    missing = [a for a in ("W", "b", "alpha", "c") if not hasattr(network, a)]
    if missing:
        raise InvalidInputError(
            f"certify needs a network with attributes W (m x d), b (m), alpha (m) and c; {type(network).__name__} "
            f"lacks {missing}. Wrap your weights as ga_relu.ReLUNetwork(W, b, alpha, c)"
        )
    W = np.asarray(network.W, dtype=float)
    if W.ndim != 2 or W.shape[1] != d:
        raise InvalidInputError(
            f"the network's first layer W has shape {W.shape}, but X has {d} features: W must be (width, {d}); "
            "pass the data the network was trained on"
        )
    m = W.shape[0]
    b = np.asarray(network.b, dtype=float).reshape(-1) if network.b is not None else np.zeros(m)
    alpha = np.asarray(network.alpha, dtype=float)
    if b.shape != (m,):
        raise InvalidInputError(f"the network has {m} neurons but {b.size} biases; b must have shape ({m},)")
    want = (m,) if n_outputs is None else (m, n_outputs)
    if alpha.shape != want:
        raise InvalidInputError(
            f"output weights alpha have shape {alpha.shape}, expected {want} for {m} neurons and y of "
            f"{'one output' if n_outputs is None else f'{n_outputs} outputs'}"
        )
    if not bias and np.any(b != 0):
        raise InvalidInputError(
            "the network has nonzero hidden biases but bias=False; certify with bias=True (its biases are used)"
        )
    c = np.asarray(network.c, dtype=float)
    if n_outputs is None and c.size != 1 or n_outputs is not None and c.size not in (1, n_outputs):
        raise InvalidInputError(f"intercept c has shape {c.shape}; it must be a scalar or one per output")
    return ReLUNetwork(W, b, alpha, c if c.size > 1 else float(c.reshape(-1)[0]))


#: hinge loss: samples with |1 - y f| below this are at the margin (solvers meet it to ~1e-6)
_MARGIN_TOL = 1e-5


def _dual_of(loss: str, f: np.ndarray, y: np.ndarray, dual) -> np.ndarray:
    """lambda = -dL/df at f. For hinge the canonical subgradient of losses.dual_vector (mu = 1/2 on the
    kink samples y f = 1), unless ``dual`` is given (e.g. the solver's dual of a fit)."""
    if dual is None:
        return dual_vector(loss, f, y)
    lam = np.asarray(dual, dtype=float)
    if lam.shape != np.shape(y):
        raise InvalidInputError(f"dual must have the shape of y {np.shape(y)}, got {lam.shape}")
    if loss == "hinge":
        mu = y * lam
        if np.any(mu < -1e-9) or np.any(mu > 1 + 1e-9):
            raise InvalidInputError("a hinge dual must be y * mu with mu in [0, 1]")
        margin = 1 - y * f
        if np.any((margin > _MARGIN_TOL) & (mu < 1 - 1e-6)) or np.any((margin < -_MARGIN_TOL) & (mu > 1e-6)):
            raise InvalidInputError("the given hinge dual is not a subgradient at the network's predictions "
                                    "(mu must be 1 where y f < 1 and 0 where y f > 1)")
    return lam


def _feature_value(lam: np.ndarray, H: np.ndarray) -> np.ndarray:
    """lambda . h for columns h of H (n, m); for vector outputs the vectors lambda^T h (m, c)."""
    return H.T @ lam


def _abs(values: np.ndarray) -> np.ndarray:
    return np.abs(values) if values.ndim == 1 else np.linalg.norm(values, axis=1)


# ---------------------------------------------------------------------------------------------
# the maximum of |lambda . relu(Xw + b)| over feasible neurons
# ---------------------------------------------------------------------------------------------


def _describe(samples, basis, sign, w, b, penalty, bias, X, extra="") -> str:
    text = describe_hyperplane(tuple(samples), tuple(basis), d=X.shape[1], bias=bias, sign=sign)
    if X.shape[1] == 1 and bias and samples:
        text += " (" + ("relu(x - x_%d)" % (samples[0] + 1) if w[0] > 0 else "relu(x_%d - x)" % (samples[0] + 1)) + ")"
    return text + extra


def _max_over_vertices(X, lam, penalty, bias, chunk):
    """Exact max over the vertices of T1/T2/T3 (streamed). Returns (best value, BestNeuron, count)."""
    from ..convex.dictionary import iter_dictionary_chunks

    best_abs, best, count = -1.0, None, 0
    for block in iter_dictionary_chunks(X, penalty=penalty, bias=bias, chunk=chunk):
        if block.n_subsets == 0:
            continue
        P = block.preactivations(X)
        for sign in (1, -1):
            vals = _feature_value(lam, np.maximum(sign * P, 0.0))
            mags = _abs(vals)
            j = int(np.argmax(mags))
            count += len(mags)
            if mags[j] > best_abs:
                best_abs = float(mags[j])
                subset = block.subsets[j]
                samples, basis = block.split_subset(subset)
                best = (sign * block.weights[j], sign * float(block.biases[j]), vals[j], samples, basis, sign)
    w, b, val, samples, basis, sign = best
    osign = int(np.sign(val)) if np.ndim(val) == 0 else 1
    bn = BestNeuron(weight=w, bias=b, value=val if np.ndim(val) else float(val), output_sign=osign or 1,
                    samples=samples, basis=basis, source="vertex",
                    description=_describe(samples, basis, sign, w, b, penalty, bias, X))
    return best_abs, bn, count


def _socp_pattern_maxima(Xt: np.ndarray, G: np.ndarray, S: np.ndarray, d: int) -> np.ndarray:
    """For each pattern row k: argmax of G[k] . v over {S[k] * (X~ v) >= 0, ||v[:d]||_2 <= 1}.

    All patterns in one separable second-order cone program (its optimum maximizes every block).
    """
    import cvxpy as cp

    from ..config import options

    N, D = G.shape
    V = cp.Variable((N, D))
    cons = [cp.multiply(S, V @ Xt.T) >= 0, cp.norm(V[:, :d], 2, axis=1) <= 1]
    prob = cp.Problem(cp.Maximize(cp.sum(cp.multiply(G, V))), cons)
    try:
        solve_cone_program(prob)
    except cp.error.SolverError as exc:
        raise SolverError(f"{options.solver} failed on the chamber maxima ({N} patterns): {exc}; rescale X to unit "
                          "scale or use exhaustive=False") from exc
    if prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):  # points are evaluated exactly afterwards
        raise SolverError(f"{options.solver} returned {prob.status!r} on the chamber maxima ({N} patterns); rescale X "
                          "to unit scale or use exhaustive=False for a sampled lower bound")
    return np.asarray(V.value, dtype=float)


def _polish(Xt: np.ndarray, lam: np.ndarray, V: np.ndarray, d: int, tol: float = 1e-6) -> np.ndarray:
    """Closed-form re-maximization on the face of each solver point v: with Z = samples with
    x~_i . v ~ 0 and A those with x~_i . v > 0, maximize g . u, g = sum_A lambda_i x~_i, over
    u in null(X~_Z) with ||u[:d]|| <= 1: u = N M^-1 h / sqrt(h' M^-1 h), h = N' g, M = N' P' P N
    (P keeps the w coordinates). Any such u is a feasible neuron, so this can only raise the
    evaluated maximum; it removes the solver's ~1e-8 error at the maximizer."""
    out = []
    scale = np.linalg.norm(Xt, axis=1)
    for v in V:
        nv = np.linalg.norm(v[:d])
        if nv <= 1e-12:
            continue
        pre = Xt @ v / nv
        Z = np.abs(pre) <= tol * scale
        g = lam[pre > tol * scale] @ Xt[pre > tol * scale]
        if Z.any():
            _, sv, vt = np.linalg.svd(Xt[Z])
            rank = int(np.sum(sv > 1e-10 * sv[0]))
            N = vt[rank:].T
        else:
            N = np.eye(Xt.shape[1])
        if N.shape[1] == 0:
            continue
        M = N[:d].T @ N[:d]
        if np.linalg.cond(M) > 1e12:
            continue
        h = N.T @ g
        a = np.linalg.solve(M, h)
        q = float(h @ a)
        if q <= 0:
            continue
        u = N @ (a / math.sqrt(q))
        out.append(u if u @ v >= 0 else -u)
    return np.array(out).reshape(-1, Xt.shape[1])


def _max_over_chambers(X, lam, bias, chambers: Chambers):
    """Exact max over all chambers for the l2 penalty (one output). Returns (value, BestNeuron, count)."""
    n, d = X.shape
    Xt = lift(X, bias)
    P = chambers.patterns
    candidates = []  # (v with ||w|| = 1)
    if bias:  # all-active chamber: lambda . (Xw + b) = (X^T lambda) . w + b sum(lambda); sum ~ 0 checked before
        g = X.T @ lam
        if np.linalg.norm(g) > 0:
            w = g / np.linalg.norm(g)
            candidates.append(np.append(w, -float((X @ w).min()) + 1.0))
        keep = P.any(axis=1) & ~P.all(axis=1)
        P = P[keep]
    else:
        P = P[P.any(axis=1)]
    for start in range(0, len(P), _PATTERN_BLOCK):
        block = P[start : start + _PATTERN_BLOCK]
        G = block.astype(float) @ (lam[:, None] * Xt)
        S = 2.0 * block - 1.0
        for sign in (1.0, -1.0):
            V = _socp_pattern_maxima(Xt, sign * G, S, d)
            candidates.append(V)
    V = np.vstack([np.atleast_2d(c) for c in candidates]) if candidates else np.zeros((0, Xt.shape[1]))
    V = np.vstack([V, _polish(Xt, lam, V, d)])
    norms = np.linalg.norm(V[:, :d], axis=1)
    V = V[norms > 1e-12] / norms[norms > 1e-12, None]  # homogeneous: the max is on ||w|| = 1
    if len(V) == 0:
        return 0.0, None, len(chambers)
    vals = np.maximum(Xt @ V.T, 0.0).T @ lam
    j = int(np.argmax(np.abs(vals)))
    w, b = V[j, :d], (float(V[j, d]) if bias else 0.0)
    on = samples_on_hyperplane(X, w, b)
    k = d if bias else d - 1
    extra = "" if len(on) >= k else " (a weight-decay neuron: fewer than %d samples on its hyperplane)" % k
    bn = BestNeuron(weight=w, bias=b, value=float(vals[j]), output_sign=int(np.sign(vals[j])) or 1, samples=on,
                    source="chamber", description=_describe(on, (), 1, w, b, "l2", bias, X, extra))
    return float(abs(vals[j])), bn, len(chambers)


def _breakpoint_values(T: np.ndarray, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For projections T (m, n) = X w: max over b of |sum_i lam_i relu(t_i + b)| over the breakpoints
    b = -t_k (where the maximum of this piecewise linear function lies when sum(lam) = 0).
    Returns (signed values (m,), maximizing b (m,))."""
    order = np.argsort(-T, axis=1)
    Ts = np.take_along_axis(T, order, axis=1)
    L = lam[order]
    # b = -Ts[:, k]: sum over i <= k (sorted descending) of L_i (Ts_i - Ts_k)
    cum_lt = np.cumsum(L * Ts, axis=1)
    cum_l = np.cumsum(L, axis=1)
    vals = cum_lt - cum_l * Ts
    k = np.argmax(np.abs(vals), axis=1)
    rows = np.arange(len(T))
    return vals[rows, k], -Ts[rows, k]


def _search_l2(X, lam, bias, n_random, rng, n_refine=10, steps=60):
    """Lower bound for l2: random unit directions and wedge directions, best breakpoint bias, then
    projected gradient ascent on the sphere from the best candidates."""
    from ..algebra.batched import cross_batch
    from ..convex.dictionary import sample_subsets

    n, d = X.shape
    W = rng.standard_normal((n_random, d))
    k = d if bias else d - 1
    if k >= 1 and n >= k:
        subs = sample_subsets(n, k, min(n_random, math.comb(n, k)), rng)
        Xt = lift(X, bias)
        v = cross_batch(Xt[subs])[:, :d]
        W = np.vstack([W, v, -v])
    nrm = np.linalg.norm(W, axis=1)
    W = W[nrm > 1e-12] / nrm[nrm > 1e-12, None]

    def evaluate(Wb):
        T = Wb @ X.T
        if bias:
            return _breakpoint_values(T, lam)
        return np.maximum(T, 0.0) @ lam, np.zeros(len(Wb))

    vals, bs = evaluate(W)
    top = np.argsort(-np.abs(vals))[:n_refine]
    best = (abs(vals[top[0]]), W[top[0]], bs[top[0]], vals[top[0]])
    for j in top:
        w, val, b = W[j].copy(), vals[j], bs[j]
        step = 0.5
        for _ in range(steps):
            pre = X @ w + b
            active = pre > 1e-12
            grad = lam[active] @ X[active]
            if bias:  # b = -x_k . w at the breakpoint sample k
                kink = int(np.argmin(np.abs(pre)))
                grad = grad - lam[active].sum() * X[kink]
            trial = w + step * np.sign(val) * grad / max(np.linalg.norm(grad), 1e-300)
            trial /= np.linalg.norm(trial)
            tv, tb = evaluate(trial[None, :])
            if abs(tv[0]) > abs(val):
                w, val, b = trial, tv[0], tb[0]
            else:
                step *= 0.5
                if step < 1e-8:
                    break
        if abs(val) > best[0]:
            best = (abs(val), w, b, val)
    return best, len(W)


def _search_l1(X, lam, penalty, bias, n_random, rng):
    """Lower bound for l1 (or any penalty in 1-D): random vertex subsets of T1/T2."""
    from ..convex.dictionary import build_columns, n_candidate_subsets, sample_subsets, subset_size

    n, d = X.shape
    k = subset_size(d, bias)
    n_vertices = n + d
    count = min(n_random, n_candidate_subsets(n, d, "l1", bias))
    subs = sample_subsets(n_vertices, k, count, rng)
    kept, w, b, _ = build_columns(X, subs, "l1", bias)
    P = X @ w.T + b
    best = (-1.0, None)
    for sign in (1, -1):
        vals = _feature_value(lam, np.maximum(sign * P, 0.0))
        mags = _abs(vals)
        j = int(np.argmax(mags))
        if mags[j] > best[0]:
            best = (float(mags[j]), (sign * w[j], sign * b[j], vals[j], kept[j], sign))
    return best, len(kept)


# ---------------------------------------------------------------------------------------------
# first-order conditions, gap
# ---------------------------------------------------------------------------------------------


def _first_order(net: ReLUNetwork, X, lam, beta, penalty) -> dict:
    """Residuals of the finite problem's optimality conditions (scale-free, / beta):
    neurons: max_j |lambda . relu(X u_j + c_j) / beta - sign(alpha_j)| (u_j = w_j / ||w_j||_p);
    balance: max_j | ||w_j||_p - |alpha_j| | / max(||w_j||_p, |alpha_j|) (0 for dead neurons)."""
    wn = weight_norms(net.W, penalty)
    an = np.abs(net.alpha) if net.alpha.ndim == 1 else np.linalg.norm(net.alpha, axis=1)
    top = max(float(np.max(wn * an, initial=0.0)), 1e-300)
    live = (wn > 0) & (an > 0) & (wn * an > 1e-12 * top)
    per = np.zeros(net.width)
    if live.any():
        U = net.W[live] / wn[live, None]
        c = net.b[live] / wn[live]
        h = np.maximum(X @ U.T + c, 0.0)
        vals = _feature_value(lam, h) / beta
        direction = net.alpha[live] / (an[live] if net.alpha.ndim == 1 else an[live, None])
        per[live] = np.abs(vals - direction) if vals.ndim == 1 else np.linalg.norm(vals - direction, axis=1)
    big = np.maximum(wn, an)
    balance = np.where(big > 0, np.abs(wn - an) / np.where(big > 0, big, 1.0), 0.0)
    return {"neurons": float(per.max(initial=0.0)), "balance": float(balance.max(initial=0.0)),
            "per_neuron": per, "per_neuron_balance": balance}


def _hinge_dual(net: ReLUNetwork, X, y, f, beta, penalty, needs_sum_zero, oracle, kink_tol=None,
                max_rounds=60) -> tuple[np.ndarray, int]:
    """lambda = y mu for the hinge loss, with mu chosen on the kink samples (|1 - y f| <= kink_tol).

    mu_i = 1 where y_i f_i < 1 and 0 where y_i f_i > 1 are forced; on the kink any mu_i in [0, 1] is a
    subgradient. Choose it to minimize  t + M sum_j r_j  (M = 1e3) subject to |lambda . h| <= beta t for the cut
    neurons h, r_j >= |lambda . h_j / beta - sign(alpha_j)| for the network's own unit neurons h_j,
    and sum(lambda) = 0 when a constant is free. Since t + r_j >= 1 whenever the network has a neuron,
    the value is 1, with r = 0, exactly when some subgradient certifies the network. The dual constraint has
    infinitely many neurons: cutting planes (Kelley) add the most violating neuron of ``oracle`` (the
    exact maximum over vertices or chambers) until it is within the LP's t. Returns (lambda, rounds).
    """
    from scipy.optimize import linprog

    kink_tol = _MARGIN_TOL if kink_tol is None else kink_tol
    margin = 1.0 - y * f
    kink = np.flatnonzero(np.abs(margin) <= kink_tol)
    mu = (margin > kink_tol).astype(float)
    mu[kink] = 0.5
    if kink.size == 0:
        return y * mu, 0
    wn = weight_norms(net.W, penalty)
    an = np.abs(net.alpha)
    live = (wn > 0) & (an > 0)
    own = np.maximum(X @ (net.W[live] / wn[live, None]).T + net.b[live] / wn[live], 0.0)  # (n, m)
    own_sign = np.sign(net.alpha[live])
    base = y * mu
    base[kink] = 0.0
    coef = y[kink]  # lambda . h = base . h + sum_{i in K} y_i h_i mu_i
    m, k = own.shape[1], kink.size
    cuts = [own[:, j] for j in range(m)]
    lam = y * mu
    for rounds in range(1, max_rounds + 1):
        value, h = oracle(lam)
        if h is not None:
            cuts.append(h)
        # variables: mu_K (k), t, r (m)
        A, b = [], []
        for hc in cuts:
            a, c0 = coef * hc[kink], float(base @ hc)
            A.append(np.concatenate([a, [-beta], np.zeros(m)])), b.append(-c0)
            A.append(np.concatenate([-a, [-beta], np.zeros(m)])), b.append(c0)
        for j in range(m):
            a, c0 = coef * own[kink, j] / beta, float(base @ own[:, j]) / beta - own_sign[j]
            e = np.zeros(m)
            e[j] = -1.0
            A.append(np.concatenate([a, [0.0], e])), b.append(-c0)
            A.append(np.concatenate([-a, [0.0], e])), b.append(c0)
        A_eq = b_eq = None
        if needs_sum_zero:
            A_eq = np.concatenate([coef, [0.0], np.zeros(m)])[None, :]
            b_eq = [-float(base.sum())]
        # residuals weigh more than t: among equally good ratios, prefer the mu that certifies
        cost = np.concatenate([np.zeros(k), [1.0], np.full(m, 1e3)])
        bounds = [(0.0, 1.0)] * k + [(0.0, None)] * (1 + m)
        res = linprog(cost, A_ub=np.array(A), b_ub=np.array(b), A_eq=A_eq, b_eq=b_eq, bounds=bounds,
                      method="highs")
        if res.status != 0:  # e.g. sum(lambda) = 0 is out of reach: keep the canonical choice
            return y * mu, rounds
        mu_k = res.x[:k]
        lam = base.copy()
        lam[kink] = coef * mu_k
        t = res.x[k]
        value, h = oracle(lam)
        if value <= beta * t * (1 + 1e-9) + 1e-12 or h is None:
            return lam, rounds
        cuts.append(h)
    return lam, max_rounds


def _gap(cert_ratio, lam, y, X, loss, beta, penalty, bias, needs_sum_zero, objective):
    """(gap_bound, D(lambda'), note) from an exact ratio (module docstring)."""
    if lam.ndim == 2 and loss != "squared":
        return None, None, "vector outputs need the squared loss"
    s = lam.sum(axis=0)
    lam_c = lam.copy()
    ratio = cert_ratio
    if needs_sum_zero and np.any(s != 0):
        # move -s onto one sample with room (classification duals must keep y lambda in [0, 1])
        if loss == "squared":
            i = 0
        else:
            p = y * lam
            room = np.where(y * (-s) > 0, 1 - p, p)
            ok = np.flatnonzero(room >= abs(s))
            if len(ok) == 0:
                return None, None, "sum(lambda) != 0 could not be corrected inside the dual domain"
            i = int(ok[0])
        lam_c[i] = lam_c[i] - s
        q = np.inf if penalty == "l1" else 2  # dual norm of ||.||_p bounds |x.w|
        if bias:
            diffs = X[:, None, :] - X[None, :, :]
            hmax = float(np.max(np.linalg.norm(diffs, ord=q, axis=2)))
        else:
            hmax = float(np.max(np.linalg.norm(X, ord=q, axis=1)))
        ratio = cert_ratio + float(np.linalg.norm(np.atleast_1d(s))) * hmax / beta
    lam_f = lam_c / max(1.0, ratio)
    dual = dual_objective(loss, lam_f, y)
    if not np.isfinite(dual):
        return None, None, "scaled dual outside the loss conjugate's domain"
    return max(0.0, objective - dual), dual, "weak duality with lambda / max(1, ratio)"


# ---------------------------------------------------------------------------------------------
# certify
# ---------------------------------------------------------------------------------------------


def certify(network, X, y, *, beta: float, penalty: str = "l1", bias: bool = True, loss: str = "squared",
            fit_intercept: bool = True, exhaustive="auto", n_random: int = 2000, random_state=None,
            chunk: int | None = None, dual=None, tol: float = 1e-4, max_patterns: int = MAX_PATTERNS,
            chambers: Chambers | None = None) -> Certificate:
    r"""The dual certificate of ``network`` for problem (P) on (X, y) (module docstring).

    ratio = max_{||w||_p <= 1, b} |lambda . relu(X w + b)| / beta with lambda = -dL/df at the network's
    predictions. Hinge loss: lambda = y mu is not unique on samples exactly at the margin; unless
    ``dual`` is given, mu there is chosen by a linear program with cutting planes (exhaustive case)
    to minimize the ratio plus the first-order residual, else mu = 1/2.

    exhaustive: "auto" (exact whenever the enumeration is within limits), True (exact or
    EnumerationTooLargeError), False (random search: a lower bound on the ratio).
    Exact: l1 / 1-D over all vertices of T1-T3 (streamed in ``chunk`` subsets); l2 over all chambers
    (at most ``max_patterns``; vector outputs with l2 only by search).
    """
    start = time.perf_counter()
    X = check_matrix(X)
    loss = check_loss(loss)
    penalty = check_penalty(penalty)
    y = check_targets(y, X.shape[0], loss)
    beta = check_beta(beta)
    if not isinstance(bias, (bool, np.bool_)) or not isinstance(fit_intercept, (bool, np.bool_)):
        raise InvalidInputError(f"bias and fit_intercept must be True or False, got {bias!r}, {fit_intercept!r}")
    bias, fit_intercept = bool(bias), bool(fit_intercept)
    check_choice(exhaustive, ("auto", True, False), "exhaustive")
    if not (isinstance(n_random, (int, np.integer)) and n_random >= 1):
        raise InvalidInputError(f"n_random must be a positive integer, got {n_random!r}")
    if not (isinstance(tol, (int, float)) and 0 < tol < 1):
        raise InvalidInputError(f"tol must be in (0, 1), got {tol!r}")
    n, d = X.shape
    n_outputs = None if y.ndim == 1 else y.shape[1]
    net = _as_network(network, d, n_outputs, bias)
    notes = []
    if not fit_intercept and np.any(np.asarray(net.c) != 0):
        if not bias:
            raise InvalidInputError("the network has a nonzero intercept c but fit_intercept=False; pass "
                                    "fit_intercept=True")
        notes.append("c != 0 with fit_intercept=False: with a bias the constant is free in (P) (a neuron with "
                     "a large bias approximates it at vanishing cost), so the optimum is the same")
    f = net(X)
    lam = _dual_of(loss, f, y, dual)
    objective = net.objective(X, y, beta, penalty, loss)
    rng = check_random_state(random_state)
    hinge_rounds = None

    # which search
    from ..convex.dictionary import n_candidate_subsets

    vertex_based = penalty == "l1" or d == 1
    if vertex_based:
        total = n_candidate_subsets(n, d, "l1" if d > 1 else penalty, bias)
        too_big = total > MAX_VERTEX_SUBSETS
        size_msg = f"{total:,} vertex subsets (limit {MAX_VERTEX_SUBSETS:,})"
    else:
        total = chambers and len(chambers) or max_chambers(n, d, bias)
        too_big = total > max_patterns or n_outputs is not None
        size_msg = (f"up to {total:,} chambers (limit max_patterns={max_patterns:,})" if n_outputs is None else
                    "vector outputs with the l2 penalty (per-chamber maxima are not convex)")
    if exhaustive is True and too_big:
        raise EnumerationTooLargeError(
            f"an exhaustive certificate needs {size_msg}; pass exhaustive=False for a lower bound from random "
            "search with local refinement" + ("" if vertex_based else ", or raise max_patterns")
        )
    run_exact = exhaustive is True or (exhaustive == "auto" and not too_big)
    if loss == "hinge" and dual is None and run_exact and n_outputs is None:
        # the hinge subgradient is free on samples at the margin: pick the one that certifies, if any
        if vertex_based:
            def oracle(lam_):
                value, bn, _ = _max_over_vertices(X, lam_, "l1" if d > 1 else penalty, bias, chunk)
                return value, (np.maximum(X @ bn.weight + bn.bias, 0.0) if bn is not None else None)
        else:
            if chambers is None:
                chambers = enumerate_chambers(X, bias=bias, max_patterns=max_patterns)

            def oracle(lam_):
                value, bn, _ = _max_over_chambers(X, lam_, bias, chambers)
                return value, (np.maximum(X @ bn.weight + bn.bias, 0.0) if bn is not None else None)
        lam, hinge_rounds = _hinge_dual(net, X, y, f, beta, penalty, fit_intercept or bias, oracle)

    # the free constant with a bias: unbounded unless sum(lambda) = 0
    s = lam.sum(axis=0)
    s_norm = float(np.linalg.norm(np.atleast_1d(s)))
    intercept_residual = s_norm / beta if (fit_intercept or bias) else 0.0
    unbounded = bias and intercept_residual > tol
    if unbounded:
        ratio = np.inf
        sgn = int(np.sign(s)) if np.ndim(s) == 0 else 1
        best = BestNeuron(weight=np.zeros(d), bias=1.0, value=s if np.ndim(s) else float(s), output_sign=sgn or 1,
                          source="constant",
                          description=f"a neuron with bias b -> +infinity (a constant): sum(lambda) = "
                                      f"{np.round(s, 6)} != 0, so |lambda . relu(Xw + b)| grows without bound")
        count, method = 0, "sum(lambda) != 0 with a bias: the dual constraint fails for large b"
        exact = True
        notes.append("the network's intercept is not optimal: shift c by mean(y - f)" if loss == "squared" else
                     "sum(lambda) != 0: the intercept (or a large-bias neuron) can still lower the loss")
    elif run_exact and vertex_based:
        value, best, count = _max_over_vertices(X, lam, "l1" if d > 1 else penalty, bias, chunk)
        ratio, exact = value / beta, True
        method = ("1-D breakpoints at the samples (T3)" if d == 1 and bias else
                  "vertices of T1 (cross products of d-1 samples/basis vectors)" if not bias else
                  "vertices of T2 (hyperplanes through d lifted samples/basis vectors)")
    elif run_exact:
        if chambers is None:
            chambers = enumerate_chambers(X, bias=bias, max_patterns=max_patterns)
        value, best, count = _max_over_chambers(X, lam, bias, chambers)
        ratio, exact = value / beta, True
        method = f"all {len(chambers)} chambers (wedge rays), max per chamber by a cone program (Clarabel)"
    else:
        exact = False
        if vertex_based:
            (value, found), count = _search_l1(X, lam, penalty, bias, n_random, rng)
            w, b, val, subset, sign = found
            samples = tuple(int(v) for v in subset if v < n)
            basis = tuple(int(v) - n for v in subset if v >= n)
            best = BestNeuron(weight=w, bias=float(b), value=val, output_sign=int(np.sign(val)) if np.ndim(val) == 0
                              else 1, samples=samples, basis=basis, source="search",
                              description=_describe(samples, basis, sign, w, b, penalty, bias, X))
            method = f"{count:,} random vertices of T1/T2 ({size_msg} in all): a lower bound"
        else:
            if n_outputs is not None:
                raise InvalidInputError("certify with the l2 penalty supports one output; fit vector outputs with "
                                        "penalty='l1' (T5)")
            (value, w, b, val), count = _search_l2(X, lam, bias, n_random, rng)
            on = samples_on_hyperplane(X, w, b)
            best = BestNeuron(weight=w, bias=float(b), value=float(val), output_sign=int(np.sign(val)) or 1,
                              samples=on, source="search",
                              description=_describe(on, (), 1, w, b, "l2", bias, X, " (found by search)"))
            method = (f"{count:,} random and wedge directions with breakpoint biases, refined by projected "
                      f"gradient ({size_msg}): a lower bound")
        ratio = value / beta

    fo = _first_order(net, X, lam, beta, penalty)
    residuals = {"neurons": fo["neurons"], "balance": fo["balance"], "intercept": intercept_residual,
                 "per_neuron": fo["per_neuron"], "per_neuron_balance": fo["per_neuron_balance"]}
    first_order = max(fo["neurons"], fo["balance"], intercept_residual)
    if fo["balance"] > tol:
        other = "l2" if penalty == "l1" else "l1"
        if _first_order(net, X, lam, beta, other)["balance"] <= tol:
            notes.append(f"the neurons are balanced for penalty={other!r}, not {penalty!r}: was the network "
                         f"trained with penalty={other!r}?")
        else:
            notes.append("neurons are not balanced (||w_j|| != |alpha_j|): network.balanced(penalty) has a "
                         "lower objective")
    if exact and np.isfinite(ratio):
        gap, dual_value, gap_note = _gap(ratio, lam, y, X, loss, beta, penalty, bias,
                                         fit_intercept or bias, objective)
    else:
        gap, dual_value = None, None
        gap_note = "the ratio is only a lower bound" if not exact else "the dual constraint is violated without bound"
    if hinge_rounds:
        notes.append(f"hinge loss: mu on the samples at the margin chosen by a linear program with cutting "
                     f"planes ({hinge_rounds} rounds) to minimize the ratio and the first-order residual")
    optimal = bool(exact and ratio <= 1 + tol and first_order <= tol)
    return Certificate(
        ratio=float(ratio), exhaustive=exact, optimal=optimal, best_neuron=best, first_order_residual=float(first_order),
        residuals=residuals, objective=float(objective), gap_bound=gap, dual_objective=dual_value, gap_note=gap_note,
        method=method, beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept, tol=tol,
        dual=lam, n_candidates=int(count), seconds=time.perf_counter() - start, notes=notes,
    )


_CERTIFY_FIT_OPTIONS = ("exhaustive", "n_random", "random_state", "chunk", "tol", "max_patterns", "dual")


def certify_fit(result, **kw) -> Certificate:
    """The certificate of a FitResult with the fit's own beta, penalty, bias, loss and intercept.
    For the hinge loss mu at the margin is chosen as in :func:`certify`; when the search is not
    exhaustive the fit's solver dual is used instead, if it is a subgradient at the predictions."""
    unknown = sorted(set(kw) - set(_CERTIFY_FIT_OPTIONS))
    if unknown:
        raise InvalidInputError(
            f"certificate() takes only {list(_CERTIFY_FIT_OPTIONS)}; got {unknown}. To certify at other settings "
            "call ga_relu.certify(result.network, X, y, beta=..., penalty=..., ...)"
        )
    chambers = result.info.get("chambers") if isinstance(result.info, dict) else None

    def run(**extra):
        return certify(result.network, result.X, result.y, beta=result.beta, penalty=result.penalty,
                       bias=result.bias, loss=result.loss, fit_intercept=result.fit_intercept, chambers=chambers,
                       **kw, **extra)

    certificate = run()
    if result.loss == "hinge" and "dual" not in kw and not certificate.exhaustive:
        # no exact oracle for choosing mu at the margin: the solver's dual, if it is a subgradient at
        # the network's predictions (reconstruction can move predictions off the solver's)
        try:
            certificate = run(dual=result.dual)
        except InvalidInputError:
            pass
    return certificate
