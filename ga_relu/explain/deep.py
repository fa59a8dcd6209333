r"""Explain a deep ReLU network: its last two layers re-solved as a certified wedge Lasso.

With the first L-2 layers frozen, the hidden representation h(x) is a fixed feature map and the
last two layers are a two-layer network on H = h(X); problem (P) on H is a wedge Lasso (T1/T2 for
the l1 penalty), so every optimal penultimate neuron is named by training samples through the
frozen layers (see :mod:`ga_relu.networks.deep` for the affine pieces of h).
"""

from __future__ import annotations

import dataclasses
import re
import warnings

import numpy as np

from ..convex.fitting import MethodName
from ..convex.losses import LossName
from ..convex.penalties import PenaltyName
from ..convex.problem import Problem, ProblemSettings
from ..errors import DictionaryTooLargeError, InvalidInputError
from ..networks.deep import (
    AffinePiece,
    DeepLayers,
    DeepReLUNetwork,
    forward_hidden,
    affine_pieces,
    as_layers,
)
from ..networks.relu import ReLUNetwork
from ..validation import check_matrix

__all__ = ["explain_deep", "DeepExplanation", "DeepNeuron"]



def _affine_string(weights: np.ndarray, bias: float, digits: int = 4) -> str:
    """w . x + b as text, to ``digits`` significant digits."""
    # a term two digits below what `digits` digits of the largest coefficient (at least 1) show is
    # invisible in the printout: dropped
    negligible = 10 ** (-digits - 2) * max(1.0, float(np.abs(weights).max(initial=0.0)), abs(float(bias)))
    terms = []
    for k, w in enumerate(weights):
        if abs(w) < negligible:
            continue
        sign = "-" if w < 0 else "+"
        terms.append(f"{sign} {abs(w):.{digits}g} x{_sub(k + 1)}")
    sign = "-" if bias < 0 else "+"
    terms.append(f"{sign} {abs(bias):.{digits}g}")
    text = " ".join(terms)
    return text[2:] if text.startswith("+ ") else "-" + text[2:]


def _sub(k: int) -> str:
    return "_" + str(k)


# ---------------------------------------------------------------------------------------------
# explanation
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class DeepNeuron:
    r"""A penultimate neuron of the explained network, :math:`\alpha \operatorname{relu}(w \cdot h(x) + b)`.

    It is the fit's :class:`~ga_relu.convex.results.Neuron` on the hidden data H = h(X), read in
    hidden space: (w, b) is proportional to the cross product of the lifted hidden representations
    (h(x_j), 1) of ``samples`` and the lifted basis vectors (e_k, 0) of ``basis`` (0-based). Its
    fields (``index``, ``samples``, ``basis``, ``sign``, ``weight``, ``bias``, ``output_weight``,
    ...) are those of ``neuron``.

    Examples
    --------
    >>> from ga_relu.convex.results import Neuron
    >>> nr = DeepNeuron(Neuron(index=0, samples=(2, 8), basis=(), sign=1, weight=np.array([1.0, -1.0]),
    ...                 bias=0.5, output_weight=2.0, coefficient=2.0, unit_weight=np.array([1.0, -1.0]),
    ...                 unit_bias=0.5, penalty="l1"))
    >>> nr.describe(), nr.formula(), nr.samples
    ('line through h(x_3) and h(x_9)', 'relu(1 h_1 - 1 h_2 + 0.5)', (2, 8))
    """

    neuron: object  # the ga_relu.convex.results.Neuron of the fit on H

    def __getattr__(self, name: str):
        # the common fields live on the fit's Neuron, once
        if name.startswith("__") or name == "neuron":
            raise AttributeError(name)
        return getattr(self.neuron, name)

    @property
    def record(self):
        """The fit's Neuron (the name used before DeepNeuron held it)."""
        return self.neuron

    def describe(self) -> str:
        """The fit's description with each x_i read as h(x_i), e.g. 'plane through h(x_3), h(x_9)
        and h(x_14)' (hidden space)."""
        text = self.neuron.describe()
        text = re.sub(r"\bx_(\d+)", r"h(x_\1)", text)
        return text.replace("relu(x)", "relu(h)").replace("relu(-x)", "relu(-h)")

    def formula(self, digits: int = 4) -> str:
        """relu(w . h + b) with the numbers: the neuron in hidden coordinates h_1..h_{d'}."""
        return "relu(" + _affine_string(self.weight, self.bias, digits).replace("x_", "h_") + ")"


@dataclasses.dataclass
class DeepExplanation(DeepLayers, ProblemSettings):
    r"""The result of :func:`explain_deep`.

    ``problem`` is (P) for the last two layers on the hidden data H = h(X),

    .. math:: \min\; L\Big(\sum_j \alpha_j \operatorname{relu}(H w_j + b_j) + c,\; y\Big)
              + \frac{\beta}{2} \sum_j (\|w_j\|_p^2 + \alpha_j^2),

    and ``fit`` its two-layer fit (a :class:`~ga_relu.convex.results.FitResult`); ``layers`` is the
    explained deep network (frozen layers + the fit's two layers), callable through ``__call__``;
    ``layers_before`` the original. ``objective_before`` and ``objective_after`` are values of
    ``problem`` for the last two layers; the frozen layers are not part of (P). ``beta``,
    ``penalty``, ``loss``, ``bias``, ``hidden`` (= H) and ``y`` are read from ``problem``; ``X`` is
    the input data.

    Examples
    --------
    >>> layers = [([[1.0], [-1.0]], [0.0, 0.5]), ([[1.0, 1.0]], [0.0]), ([[1.0]], [0.0])]
    >>> ex = explain_deep(layers, [[-1.0], [0.0], [1.0], [2.0]], [1.0, 0.0, 1.0, 2.0], beta=0.1)
    >>> ex.hidden.shape, ex.objective_after <= ex.objective_before, ex.penalty
    ((4, 2), True, 'l1')
    """

    layers_before: list
    layers: list
    fit: object
    problem: Problem = dataclasses.field(repr=False)
    pieces: list[AffinePiece]
    neurons: list[DeepNeuron]
    objective_before: float
    objective_after: float
    before_feasible: bool
    X: np.ndarray = dataclasses.field(repr=False, default=None)
    method: str = "wedge"
    exact: bool = True  # False for a sampled dictionary or weight decay: objective_after is an upper bound
    _certificate: object = dataclasses.field(repr=False, default=None)

    # y, beta, penalty, loss, bias, fit_intercept: from the problem (ProblemSettings); X is the
    # input data (a field above), H = problem.X is ``hidden``
    @property
    def hidden(self) -> np.ndarray:
        """H = h(X), the data of ``problem``."""
        return self.problem.X

    @property
    def network_before(self) -> DeepReLUNetwork:
        """The original network (``layers_before``)."""
        return DeepReLUNetwork(self.layers_before)

    @property
    def frozen_layers(self) -> list:
        return self.layers[:-2]

    def certificate(self, **kwargs):
        """The dual certificate of the last two layers as a two-layer problem on H
        (``fit.certificate()``, ga_relu.certify); cached for the default arguments.

        Examples
        --------
        >>> layers = [([[1.0], [-1.0]], [0.0, 0.5]), ([[1.0, 1.0]], [0.0]), ([[1.0]], [0.0])]
        >>> ex = explain_deep(layers, [[-1.0], [0.0], [1.0], [2.0]], [1.0, 0.0, 1.0, 2.0], beta=0.1)
        >>> ex.certificate() is ex.certificate(), ex.certificate().optimal
        (True, True)
        """
        if kwargs:
            return self.fit.certificate(**kwargs)
        if self._certificate is None:
            self._certificate = self.fit.certificate()
        return self._certificate

    @property
    def ratio(self) -> float:
        r""":math:`\max_{\|w\|_p \le 1, b} |\lambda \cdot \operatorname{relu}(H w + b)| / \beta` over
        feasible neurons on H: <= 1 certifies optimality.

        Examples
        --------
        >>> layers = [([[1.0], [-1.0]], [0.0, 0.5]), ([[1.0, 1.0]], [0.0]), ([[1.0]], [0.0])]
        >>> ex = explain_deep(layers, [[-1.0], [0.0], [1.0], [2.0]], [1.0, 0.0, 1.0, 2.0], beta=0.1)
        >>> ex.ratio <= 1 + 1e-4
        True
        """
        return float(self.certificate().ratio)

    def pieces_table(self, max_pieces: int | None = None, digits: int = 4) -> str:
        """Each penultimate neuron on each activation region met by the training data, as an affine
        map of the input: the composed formula through the frozen layers (:meth:`AffinePiece.neuron`,
        (w^T A) x + w . a + b).

        Examples
        --------
        >>> layers = [([[1.0], [-1.0]], [0.0, 0.5]), ([[1.0, 1.0]], [0.0]), ([[1.0]], [0.0])]
        >>> ex = explain_deep(layers, [[-1.0], [0.0], [1.0], [2.0]], [1.0, 0.0, 1.0, 2.0], beta=0.1)
        >>> print(ex.pieces_table().splitlines()[1])  # the first neuron on the first region
            region [01] (x_1,x_2): relu(0)
        """
        lines = []
        shown = self.pieces if max_pieces is None else self.pieces[:max_pieces]
        for nr in self.neurons:
            lines.append(f"neuron {nr.index}: alpha = {_number(nr.output_weight)}, {nr.formula(digits)}; "
                         f"{nr.describe()}")
            for piece in shown:
                v, c = piece.neuron(nr.weight, nr.bias)
                members = ",".join(f"x_{i + 1}" for i in piece.samples[:6]) + (",..." if len(piece.samples) > 6 else "")
                lines.append(f"    region [{piece.pattern_string}] ({members}): relu({_affine_string(v, c, digits)})")
            if max_pieces is not None and len(self.pieces) > max_pieces:
                lines.append(f"    ... {len(self.pieces) - max_pieces} more regions")
        return "\n".join(lines)

    def summary(self) -> str:
        """Four lines: the depth and widths, the fit of the last two layers (theorem, columns,
        method), the objective of (P) on H before and after, and the number of regions.

        Examples
        --------
        >>> layers = [([[1.0], [-1.0]], [0.0, 0.5]), ([[1.0, 1.0]], [0.0]), ([[1.0]], [0.0])]
        >>> ex = explain_deep(layers, [[-1.0], [0.0], [1.0], [2.0]], [1.0, 0.0, 1.0, 2.0], beta=0.1)
        >>> len(ex.summary().splitlines())
        4
        """
        fit = self.fit
        bound = "exact optimum of (P) on H" if self.exact else "upper bound on (P) on H"
        change = self.objective_after - self.objective_before
        lines = [
            f"deep explanation: depth {len(self.layers_before)}, frozen widths "
            f"{tuple(W.shape[0] for W, _ in self.frozen_layers)}, hidden dim d' = {self.hidden.shape[1]}, "
            f"n = {self.hidden.shape[0]}",
            f"last two layers: width {self.layers_before[-2][0].shape[0]} -> {len(self.neurons)} "
            f"({fit.case.theorem}, {bound}; {fit.dictionary.n_columns:,} columns, method {self.method})",
            f"objective of (P) on H: before {self.objective_before:.8g}, after {self.objective_after:.8g} "
            f"(change {change:+.3g})" + ("" if self.before_feasible else
                                         "; the original's last layers are outside the fitted class (bias/intercept)"),
            f"activation regions of the frozen layers met by the training data: {len(self.pieces)}",
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"DeepExplanation(objective_before={self.objective_before:.6g}, objective_after={self.objective_after:.6g}, "
                f"neurons={len(self.neurons)}, regions={len(self.pieces)})")


def _number(value) -> str:
    return f"{value:.4g}" if np.ndim(value) == 0 else np.array2string(np.asarray(value), precision=4)


def _problem_options(problem: Problem) -> dict:
    """The keyword arguments of ``ga_relu.fit`` that state ``problem``'s settings."""
    return dict(beta=problem.beta, penalty=problem.penalty.name, bias=problem.bias, loss=problem.loss.name,
                fit_intercept=problem.fit_intercept)


def _fit_hidden(problem: Problem, *, method, subsets, random_state, memory_budget):
    """ga_relu.fit on H; when the full dictionary is too large and column generation is not
    available, fall back to a sampled dictionary (an upper bound) with a warning."""
    from ..convex.fitting import fit

    H, y, options_of_p = problem.X, problem.y, _problem_options(problem)
    try:
        return fit(H, y, **options_of_p, subsets=subsets, random_state=random_state, method=method,
                   memory_budget=memory_budget)
    except (ImportError, DictionaryTooLargeError) as exc:
        if subsets is not None or method not in ("auto", "colgen"):
            raise
        from ..config import options
        from ..convex.dictionary import n_candidate_subsets

        budget = options.memory_budget_bytes if memory_budget is None else memory_budget
        total = n_candidate_subsets(problem.n, problem.d, problem.penalty.name, problem.bias)
        count = max(1, min(total, budget // (16 * problem.n)))  # 16 bytes per entry: a float and its copy
        warnings.warn(
            f"the full wedge dictionary on the hidden representations is too large and column generation is not "
            f"available ({exc}); using {count:,} sampled subsets: the result is an UPPER BOUND, not certified optimal",
            RuntimeWarning, stacklevel=3,
        )
        return fit(H, y, **options_of_p, subsets=count, random_state=random_state, method="wedge",
                   memory_budget=memory_budget)


def _check_layers_and_data(layers, X) -> tuple[list, np.ndarray]:
    layers = as_layers(layers)
    X = check_matrix(X)
    if X.shape[1] != layers[0][0].shape[1]:
        raise InvalidInputError(
            f"X has {X.shape[1]} columns but the first layer W_1 takes {layers[0][0].shape[1]} inputs "
            f"(shape {layers[0][0].shape})"
        )
    return layers, X


def _last_two_layers(layers, y: np.ndarray) -> ReLUNetwork:
    """The penultimate and output layers as the two-layer network of (P) on H."""
    (W_pen, b_pen), (W_out, b_out) = layers[-2], layers[-1]
    n_outputs = W_out.shape[0]
    if (n_outputs == 1) != (y.ndim == 1) or (y.ndim == 2 and y.shape[1] != n_outputs):
        raise InvalidInputError(
            f"the output layer has {n_outputs} output(s) (W_L of shape {W_out.shape}) but y has shape {y.shape}"
        )
    alpha = W_out[0] if n_outputs == 1 else W_out.T
    c = float(b_out[0]) if n_outputs == 1 else b_out
    return ReLUNetwork(W_pen, b_pen, alpha, c)


def explain_deep(layers, X, y, *, beta: float, penalty: PenaltyName = "l1", loss: LossName = "squared",
                 bias: bool = True, fit_intercept: bool = True, method: MethodName = "auto", subsets=None,
                 random_state=None, memory_budget: int | None = None) -> DeepExplanation:
    r"""Explain a trained deep ReLU network: re-solve its last two layers exactly on the frozen
    hidden representations, name the penultimate neurons by training samples, and compose them
    back through the frozen layers.

    With :math:`H = h_{L-2}(X)` the output of the first L-2 layers, solves (P) on H,

    .. math:: \min\; L\Big(\sum_j \alpha_j \operatorname{relu}(H w_j + b_j) + c,\; y\Big)
              + \frac{\beta}{2} \sum_j (\|w_j\|_p^2 + \alpha_j^2),

    as the wedge Lasso of ``ga_relu.fit`` (exact for penalty "l1": T1/T2/T5; an upper bound for
    "l2": T4). Each optimal neuron's :math:`(w_j, b_j)` is a multiple of
    :math:`\operatorname{cross}((h(x_i), 1)` for its samples i, :math:`(e_k, 0)` for its basis
    vectors k).

    Parameters
    ----------
    layers : list of (W, b), DeepReLUNetwork, DeepTraining or torch nn.Sequential
        [(W_1, b_1), ..., (W_L, b_L)] with W_l of shape (width_l, width_{l-1}) (L >= 2), an
        object with ``.layers``, or a torch ``nn.Sequential`` of Linear/ReLU.
    X, y : array_like
        Training data (n, d) and targets (labels in {-1, +1} for logistic/hinge).
    beta, penalty, loss, bias, fit_intercept
        Problem (P) for the last two layers (a :class:`~ga_relu.convex.problem.Problem` on H).
    method, subsets, random_state, memory_budget
        Passed to ``ga_relu.fit``. When the full dictionary C(n + d', d') does not fit,
        ``method="auto"`` uses column generation (ga_relu.convex.colgen, exact) and, where that is
        unavailable, a sampled dictionary (an upper bound, with a warning).

    Returns
    -------
    DeepExplanation
        ``.fit``, ``.neurons`` (DeepNeuron), ``.pieces`` (AffinePiece: the affine maps of h on the
        activation regions met by the training data), ``.objective_before`` /
        ``.objective_after`` (values of (P) on H), ``.certificate()`` / ``.ratio``, ``.layers`` and
        ``__call__`` (the explained deep network).

    Examples
    --------
    >>> layers = [([[1.0], [-1.0]], [0.0, 0.5]), ([[1.0, 1.0]], [0.0]), ([[1.0]], [0.0])]
    >>> ex = explain_deep(layers, [[-1.0], [0.0], [1.0], [2.0]], [1.0, 0.0, 1.0, 2.0], beta=0.1)
    >>> len(ex.layers), [piece.samples for piece in ex.pieces]  # the two regions of the frozen layer
    (3, [(0, 1), (2, 3)])
    """
    layers, X = _check_layers_and_data(layers, X)
    frozen = layers[:-2]
    H = forward_hidden(frozen, X)
    problem = Problem(H, y, beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept)
    before = _last_two_layers(layers, problem.y)
    b_pen, b_out = layers[-2][1], layers[-1][1]
    before_feasible = (problem.bias or not np.any(b_pen)) and (problem.fit_intercept or not np.any(b_out))

    result = _fit_hidden(problem, method=method, subsets=subsets, random_state=random_state,
                         memory_budget=memory_budget)
    net = result.network
    W_last = net.alpha[None, :] if net.alpha.ndim == 1 else net.alpha.T
    b_last = np.atleast_1d(np.asarray(net.c, dtype=float))
    explained = [(W.copy(), b.copy()) for W, b in frozen] + [(net.W.copy(), net.b.copy()), (W_last, b_last)]
    return DeepExplanation(
        layers_before=layers, layers=explained, fit=result, problem=problem, pieces=affine_pieces(frozen, X),
        neurons=[DeepNeuron(nr) for nr in result.neurons], objective_before=problem.objective(before),
        objective_after=float(result.objective), before_feasible=before_feasible, X=X, method=result.method,
        exact=bool(result.case.exact),
    )
