r"""1-D three-layer ReLU networks: finite Lasso dictionaries, checked by dense certificates.

Network class (parallel three-layer networks on scalar inputs x, each second-layer neuron owning
its own m first-layer units):

    f(x) = c + sum_i alpha_i relu( sum_{k=1}^m v_ik act(w_ik x + b_ik) + d_i ),

act = relu (``inner="relu"``) or the absolute value (``inner="abs"``), with the path-norm penalty

    beta * sum_i |alpha_i| sum_k |v_ik| |w_ik|        (biases b, d and the intercept c free).

(For m = 1 this equals the minimum over rescalings of (beta/3) sum_i (|w_i|^3 + |v_i|^3 + |alpha_i|^3),
the balanced form of the penalty on every weight of a deep narrow network.)  Rescaling turns the
training problem into the Lasso  min L(c + sum_j z_j g_j(X), y) + beta ||z||_1  over the unit
features

    G_m = { g(x) = relu( sum_k sigma_k act(w_k x + b_k) + d ) : sum_k |w_k| <= 1, sigma_k = +-1 },

with the dual constraint |lambda . g(X)| <= beta for every g in G_m.

Derivation of finite dictionaries.  lambda . g(X) is piecewise linear in (w, b, d) (cells: the signs
of w_k x_i + b_k and of the outer pre-activation), and positively homogeneous, so its maximum over
the l1 ball is at a vertex.  For relu inner units (u = sum_k sigma_k relu(..) crosses a level at most
twice when m <= 2) every inner unit then has its kink at a training point, x_p (or is affine on all
the data, which a kink at an extreme sample reproduces); for |.| units the two outer kinks can also
fix the center at a midpoint (x_i + x_k)/2.  With the kinks frozen at samples, the
outer neuron is a two-layer problem on the hidden data h(x_i) = (act(s_k (x_i - x_{p_k})))_k with
the l1 penalty: T3 (m = 1) or T2 (m = 2) of docs/theory/exact_cases.md, i.e. the wedge dictionary of h(X):

* ``"chain"``   (m = 1, relu; the L = 3 deep narrow dictionary of Zeger et al.)
                 relu(+-(relu(s(x - x_p)) - relu(s(x_q - x_p)))): ramps capped between two samples;
* ``"mirror"``  (m = 1, abs)  relu(+-(|x - a| - |x_q - a|)) for centers a = x_p: its kinks are x_q
                 and the reflection 2 x_p - x_q of x_q about x_p ("A Library of Mirrors"); and for
                 centers a = (x_i + x_k)/2, the midpoints: for |.| two outer kinks at samples fix
                 the center without an inner kink at a sample (without the midpoints the dense
                 certificate reached 1.28);
* ``"block2"``  (m = 2, relu) lines through two lifted hidden points (cross products in R^3) and
                 axis-parallel lines through one, for every pair of inner kinks (x_p, x_q) and
                 orientations (s_1, s_2);
* ``"two_layer"`` relu(+-(x - x_q)) (T3), for comparison.

These are claims; :func:`dense_ratio` checks them: a dense random search over G_m (kinks uniform
over a widened data range, random l1-unit weights and signs, the outer bias d maximized exactly over
its n kinks) for max |lambda . g(X)| / beta.  A ratio above 1 disproves optimality in that class.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

import numpy as np

from ..convex.losses import get_loss
from ..errors import InvalidInputError
from ..validation import check_beta, check_choice, check_random_state

__all__ = ["FeatureDictionary", "three_layer_dictionary", "ThreeLayerFit", "fit_three_layer", "dense_ratio",
           "dictionary_ratio", "derive_reflection", "DICTIONARIES"]

DictionaryKind = Literal["two_layer", "chain", "mirror", "block2"]
InnerActivation = Literal["relu", "abs"]
DICTIONARIES = ("two_layer", "chain", "mirror", "block2")
CLASSES = {"chain": ("relu", 1), "mirror": ("abs", 1), "block2": ("relu", 2), "two_layer": ("relu", 1)}


def _act(z: np.ndarray, inner: str) -> np.ndarray:
    return np.maximum(z, 0.0) if inner == "relu" else np.abs(z)


def _check_x(x) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1 or x.size < 2 or not np.all(np.isfinite(x)):
        raise InvalidInputError(f"x must be a finite 1-D array of at least 2 scalar samples, got shape {x.shape}")
    if np.unique(x).size != x.size:
        raise InvalidInputError("x has repeated samples; merge them (average their targets) before fitting")
    return x


@dataclasses.dataclass
class FeatureDictionary:
    r"""Unit features g_j of G_m as evaluable parameters.

    Feature j is

    .. math:: g_j(x) = \operatorname{relu}\Big(\sum_k v_{jk}\, \operatorname{act}(s_{jk} (x - a_{jk})) + d_j\Big),
              \qquad \sum_k |v_{jk}| = 1;

    ``names[j]`` says which samples define it.

    Examples
    --------
    >>> features = three_layer_dictionary([0.0, 1.0, 2.0], "two_layer")
    >>> len(features), features.names[0], float(features([2.0])[0, 0])
    (6, 'relu(+(x - x_1))', 2.0)
    """

    kind: str
    inner: str
    a: np.ndarray  # (m, width) kinks
    s: np.ndarray  # (m, width) orientations +-1
    v: np.ndarray  # (m, width) signed inner weights sigma |w|, sum |v| = 1
    d: np.ndarray  # (m,)
    names: list

    def __call__(self, x) -> np.ndarray:
        """Feature matrix (len(x), m)."""
        x = np.asarray(x, dtype=float).reshape(-1)
        U = np.einsum("jk,njk->nj", self.v, _act(self.s[None] * (x[:, None, None] - self.a[None]), self.inner))
        return np.maximum(U + self.d, 0.0)

    def __len__(self) -> int:
        return len(self.d)


def three_layer_dictionary(x, kind: DictionaryKind = "chain") -> FeatureDictionary:
    """The finite dictionary ``kind`` (see the module docstring) for samples x (1-D).

    Examples
    --------
    >>> chain = three_layer_dictionary([0.0, 1.0, 2.0], "chain")
    >>> chain.inner, chain.names[0]
    ('relu', 'relu(+(relu(+(x - x_1)) - h(x_1)))')
    """
    from ..convex.dictionary import wedge_dictionary

    check_choice(kind, DICTIONARIES, "kind")
    x = _check_x(x)
    n = x.size
    inner = "abs" if kind == "mirror" else "relu"
    A, S, V, D, names = [], [], [], [], []
    if kind == "two_layer":
        for q in range(n):
            for sign in (1, -1):  # relu(sign (x - x_q)) = 1 * relu(sign (x - x_q)) + 0
                A.append([x[q]]), S.append([sign]), V.append([1.0]), D.append(0.0)
                names.append(f"relu({'+' if sign > 0 else '-'}(x - x_{q + 1}))")
    elif kind in ("chain", "mirror"):
        orientations = (1, -1) if kind == "chain" else (1,)  # |x - a| is even in the orientation
        # kinks of the inner unit: the samples, and for |.| also the midpoints (x_i + x_k)/2, where
        # |x_i - a| = |x_k - a| makes two outer constraints active without an inner one
        centers = [(x[p], f"x_{p + 1}") for p in range(n)]
        if kind == "mirror":
            centers += [((x[i] + x[k]) / 2, f"(x_{i + 1}+x_{k + 1})/2") for i in range(n) for k in range(i + 1, n)]
        for center, label in centers:
            for s in orientations:
                h = _act(s * (x - center), inner)
                unit = (f"relu({'+' if s > 0 else '-'}(x - {label}))" if inner == "relu" else f"|x - {label}|")
                for q in range(n):
                    for outer in (1, -1):  # T3 on h: relu(outer (h - h(x_q)))
                        if outer < 0 and h[q] == 0.0:
                            continue  # relu(-h) vanishes on the data
                        A.append([center]), S.append([s]), V.append([float(outer)]), D.append(-outer * h[q])
                        names.append(f"relu({'+' if outer > 0 else '-'}({unit} - h(x_{q + 1})))")
    else:  # block2: T2 wedge dictionary on h = (relu(s1 (x - x_p)), relu(s2 (x - x_q)))
        for p in range(n):
            for q in range(n):
                for s1 in (1, -1):
                    for s2 in (1, -1):
                        if (q, s2) <= (p, s1):
                            continue  # unordered pairs of distinct units
                        H = np.column_stack([np.maximum(s1 * (x - x[p]), 0), np.maximum(s2 * (x - x[q]), 0)])
                        if np.linalg.matrix_rank(np.column_stack([H, np.ones(n)])) < 3:
                            continue  # the units are affinely dependent on the data: covered by m = 1
                        D2 = wedge_dictionary(H, penalty="l1", bias=True)
                        for w, b, sub in zip(D2.weights, D2.biases, D2.subsets):
                            for outer in (1, -1):
                                A.append([x[p], x[q]]), S.append([s1, s2]), V.append(outer * w), D.append(outer * b)
                                names.append(f"block(x_{p + 1}{'+' if s1 > 0 else '-'}, x_{q + 1}"
                                             f"{'+' if s2 > 0 else '-'}) subset {tuple(int(t) for t in sub)}"
                                             f"{'' if outer > 0 else ' (-)'}")
    return FeatureDictionary(kind=kind, inner=inner, a=np.array(A, dtype=float), s=np.array(S, dtype=float),
                             v=np.array(V, dtype=float), d=np.array(D, dtype=float), names=names)


@dataclasses.dataclass
class ThreeLayerFit:
    r"""Lasso over a finite dictionary: coefficients z, intercept c, dual vector lambda and the
    objective :math:`L(K z + c, y) + \beta \|z\|_1` (K = the features at the samples).

    Examples
    --------
    >>> fit = fit_three_layer([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 0.0, 1.0], beta=0.1, kind="two_layer")
    >>> fit(fit.x).shape, dictionary_ratio(fit) <= 1 + 1e-6
    ((4,), True)
    """

    dictionary: FeatureDictionary
    z: np.ndarray
    intercept: float
    dual: np.ndarray
    objective: float
    beta: float
    x: np.ndarray
    y: np.ndarray

    def __call__(self, x) -> np.ndarray:
        # interior-point residue on inactive coefficients sits ~1e-9 below the largest one
        active = np.flatnonzero(np.abs(self.z) > 1e-9 * max(1.0, np.abs(self.z).max()))
        sub = dataclasses.replace(self.dictionary, a=self.dictionary.a[active], s=self.dictionary.s[active],
                                  v=self.dictionary.v[active], d=self.dictionary.d[active])
        return sub(x) @ self.z[active] + self.intercept

    def active(self, tol: float = 1e-6) -> list[tuple[str, float]]:  # tol: relative to the largest |z_j|
        """(name, z_j) of the features with |z_j| above tol times the largest."""
        top = np.abs(self.z).max()
        idx = np.flatnonzero(np.abs(self.z) > tol * top) if top > 0 else []
        return [(self.dictionary.names[j], float(self.z[j])) for j in idx[np.argsort(-np.abs(self.z[idx]))]]


def fit_three_layer(x, y, *, beta: float, kind: DictionaryKind = "chain",
                    loss: Literal["squared", "logistic", "hinge"] = "squared") -> ThreeLayerFit:
    r""":math:`\min_{z, c} L(K z + c, y) + \beta \|z\|_1` over the dictionary ``kind``
    (:func:`three_layer_dictionary`; solved by ga_relu.convex.solvers.LassoProgram).

    Examples
    --------
    >>> fit = fit_three_layer([0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 0.0, 1.0], beta=0.1, kind="chain")
    >>> fit.dictionary.kind, bool(fit.objective > 0)
    ('chain', True)
    """
    from ..convex.solvers import LassoProgram

    x = _check_x(x)
    beta, loss = check_beta(beta), get_loss(loss).name
    y = get_loss(loss).check_targets(y, x.size)
    dictionary = three_layer_dictionary(x, kind)
    K = dictionary(x)
    sol = LassoProgram(K, y, loss=loss, fit_intercept=True).solve(beta)
    return ThreeLayerFit(dictionary=dictionary, z=sol.z, intercept=float(sol.intercept), dual=sol.lam,
                         objective=sol.objective(K, y, loss, beta), beta=beta, x=x, y=y)


def dense_ratio(x, lam, beta: float, *, inner: InnerActivation = "relu", width: int = 2, draws: int = 100_000,
                spread: float = 0.5, random_state=None, chunk: int = 20_000) -> tuple[float, dict]:
    """max |lambda . g(X)| / beta over ``draws`` random features g of G_width (inner act ``inner``).

    Kinks a_k uniform on [min x - spread * range, max x + spread * range], orientations and signs
    uniform in {-1, +1}, |w| uniform on the l1 unit sphere (Dirichlet(1)); the outer bias d is
    maximized exactly (lambda . relu(u + d) is piecewise linear in d with kinks d = -u(x_q); for
    d beyond every kink it is lambda . u + d sum(lambda)).  Returns (ratio, the best feature's
    parameters).  A lower bound on the true sup: > 1 disproves optimality, <= 1 is evidence.

    Examples
    --------
    >>> ratio, best = dense_ratio([0.0, 1.0, 2.0], [1.0, -2.0, 1.0], beta=1.0, width=1, draws=200, random_state=0)
    >>> bool(0 < ratio <= 1.0 + 1e-12), sorted(best)  # relu(+-(x - 1)) reaches lambda . g = 1
    (True, ['a', 's', 'v'])
    """
    check_choice(inner, ("relu", "abs"), "inner")
    x = _check_x(x)
    lam = np.asarray(lam, dtype=float).reshape(-1)
    beta = check_beta(beta)
    rng = check_random_state(random_state)
    lo, hi = x.min(), x.max()
    span = hi - lo
    best, arg = -np.inf, None
    done = 0
    while done < draws:
        m = min(chunk, draws - done)
        done += m
        a = rng.uniform(lo - spread * span, hi + spread * span, size=(m, width))
        s = rng.choice([-1.0, 1.0], size=(m, width))
        v = rng.dirichlet(np.ones(width), size=m) * rng.choice([-1.0, 1.0], size=(m, width)) if width > 1 else \
            rng.choice([-1.0, 1.0], size=(m, 1))
        U = np.einsum("mk,mnk->mn", v, _act(s[:, None, :] * (x[None, :, None] - a[:, None, :]), inner))
        # d -> +inf adds d sum(lambda): bounded only when sum(lambda) = 0, up to the round-off of a
        # sum of n entries (relative to their size, at least 1)
        bounded = abs(lam.sum()) < 1e-9 * max(1.0, float(np.abs(lam).sum()))
        values = [np.abs(U @ lam + 0.0)] if bounded else []
        for q in range(x.size):
            values.append(np.abs(np.maximum(U - U[:, q : q + 1], 0.0) @ lam))
        V = np.array(values)
        j = np.unravel_index(np.argmax(V), V.shape)
        if V[j] > best:
            best = float(V[j])
            arg = {"a": a[j[1]], "s": s[j[1]], "v": v[j[1]]}
    return best / beta, arg


def dictionary_ratio(fit: ThreeLayerFit) -> float:
    """max over the fit's own dictionary of |lambda . g_j(X)| / beta (<= 1 by the Lasso's optimality).

    Examples
    --------
    >>> fit = fit_three_layer([0.0, 1.0, 2.0], [0.0, 1.0, 0.0], beta=0.1, kind="two_layer")
    >>> bool(dictionary_ratio(fit) <= 1 + 1e-6)
    True
    """
    return float(np.abs(fit.dual @ fit.dictionary(fit.x)).max() / fit.beta)


def derive_reflection():
    """Symbolic derivation with the library's exact algebra (sympy symbols x, x_p, x_q, x_i, x_k).

    Returns a dict: ``inner``, the unit through the lifted sample (x_p, 1): cross((x_p, 1)) = (1, -x_p),
    i.e. x - x_p; ``mirror_zeros``, the solutions of |x - x_p| = |x_q - x_p| (x_q and its
    reflection 2 x_p - x_q); ``block2_normal``, the outer neuron of the block with units
    relu(x - x_p), relu(x_p - x) through h(x_i) = (x_i - x_p, 0) and h(x_k) = (0, x_p - x_k)
    (x_k < x_p < x_i): cross((x_i - x_p, 0, 1), (0, x_p - x_k, 1)).

    Examples
    --------
    >>> derived = derive_reflection()
    >>> derived["inner"], derived["mirror_zeros"]
    (x - x_p, [2*x_p - x_q, x_q])
    """
    import sympy as sp

    from ..algebra.blades import cross

    x, xp, xq, xi, xk = sp.symbols("x x_p x_q x_i x_k", real=True)
    w, b = cross([xp, 1])
    inner = sp.expand(w * x + b)
    # on x > x_p and x < x_p separately (|x - x_p| is piecewise linear)
    t = sp.symbols("t", positive=True)  # t = |x_q - x_p|
    zeros = sorted(set(sp.solve(sp.Eq(x - xp, t), x) + sp.solve(sp.Eq(xp - x, t), x)), key=str)
    zeros = [sp.simplify(z.subs(t, xq - xp)) for z in zeros]  # for x_q > x_p
    normal = cross([xi - xp, 0, 1], [0, xp - xk, 1])
    return {"inner": inner, "mirror_zeros": zeros, "block2_normal": sp.ImmutableMatrix(normal)}
