r"""Gradient-trained baselines for problem (P), and how close their neurons come to wedge neurons.

Problem (P) (theory.md section 2), in the ordinary non-convex parameterization,

    minimize_{W, b, alpha, c}   L(f(X), y) + (beta / 2) sum_j (||w_j||_p^2 + ||alpha_j||_2^2),
    f(x) = sum_j alpha_j relu(w_j . x + b_j) + c,

biases b_j and the intercept c unpenalized, is trained here by full-batch Adam from several random
initializations. Its gradients (the ReLU's derivative taken as 1[z > 0]):

    dF/dalpha_j = relu(X w_j + b_j)^T g + beta alpha_j,            g = dL/df (n,) or (n, c)
    dF/dw_j     = X^T (1[X w_j + b_j > 0] * (g alpha_j^T)) + beta ||w_j||_p d||w_j||_p / dw_j
    dF/db_j     = 1^T (1[X w_j + b_j > 0] * (g alpha_j^T)),         dF/dc = 1^T g,

where beta ||w||_p d||w||_p/dw is beta w for p = 2 and the subgradient beta ||w||_1 sign(w) of
(beta/2) ||w||_1^2 for p = 1. The l1 subgradient makes Adam chatter around zero coordinates; a
cosine learning-rate decay to ``final_lr_fraction`` of the rate damps it (a proximal step does not
combine cleanly with Adam's per-coordinate scaling, and the decay was enough in practice).

Every returned network is the lowest-objective iterate of its run, rebalanced
(``ReLUNetwork.balanced``: (w, b, alpha) -> (t w, t b, alpha / t) with ||w||_p = ||alpha||, the same
function with the smallest regularizer, by AM-GM), with its intercept set to the exact minimizer
c + mean(y - f(X)) for the squared loss (so sum(lambda) = 0, as the certificate needs); both steps
only lower (P). Every reported objective is recomputed by ``ReLUNetwork.objective``. A gradient-trained network gives an UPPER bound on the optimum of (P);
only a certificate (``GradientResult.certificates``) can say whether it is optimal.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from ..errors import InvalidInputError
from ..convex.losses import loss_gradient, loss_value, optimal_intercept
from ..networks.relu import ReLUNetwork, weight_norms
from ..validation import check_choice, check_positive_int, check_positive_real, check_random_state

SCHEDULES = ("cosine", "constant")


# ---------------------------------------------------------------------------------------------
# the objective of (P) and its gradient (one function, so that tests can difference it)
# ---------------------------------------------------------------------------------------------


def objective_and_gradient(params: dict, X: np.ndarray, y: np.ndarray, *, beta: float, penalty: str,
                           loss: str) -> tuple[float, dict]:
    """Value of (P) and its (sub)gradient for parameters {"W", "b", "alpha", "c"} (see module doc).

    ``b`` and ``c`` may be absent (no bias / no intercept); the gradient then omits them.
    """
    W, alpha = params["W"], params["alpha"]
    Z = X @ W.T
    if "b" in params:
        Z = Z + params["b"]
    H = np.maximum(Z, 0.0)
    f = H @ alpha
    if "c" in params:
        f = f + params["c"]
    wn = weight_norms(W, penalty)
    value = loss_value(loss, f, y) + 0.5 * beta * float(np.sum(wn**2) + np.sum(alpha**2))
    g = loss_gradient(loss, f, y)
    dH = np.outer(g, alpha) if alpha.ndim == 1 else g @ alpha.T
    dZ = dH * (Z > 0)
    reg_w = beta * (wn[:, None] * np.sign(W) if penalty == "l1" else W)
    grads = {"W": dZ.T @ X + reg_w, "alpha": H.T @ g + beta * alpha}
    if "b" in params:
        grads["b"] = dZ.sum(axis=0)
    if "c" in params:
        grads["c"] = g.sum(axis=0)
    return value, grads


def _network(params: dict) -> ReLUNetwork:
    m = params["W"].shape[0]
    return ReLUNetwork(params["W"], params.get("b", np.zeros(m)), params["alpha"], params.get("c", 0.0))


def _finish(net: ReLUNetwork, X, y, *, penalty: str, loss: str, fit_intercept: bool) -> ReLUNetwork:
    """Rebalance the neurons (same function, least regularizer) and set the unpenalized intercept
    to its exact minimizer (losses.optimal_intercept): both only lower (P), and the second makes
    sum(lambda) = 0, without which a certificate with bias is infinite."""
    net = net.balanced(penalty)
    if fit_intercept:
        net = ReLUNetwork(net.W, net.b, net.alpha, optimal_intercept(loss, net(X) - net.c, y, net.c))
    return net


def _initial_params(rng: np.random.Generator, X: np.ndarray, y: np.ndarray, width: int, *, bias: bool,
                    loss: str, fit_intercept: bool, init_scale: float) -> dict:
    """W rows ~ N(0, I/d) / rms(x); with bias, each hyperplane passes through a random sample
    (b_j = -w_j . x_k), so every neuron starts with a kink inside the data; alpha ~ N(0, s^2/m)."""
    n, d = X.shape
    x_scale = max(float(np.sqrt(np.mean(X**2))), 1e-12)
    W = init_scale * rng.standard_normal((width, d)) / (np.sqrt(d) * x_scale)
    y_scale = float(np.std(y)) if loss == "squared" and np.std(y) > 0 else 1.0
    shape = (width,) if y.ndim == 1 else (width, y.shape[1])
    params = {"W": W, "alpha": init_scale * y_scale * rng.standard_normal(shape) / np.sqrt(width)}
    if bias:
        anchors = rng.integers(0, n, size=width)
        params["b"] = -np.einsum("jd,jd->j", W, X[anchors])
    if fit_intercept:
        params["c"] = np.mean(y, axis=0) if loss == "squared" else (np.zeros(y.shape[1]) if y.ndim == 2 else 0.0)
        params["c"] = np.array(params["c"], dtype=float)
    return params


def adam(value_and_grad, params: dict, *, steps: int, learning_rate: float, schedule: str = "constant",
         final_lr_fraction: float = 0.01, trace_every: int = 1, adam_betas=(0.9, 0.999), eps: float = 1e-8):
    """Full-batch Adam on any objective: ``value_and_grad(params) -> (value, grads)`` with ``grads``
    keyed like ``params`` (a dict of arrays, updated in place of copies).

    Learning rate lr_t = learning_rate (constant) or learning_rate (f + (1 - f)(1 + cos(pi t/T))/2)
    (cosine, f = final_lr_fraction). Returns (best params, best value, trace values, trace steps,
    trace times): the iterate with the lowest objective seen, not merely the last one.
    """
    b1, b2 = adam_betas
    params = {k: np.array(v, dtype=float, copy=True) for k, v in params.items()}
    m1 = {k: np.zeros_like(v) for k, v in params.items()}
    m2 = {k: np.zeros_like(v) for k, v in params.items()}
    best_value, best = math.inf, None
    trace, trace_steps, trace_times = [], [], []
    start = time.perf_counter()
    for t in range(steps + 1):  # step `steps` only evaluates the final iterate
        value, grads = value_and_grad(params)
        if value < best_value:
            best_value, best = value, {k: np.array(v, copy=True) for k, v in params.items()}
        if t % trace_every == 0 or t == steps:
            trace.append(value), trace_steps.append(t), trace_times.append(time.perf_counter() - start)
        if t == steps:
            break
        if schedule == "cosine":
            lr = learning_rate * (final_lr_fraction + (1 - final_lr_fraction) * 0.5 * (1 + math.cos(math.pi * t / steps)))
        else:
            lr = learning_rate
        for k, gk in grads.items():
            m1[k] = b1 * m1[k] + (1 - b1) * gk
            m2[k] = b2 * m2[k] + (1 - b2) * gk * gk
            step = lr * (m1[k] / (1 - b1 ** (t + 1))) / (np.sqrt(m2[k] / (1 - b2 ** (t + 1))) + eps)
            params[k] = params[k] - step
    return best, best_value, np.array(trace), np.array(trace_steps), np.array(trace_times)


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class GradientResult:
    """Networks trained by Adam from ``n_init`` initializations on problem (P).

    ``objectives[i]`` is ``networks[i].objective(X, y, beta, penalty, loss)`` (an upper bound on the
    optimum of (P)); ``traces[i]`` the objective during training at ``trace_steps``, reached after
    ``trace_times[i]`` seconds; ``times[i]`` the wall time of run i.
    """

    networks: list[ReLUNetwork]
    objectives: np.ndarray
    traces: np.ndarray  # (n_init, n_trace)
    trace_steps: np.ndarray  # (n_trace,)
    trace_times: np.ndarray  # (n_init, n_trace), seconds since the start of each run
    times: np.ndarray  # (n_init,)
    beta: float
    penalty: str
    bias: bool
    loss: str
    fit_intercept: bool
    width: int
    steps: int
    learning_rate: float
    X: np.ndarray = dataclasses.field(repr=False, default=None)
    y: np.ndarray = dataclasses.field(repr=False, default=None)

    @property
    def best_index(self) -> int:
        return int(np.argmin(self.objectives))

    @property
    def best(self) -> ReLUNetwork:
        """The network with the lowest objective over the initializations."""
        return self.networks[self.best_index]

    @property
    def best_objective(self) -> float:
        return float(self.objectives[self.best_index])

    def certificates(self, X=None, y=None, **certify_options) -> list:
        """The dual certificate (``ga_relu.certify``) of every trained network, on (X, y)
        (default: the training data): ratio <= 1 plus first-order optimality means globally optimal."""
        from ..certification.certificate import certify

        X = self.X if X is None else X
        y = self.y if y is None else y
        return [certify(net, X, y, beta=self.beta, penalty=self.penalty, bias=self.bias, loss=self.loss,
                        fit_intercept=self.fit_intercept, **certify_options) for net in self.networks]

    def angles(self, X=None) -> list[list["NeuronMatch"]]:
        """``neuron_angles`` for every trained network."""
        X = self.X if X is None else X
        return [neuron_angles(net, X, penalty=self.penalty, bias=self.bias) for net in self.networks]

    def time_to_reach(self, target: float) -> np.ndarray:
        """Seconds each run needed until its traced objective first fell to <= target (inf if never)."""
        out = np.full(len(self.networks), np.inf)
        for i, (trace, times) in enumerate(zip(self.traces, self.trace_times)):
            hit = np.flatnonzero(trace <= target)
            if hit.size:
                out[i] = times[hit[0]]
        if out.size:  # the final rebalanced network may reach a target its trace missed
            late = ~np.isfinite(out) & (self.objectives <= target)
            out[late] = self.times[late]
        return out

    def __repr__(self) -> str:
        return (f"GradientResult(n_init={len(self.networks)}, width={self.width}, steps={self.steps}, "
                f"best_objective={self.best_objective:.6g} (upper bound))")


def train_gradient(X, y, *, width: int, beta: float, penalty: str = "l1", bias: bool = True,
                   loss: str = "squared", fit_intercept: bool = True, n_init: int = 10, steps: int = 2000,
                   learning_rate: float = 0.01, schedule: str = "cosine", final_lr_fraction: float = 0.01,
                   init_scale: float = 1.0, trace_every: int = 1, random_state=None) -> GradientResult:
    """Train problem (P) by full-batch Adam from ``n_init`` random initializations.

    (P):  min  L(f(X), y) + (beta/2) sum_j (||w_j||_p^2 + ||alpha_j||^2),
          f(x) = sum_{j <= width} alpha_j relu(w_j . x + b_j) + c   (b_j, c unpenalized),

    p = 1 (``penalty="l1"``, subgradient 2 ||w||_1 sign(w) of ||w||_1^2) or p = 2 (weight decay).
    ``learning_rate`` is Adam's step, decayed by a cosine schedule to ``final_lr_fraction`` of it
    (``schedule="constant"`` keeps it). Initializations are drawn from ``random_state`` (same seed,
    same result). Returns a :class:`GradientResult`; its objectives are upper bounds on the optimum.
    """
    from ..convex.fitting import _validated

    X, y, beta, penalty, bias, loss, fit_intercept = _validated(X, y, beta, penalty, bias, loss, fit_intercept)
    width = check_positive_int(width, "width")
    n_init = check_positive_int(n_init, "n_init")
    steps = check_positive_int(steps, "steps")
    trace_every = check_positive_int(trace_every, "trace_every")
    learning_rate = check_positive_real(learning_rate, "learning_rate")
    final_lr_fraction = check_positive_real(final_lr_fraction, "final_lr_fraction", upper=1.0)
    init_scale = check_positive_real(init_scale, "init_scale")
    schedule = check_choice(schedule, SCHEDULES, "schedule")
    rng = check_random_state(random_state)
    networks, objectives, traces, trace_times, times = [], [], [], [], []
    trace_steps = None
    for _ in range(n_init):
        start = time.perf_counter()
        params = _initial_params(rng, X, y, width, bias=bias, loss=loss, fit_intercept=fit_intercept,
                                 init_scale=init_scale)
        best, _, trace, trace_steps, ttimes = adam(
            lambda p: objective_and_gradient(p, X, y, beta=beta, penalty=penalty, loss=loss), params,
            steps=steps, learning_rate=learning_rate, schedule=schedule, final_lr_fraction=final_lr_fraction,
            trace_every=trace_every)
        net = _finish(_network(best), X, y, penalty=penalty, loss=loss, fit_intercept=fit_intercept)
        times.append(time.perf_counter() - start)
        networks.append(net)
        objectives.append(net.objective(X, y, beta, penalty, loss))
        traces.append(trace), trace_times.append(ttimes)
    return GradientResult(
        networks=networks, objectives=np.array(objectives), traces=np.array(traces), trace_steps=trace_steps,
        trace_times=np.array(trace_times), times=np.array(times), beta=beta, penalty=penalty, bias=bias,
        loss=loss, fit_intercept=fit_intercept, width=width, steps=steps, learning_rate=learning_rate, X=X, y=y)


# ---------------------------------------------------------------------------------------------
# how far is a learned neuron from a wedge neuron?
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class NeuronMatch:
    """The wedge neuron nearest to learned neuron ``index`` (0-based row of the network).

    ``angle`` (degrees) is the angle in R^{d+1} (R^d without bias) between the learned direction
    (w, b) and the wedge direction sign * (w_S, b_S); relu(v . x~) depends only on v's direction, so
    angle 0 means the learned neuron IS the wedge neuron of ``samples`` / ``basis`` (0-based), up to
    a positive scale. NaN for a dead neuron (w = 0, b = 0).
    """

    index: int
    angle: float
    samples: tuple[int, ...]
    basis: tuple[int, ...]
    sign: int
    direction: np.ndarray  # unit sign * (w_S, b_S) in R^{d+1} (R^d without bias)


def _unit_rows(V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    norms = np.linalg.norm(V, axis=1)
    return V / np.where(norms > 0, norms, 1.0)[:, None], norms


def neuron_angles(network: ReLUNetwork, X, *, penalty: str = "l1", bias: bool = True,
                  chunk: int | None = None) -> list[NeuronMatch]:
    """For each neuron of ``network``, the nearest neuron of the full wedge dictionary of X.

    The dictionary (theory.md T1-T4: hyperplanes through d lifted samples, plus basis vectors for
    l1; both orientations) is streamed in chunks (``ga_relu.convex.dictionary.iter_dictionary_chunks``),
    never built whole. Angle = 2 arcsin(||u - v|| / 2) for unit u, v (accurate near 0).
    """
    from ..convex.dictionary import iter_dictionary_chunks
    from ..validation import check_matrix, check_penalty

    if not isinstance(network, ReLUNetwork):
        raise InvalidInputError(f"network must be a ga_relu.ReLUNetwork, got {type(network).__name__}")
    penalty = check_penalty(penalty)
    X = check_matrix(X)
    if X.shape[1] != network.dim:
        raise InvalidInputError(f"the network takes {network.dim} features, X has {X.shape[1]} columns")
    if not bias and np.any(network.b != 0):
        raise InvalidInputError("the network has nonzero biases but bias=False; pass bias=True")
    learned = np.column_stack([network.W, network.b]) if bias else network.W
    units, norms = _unit_rows(learned)
    m = len(units)
    best_cos = np.full(m, -np.inf)
    best_dir = np.zeros_like(units)
    best_subset = [None] * m
    best_sign = np.zeros(m, dtype=int)
    split = None
    for block in iter_dictionary_chunks(X, penalty=penalty, bias=bias, chunk=chunk):
        if block.n_subsets == 0:
            continue
        split = block.split_subset
        dirs, _ = _unit_rows(np.column_stack([block.weights, block.biases]) if bias else block.weights)
        cos = units @ dirs.T  # (m, chunk); the opposite orientation has cosine -cos
        for s, c in ((1, cos), (-1, -cos)):
            j = np.argmax(c, axis=1)
            top = c[np.arange(m), j]
            better = top > best_cos
            for i in np.flatnonzero(better):
                best_cos[i], best_dir[i], best_subset[i], best_sign[i] = top[i], s * dirs[j[i]], block.subsets[j[i]], s
    if split is None:
        from ..errors import DegenerateDataError

        raise DegenerateDataError("the wedge dictionary of X is empty (all subsets degenerate); check X for "
                                  "repeated or collinear points")
    matches = []
    for i in range(m):
        if norms[i] == 0:
            matches.append(NeuronMatch(i, math.nan, (), (), 0, np.zeros(units.shape[1])))
            continue
        angle = math.degrees(2 * math.asin(min(1.0, 0.5 * float(np.linalg.norm(units[i] - best_dir[i])))))
        samples, basis = split(best_subset[i])
        matches.append(NeuronMatch(i, angle, samples, basis, int(best_sign[i]), best_dir[i].copy()))
    return matches
