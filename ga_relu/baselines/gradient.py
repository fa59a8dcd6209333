r"""Gradient-trained baselines for problem (P), and how close their neurons come to wedge neurons.

Problem (P) (docs/theory/problem.md), in the ordinary non-convex parameterization,

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
from typing import Literal

import numpy as np

from ..convex.losses import Loss, get_loss
from ..convex.penalties import Penalty, get_penalty
from ..convex.problem import Problem, ProblemSettings
from ..errors import DegenerateDataError, InvalidInputError
from ..networks.relu import ReLUNetwork
from ..validation import check_choice, check_matrix, check_positive_int, check_positive_real, check_random_state
from .adam import SCHEDULES, AdamResult, adam

__all__ = ["objective_and_gradient", "penalty_gradient", "train_gradient", "GradientResult", "neuron_angles",
           "NeuronMatch"]

PenaltyName = Literal["l1", "l2"]
LossName = Literal["squared", "logistic", "hinge"]
ScheduleName = Literal["cosine", "constant"]


# ---------------------------------------------------------------------------------------------
# the objective of (P) and its gradient (one function, so that tests can difference it)
# ---------------------------------------------------------------------------------------------


def penalty_gradient(penalty: Penalty | PenaltyName, W: np.ndarray) -> np.ndarray:
    r"""Row-wise (sub)gradient of :math:`\tfrac12 \|w_j\|_p^2`: :math:`\|w_j\|_1 \operatorname{sign}(w_j)`
    for p = 1, :math:`w_j` for p = 2.

    Examples
    --------
    >>> penalty_gradient("l1", np.array([[1.0, -2.0]]))
    array([[ 3., -3.]])
    >>> penalty_gradient("l2", np.array([[1.0, -2.0]]))
    array([[ 1., -2.]])
    """
    penalty = get_penalty(penalty)
    if penalty.p == 1:
        return penalty.norms(W)[:, None] * np.sign(W)
    return np.asarray(W, dtype=float)


def objective_and_gradient(params: dict, X: np.ndarray, y: np.ndarray, *, beta: float,
                           penalty: Penalty | PenaltyName, loss: Loss | LossName) -> tuple[float, dict]:
    r"""Value of (P) and its (sub)gradient for parameters {"W", "b", "alpha", "c"}.

    .. math::

        F = L(f(X), y) + \frac{\beta}{2} \sum_j (\|w_j\|_p^2 + \|\alpha_j\|^2), \qquad
        f(x) = \sum_j \alpha_j \operatorname{relu}(w_j \cdot x + b_j) + c,

    with the gradients of the module docstring. ``b`` and ``c`` may be absent (no bias / no
    intercept); the gradient then omits them. ``loss`` is a name or a :class:`~ga_relu.convex.losses.Loss`.

    Examples
    --------
    >>> X, y = np.array([[1.0], [2.0]]), np.array([1.0, 0.0])
    >>> value, grads = objective_and_gradient({"W": np.ones((1, 1)), "alpha": np.ones(1)}, X, y,
    ...                                       beta=0.5, penalty="l2", loss="squared")
    >>> value, sorted(grads)
    (2.5, ['W', 'alpha'])
    """
    penalty, loss = get_penalty(penalty), get_loss(loss)
    W, alpha = params["W"], params["alpha"]
    Z = X @ W.T
    if "b" in params:
        Z = Z + params["b"]
    H = np.maximum(Z, 0.0)
    f = H @ alpha
    if "c" in params:
        f = f + params["c"]
    value = loss.value(f, y) + beta * penalty.regularizer(W, alpha)
    g = loss.gradient(f, y)
    dH = np.outer(g, alpha) if alpha.ndim == 1 else g @ alpha.T
    dZ = dH * (Z > 0)
    grads = {"W": dZ.T @ X + beta * penalty_gradient(penalty, W), "alpha": H.T @ g + beta * alpha}
    if "b" in params:
        grads["b"] = dZ.sum(axis=0)
    if "c" in params:
        grads["c"] = g.sum(axis=0)
    return value, grads


def _network(params: dict) -> ReLUNetwork:
    m = params["W"].shape[0]
    return ReLUNetwork(params["W"], params.get("b", np.zeros(m)), params["alpha"], params.get("c", 0.0))


def _finish(net: ReLUNetwork, problem: Problem) -> ReLUNetwork:
    """Rebalance the neurons (same function, least regularizer) and set the unpenalized intercept
    to its exact minimizer (Loss.optimal_intercept): both only lower (P), and the second makes
    sum(lambda) = 0, without which a certificate with bias is infinite."""
    net = net.balanced(problem.penalty)
    if problem.fit_intercept:
        c = problem.loss.optimal_intercept(net(problem.X) - net.c, problem.y, net.c)
        net = ReLUNetwork(net.W, net.b, net.alpha, c)
    return net


def _initial_params(rng: np.random.Generator, problem: Problem, width: int, init_scale: float) -> dict:
    """W rows ~ N(0, I/d) / rms(x); with bias, each hyperplane passes through a random sample
    (b_j = -w_j . x_k), so every neuron starts with a kink inside the data; alpha ~ N(0, s^2/m)."""
    X, y = problem.X, problem.y
    n, d = X.shape
    # a floor far below any real data scale, only to avoid dividing by zero for X = 0
    x_scale = max(float(np.sqrt(np.mean(X**2))), 1e-12)
    W = init_scale * rng.standard_normal((width, d)) / (np.sqrt(d) * x_scale)
    regression = not problem.loss.classification
    y_scale = float(np.std(y)) if regression and np.std(y) > 0 else 1.0
    shape = (width,) if y.ndim == 1 else (width, y.shape[1])
    params = {"W": W, "alpha": init_scale * y_scale * rng.standard_normal(shape) / np.sqrt(width)}
    if problem.bias:
        anchors = rng.integers(0, n, size=width)
        params["b"] = -np.einsum("jd,jd->j", W, X[anchors])
    if problem.fit_intercept:
        c = np.mean(y, axis=0) if regression else (np.zeros(y.shape[1]) if y.ndim == 2 else 0.0)
        params["c"] = np.array(c, dtype=float)
    return params


# ---------------------------------------------------------------------------------------------
# options, one run, results
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Settings:
    """The validated training options of :func:`train_gradient`."""

    width: int
    n_init: int
    steps: int
    learning_rate: float
    schedule: str
    final_lr_fraction: float
    init_scale: float
    trace_every: int

    @classmethod
    def checked(cls, *, width, n_init, steps, learning_rate, schedule, final_lr_fraction, init_scale,
                trace_every) -> "_Settings":
        return cls(
            width=check_positive_int(width, "width"), n_init=check_positive_int(n_init, "n_init"),
            steps=check_positive_int(steps, "steps"),
            learning_rate=check_positive_real(learning_rate, "learning_rate"),
            schedule=check_choice(schedule, SCHEDULES, "schedule"),
            final_lr_fraction=check_positive_real(final_lr_fraction, "final_lr_fraction", upper=1.0),
            init_scale=check_positive_real(init_scale, "init_scale"),
            trace_every=check_positive_int(trace_every, "trace_every"))


def _train_once(problem: Problem, settings: _Settings, rng: np.random.Generator) -> tuple[ReLUNetwork, AdamResult]:
    """One Adam run from a random initialization; the best iterate, rebalanced, with its intercept."""
    params = _initial_params(rng, problem, settings.width, settings.init_scale)

    def value_and_grad(p):
        return objective_and_gradient(p, problem.X, problem.y, beta=problem.beta, penalty=problem.penalty,
                                      loss=problem.loss)

    run = adam(value_and_grad, params, steps=settings.steps, learning_rate=settings.learning_rate,
               schedule=settings.schedule, final_lr_fraction=settings.final_lr_fraction,
               trace_every=settings.trace_every)
    return _finish(_network(run.params), problem), run


@dataclasses.dataclass
class GradientResult(ProblemSettings):
    r"""Networks trained by Adam from ``n_init`` initializations on problem (P).

    ``objectives[i]`` is ``problem.objective(networks[i])``, the value of (P)

    .. math:: L(f_i(X), y) + \frac{\beta}{2} \sum_j (\|w_j\|_p^2 + \|\alpha_j\|^2),

    an upper bound on the optimum; ``traces[i]`` is the objective during training at
    ``trace_steps``, reached after ``trace_times[i]`` seconds; ``times[i]`` the wall time of run i.
    ``beta``, ``penalty``, ``bias``, ``loss``, ``fit_intercept``, ``X`` and ``y`` are read from
    ``problem``.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> result = train_gradient(X, [0.0, 1.0, 1.0, 0.0], width=3, beta=0.1, n_init=2, steps=20,
    ...                         random_state=0)
    >>> len(result.networks), bool(result.best_objective == min(result.objectives)), result.penalty
    (2, True, 'l1')
    """

    networks: list[ReLUNetwork]
    objectives: np.ndarray
    traces: np.ndarray  # (n_init, n_trace)
    trace_steps: np.ndarray  # (n_trace,)
    trace_times: np.ndarray  # (n_init, n_trace), seconds since the start of each run
    times: np.ndarray  # (n_init,)
    problem: Problem = dataclasses.field(repr=False)
    width: int
    steps: int
    learning_rate: float

    # X, y, beta, penalty, loss, bias, fit_intercept: from the problem (ProblemSettings)

    @property
    def best_index(self) -> int:
        """Index of the run with the lowest objective."""
        return int(np.argmin(self.objectives))

    @property
    def best(self) -> ReLUNetwork:
        """The network with the lowest objective over the initializations."""
        return self.networks[self.best_index]

    @property
    def best_objective(self) -> float:
        """min_i objectives[i], an upper bound on the optimum of (P)."""
        return float(self.objectives[self.best_index])

    def certificates(self, X=None, y=None, **certify_options) -> list:
        """The dual certificate (``ga_relu.certify``) of every trained network, on (X, y)
        (default: the training data): ratio <= 1 plus first-order optimality means globally optimal.

        Examples
        --------
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
        >>> result = train_gradient(X, [0.0, 1.0, 0.0, 1.0], width=4, beta=0.1, n_init=2, steps=30, random_state=0)
        >>> [cert.exhaustive for cert in result.certificates()]
        [True, True]
        """
        from ..certification.certificate import certify

        X = self.X if X is None else X
        y = self.y if y is None else y
        return [certify(net, X, y, beta=self.beta, penalty=self.penalty, bias=self.bias, loss=self.loss,
                        fit_intercept=self.fit_intercept, **certify_options) for net in self.networks]

    def angles(self, X=None) -> list[list["NeuronMatch"]]:
        """:func:`neuron_angles` for every trained network.

        Examples
        --------
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
        >>> result = train_gradient(X, [0.0, 1.0, 0.0, 1.0], width=4, beta=0.1, n_init=2, steps=30, random_state=0)
        >>> [len(matches) == net.width for matches, net in zip(result.angles(), result.networks)]
        [True, True]
        """
        X = self.X if X is None else X
        return [neuron_angles(net, X, penalty=self.penalty, bias=self.bias) for net in self.networks]

    def time_to_reach(self, target: float) -> np.ndarray:
        """Seconds each run needed until its traced objective first fell to <= target (inf if never).

        Examples
        --------
        >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
        >>> result = train_gradient(X, [0.0, 1.0, 0.0, 1.0], width=4, beta=0.1, n_init=2, steps=30, random_state=0)
        >>> bool(np.all(np.isinf(result.time_to_reach(-1.0)))), result.time_to_reach(np.inf).shape
        (True, (2,))
        """
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


def train_gradient(X, y, *, width: int, beta: float, penalty: PenaltyName = "l1", bias: bool = True,
                   loss: LossName = "squared", fit_intercept: bool = True, n_init: int = 10, steps: int = 2000,
                   learning_rate: float = 0.01, schedule: ScheduleName = "cosine", final_lr_fraction: float = 0.01,
                   init_scale: float = 1.0, trace_every: int = 1, random_state=None) -> GradientResult:
    r"""Train problem (P) by full-batch Adam from ``n_init`` random initializations.

    .. math::

        \min_{W, b, \alpha, c}\; L(f(X), y) + \frac{\beta}{2} \sum_{j \le m} (\|w_j\|_p^2 + \|\alpha_j\|^2),
        \qquad f(x) = \sum_{j \le m} \alpha_j \operatorname{relu}(w_j \cdot x + b_j) + c,

    m = ``width``, :math:`b_j` and c unpenalized; p = 1 (``penalty="l1"``, subgradient
    :math:`2\|w\|_1 \operatorname{sign}(w)` of :math:`\|w\|_1^2`) or p = 2 (weight decay).

    Parameters
    ----------
    X, y : array_like
        Training data (n, d) and targets (labels in {-1, +1} for logistic/hinge).
    width : int
        m, the number of hidden neurons of each network.
    beta, penalty, bias, loss, fit_intercept
        Problem (P), validated by :class:`~ga_relu.convex.problem.Problem`.
    n_init : int
        Number of random initializations (one network each).
    steps, learning_rate, schedule, final_lr_fraction, trace_every
        Adam's settings (:func:`~ga_relu.baselines.adam.adam`): the step is decayed by a cosine
        schedule to ``final_lr_fraction`` of it (``schedule="constant"`` keeps it).
    init_scale : float
        Scale of the random initial weights.
    random_state : None, int or numpy Generator
        Same seed, same result.

    Returns
    -------
    GradientResult
        One network per initialization, each the best iterate of its run (rebalanced, intercept
        minimized); its objectives are upper bounds on the optimum.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> result = train_gradient(X, [0.0, 1.0, 0.0, 1.0], width=4, beta=0.1, n_init=1, steps=30,
    ...                         random_state=0)
    >>> bool(result.objectives[0] <= result.traces[0, 0])
    True
    """
    problem = Problem(X, y, beta=beta, penalty=penalty, bias=bias, loss=loss,
                      fit_intercept=fit_intercept).require_hyperplanes()
    settings = _Settings.checked(width=width, n_init=n_init, steps=steps, learning_rate=learning_rate,
                                 schedule=schedule, final_lr_fraction=final_lr_fraction, init_scale=init_scale,
                                 trace_every=trace_every)
    rng = check_random_state(random_state)
    networks, runs, times = [], [], []
    for _ in range(settings.n_init):
        start = time.perf_counter()
        net, run = _train_once(problem, settings, rng)
        times.append(time.perf_counter() - start)
        networks.append(net), runs.append(run)
    return GradientResult(
        networks=networks, objectives=np.array([problem.objective(net) for net in networks]),
        traces=np.array([run.trace for run in runs]), trace_steps=runs[-1].trace_steps,
        trace_times=np.array([run.trace_times for run in runs]), times=np.array(times), problem=problem,
        width=settings.width, steps=settings.steps, learning_rate=settings.learning_rate)


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

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> neuron_angles(ReLUNetwork([[0.0, 1.0]], [0.0], [1.0]), X)[0].sign
    1
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


def neuron_angles(network: ReLUNetwork, X, *, penalty: PenaltyName = "l1", bias: bool = True,
                  chunk: int | None = None) -> list[NeuronMatch]:
    r"""For each neuron of ``network``, the nearest neuron of the full wedge dictionary of X.

    The dictionary (docs/theory/exact_cases.md and docs/theory/weight_decay.md: hyperplanes through d lifted samples, plus basis vectors for
    l1; both orientations) is streamed in chunks (``ga_relu.convex.dictionary.iter_dictionary_chunks``),
    never built whole. For unit directions u (learned) and v (wedge) in :math:`R^{d+1}`,

    .. math:: \angle(u, v) = 2 \arcsin(\|u - v\| / 2),

    which is accurate near 0 (unlike :math:`\arccos(u \cdot v)`).

    Parameters
    ----------
    network : ReLUNetwork
    X : array_like, shape (n, d)
        The training data whose wedge dictionary is searched.
    penalty : {"l1", "l2"}
        "l1" adds the basis vectors to the dictionary's vertices.
    bias : bool
        Whether directions are lifted, (w, b) in :math:`R^{d+1}`.
    chunk : int, optional
        Columns per streamed block.

    Returns
    -------
    list of NeuronMatch
        One per neuron, in the network's order.

    Examples
    --------
    The line through x_1 = (0, 0) and x_2 = (1, 0) is w = (0, 1) (up to scale), b = 0:

    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> match = neuron_angles(ReLUNetwork([[0.0, 2.0]], [0.0], [1.0]), X, penalty="l2")[0]
    >>> round(match.angle, 9), match.samples
    (0.0, (0, 1))
    """
    from ..convex.dictionary import iter_dictionary_chunks

    if not isinstance(network, ReLUNetwork):
        raise InvalidInputError(f"network must be a ga_relu.ReLUNetwork, got {type(network).__name__}")
    penalty = get_penalty(penalty).name
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
