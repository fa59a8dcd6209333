r"""Explain a deep ReLU network: its last two layers re-solved as a certified wedge Lasso.

With the first L-2 layers frozen, the hidden representation h(x) is a fixed feature map and the
last two layers are a two-layer network on H = h(X); problem (P) on H is a wedge Lasso (T1/T2 for
the l1 penalty), so every optimal penultimate neuron is named by training samples through the
frozen layers (see :mod:`ga_relu.networks.deep` for the affine pieces of h).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from ..errors import DictionaryTooLargeError, InvalidInputError
from ..networks.deep import (
    AffinePiece,
    DeepReLUNetwork,
    _forward_hidden,
    affine_pieces,
    as_layers,
)
from ..networks.relu import ReLUNetwork
from ..validation import (
    check_beta,
    check_loss,
    check_matrix,
    check_penalty,
    check_targets,
)


def _affine_string(weights: np.ndarray, bias: float, digits: int = 4) -> str:
    terms = []
    for k, w in enumerate(weights):
        if abs(w) < 10 ** (-digits - 2):
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


@dataclasses.dataclass
class DeepNeuron:
    """A penultimate neuron of the explained network: alpha * relu(w . h(x) + b).

    (w, b) is proportional to the cross product of the lifted hidden representations
    (h(x_j), 1) of ``samples`` and the lifted basis vectors (e_k, 0) of ``basis`` (0-based).
    """

    index: int
    samples: tuple[int, ...]
    basis: tuple[int, ...]
    sign: int
    weight: np.ndarray
    bias: float
    output_weight: float | np.ndarray
    record: object = dataclasses.field(repr=False, default=None)  # the ga_relu.fit Neuron

    def describe(self) -> str:
        """e.g. 'hyperplane through h(x_3), h(x_9), h(x_14) parallel to e_2' (hidden space)."""
        names = [f"h(x_{i + 1})" for i in self.samples]
        axes = [f"e_{k + 1}" for k in self.basis]
        dim = self.weight.shape[0]
        if dim == 1:
            return f"breakpoint at {names[0]}" if names else ("relu(h)" if self.sign > 0 else "relu(-h)")
        kind = {2: "line", 3: "plane"}.get(dim, "hyperplane")
        text = f"{kind} through {', '.join(names)}" if names else kind
        if axes:
            text += f" parallel to {', '.join(axes)}"
        return text

    def formula(self, digits: int = 4) -> str:
        """relu(w . h + b) with the numbers: the neuron in hidden coordinates h_1..h_{d'}."""
        return "relu(" + _affine_string(self.weight, self.bias, digits).replace("x_", "h_") + ")"


@dataclasses.dataclass
class DeepExplanation:
    """The result of :func:`explain_deep`.

    ``fit`` is the exact two-layer fit on the hidden data H = h(X) (a ga_relu FitResult);
    ``layers`` is the explained deep network (frozen layers + the fit's two layers), callable
    through ``__call__``; ``layers_before`` the original.  ``objective_before`` and
    ``objective_after`` are values of (P) on H for the last two layers (same beta, penalty, loss);
    the frozen layers are not part of (P).
    """

    layers_before: list
    layers: list
    fit: object
    hidden: np.ndarray
    pieces: list[AffinePiece]
    neurons: list[DeepNeuron]
    objective_before: float
    objective_after: float
    before_feasible: bool
    beta: float
    penalty: str
    loss: str
    bias: bool
    X: np.ndarray = dataclasses.field(repr=False, default=None)
    y: np.ndarray = dataclasses.field(repr=False, default=None)
    method: str = "wedge"
    exact: bool = True  # False for a sampled dictionary or weight decay: objective_after is an upper bound
    _certificate: object = dataclasses.field(repr=False, default=None)

    @property
    def network(self) -> DeepReLUNetwork:
        return DeepReLUNetwork(self.layers)

    @property
    def network_before(self) -> DeepReLUNetwork:
        return DeepReLUNetwork(self.layers_before)

    def __call__(self, X) -> np.ndarray:
        return self.network(X)

    predict = __call__

    @property
    def frozen_layers(self) -> list:
        return self.layers[:-2]

    def certificate(self, **kwargs):
        """The dual certificate of the last two layers as a two-layer problem on H
        (``fit.certificate()``, ga_relu.certify); cached for the default arguments."""
        if kwargs:
            return self.fit.certificate(**kwargs)
        if self._certificate is None:
            self._certificate = self.fit.certificate()
        return self._certificate

    @property
    def ratio(self) -> float:
        """max over feasible neurons on H of |lambda . relu(H w + b)| / beta: <= 1 certifies optimality."""
        return float(self.certificate().ratio)

    def neuron_pieces(self, j: int) -> list[tuple[AffinePiece, np.ndarray, float]]:
        """(piece, v, c) for every region: neuron j's pre-activation there is v . x + c (j is 0-based)."""
        nr = self.neurons[j]
        return [(piece, *piece.neuron(nr.weight, nr.bias)) for piece in self.pieces]

    def pieces_table(self, max_pieces: int | None = None, digits: int = 4) -> str:
        """Each penultimate neuron on each activation region met by the training data, as an affine
        map of the input: the composed formula through the frozen layers."""
        lines = []
        shown = self.pieces if max_pieces is None else self.pieces[:max_pieces]
        for j, nr in enumerate(self.neurons):
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


def _fit_hidden(H, y, *, beta, penalty, bias, loss, fit_intercept, method, subsets, random_state, memory_budget):
    """ga_relu.fit on H; when the full dictionary is too large and column generation is not
    available, fall back to a sampled dictionary (an upper bound) with a warning."""
    from ..convex.fitting import fit

    try:
        return fit(H, y, beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept,
                   subsets=subsets, random_state=random_state, method=method, memory_budget=memory_budget)
    except (ImportError, DictionaryTooLargeError) as exc:
        if subsets is not None or method not in ("auto", "colgen"):
            raise
        from ..config import options
        from ..convex.dictionary import n_candidate_subsets

        budget = options.memory_budget_bytes if memory_budget is None else memory_budget
        count = max(1, min(n_candidate_subsets(H.shape[0], H.shape[1], penalty, bias), budget // (16 * H.shape[0])))
        warnings.warn(
            f"the full wedge dictionary on the hidden representations is too large and column generation is not "
            f"available ({exc}); using {count:,} sampled subsets: the result is an UPPER BOUND, not certified optimal",
            RuntimeWarning, stacklevel=3,
        )
        return fit(H, y, beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept,
                   subsets=count, random_state=random_state, method="wedge", memory_budget=memory_budget)


def explain_deep(layers, X, y, *, beta: float, penalty: str = "l1", loss: str = "squared", bias: bool = True,
                 fit_intercept: bool = True, method: str = "auto", subsets=None, random_state=None,
                 memory_budget: int | None = None) -> DeepExplanation:
    r"""Explain a trained deep ReLU network: re-solve its last two layers exactly on the frozen
    hidden representations, name the penultimate neurons by training samples, and compose them
    back through the frozen layers.

    With H = h_{L-2}(X) the output of the first L-2 layers, solves (P) on H,

        min  L(sum_j alpha_j relu(H w_j + b_j) + c, y) + (beta/2) sum_j (||w_j||_p^2 + alpha_j^2),

    as the wedge Lasso of ``ga_relu.fit`` (exact for penalty "l1": T1/T2/T5; an upper bound for
    "l2": T4).  Each optimal neuron's (w_j, b_j) is a multiple of cross((h(x_i), 1) for its samples
    i, (e_k, 0) for its basis vectors k).

    Parameters
    ----------
    layers : [(W_1, b_1), ..., (W_L, b_L)] with W_l of shape (width_l, width_{l-1}) (L >= 2), an
        object with ``.layers`` (:class:`DeepTraining`, :class:`DeepReLUNetwork`), or a torch
        ``nn.Sequential`` of Linear/ReLU.
    X, y : training data (n, d) and targets (labels in {-1, +1} for logistic/hinge).
    beta, penalty, loss, bias, fit_intercept : problem (P) for the last two layers.
    method, subsets, random_state, memory_budget : passed to ``ga_relu.fit``.  When the full
        dictionary C(n + d', d') does not fit, ``method="auto"`` uses column generation
        (ga_relu.convex.colgen, exact) and, where that is unavailable, a sampled dictionary (an upper
        bound, with a warning).

    Returns
    -------
    DeepExplanation: ``.fit``, ``.neurons`` (DeepNeuron), ``.pieces`` (AffinePiece: the affine maps
    of h on the activation regions met by the training data), ``.objective_before`` / ``.objective_after``
    (values of (P) on H), ``.certificate()`` / ``.ratio``, ``.layers`` and ``__call__`` (the explained
    deep network).
    """
    layers = as_layers(layers)
    X = check_matrix(X)
    if X.shape[1] != layers[0][0].shape[1]:
        raise InvalidInputError(
            f"X has {X.shape[1]} columns but the first layer W_1 takes {layers[0][0].shape[1]} inputs "
            f"(shape {layers[0][0].shape})"
        )
    loss = check_loss(loss)
    penalty = check_penalty(penalty)
    beta = check_beta(beta)
    y = check_targets(y, X.shape[0], loss)
    frozen, (W_pen, b_pen), (W_out, b_out) = layers[:-2], layers[-2], layers[-1]
    n_outputs = W_out.shape[0]
    if (n_outputs == 1) != (y.ndim == 1) or (y.ndim == 2 and y.shape[1] != n_outputs):
        raise InvalidInputError(
            f"the output layer has {n_outputs} output(s) (W_L of shape {W_out.shape}) but y has shape {y.shape}"
        )
    H = _forward_hidden(frozen, X)
    alpha_before = W_out[0] if n_outputs == 1 else W_out.T
    c_before = float(b_out[0]) if n_outputs == 1 else b_out
    before = ReLUNetwork(W_pen, b_pen, alpha_before, c_before)
    objective_before = before.objective(H, y, beta, penalty, loss)
    before_feasible = (bool(bias) or not np.any(b_pen)) and (fit_intercept or not np.any(b_out))

    result = _fit_hidden(H, y, beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept,
                         method=method, subsets=subsets, random_state=random_state, memory_budget=memory_budget)
    net = result.network
    alpha = net.alpha
    W_last = alpha[None, :] if alpha.ndim == 1 else alpha.T
    b_last = np.atleast_1d(np.asarray(net.c, dtype=float))
    explained = [(W.copy(), b.copy()) for W, b in frozen] + [(net.W.copy(), net.b.copy()), (W_last, b_last)]
    neurons = [
        DeepNeuron(index=nr.index, samples=nr.samples, basis=nr.basis, sign=nr.sign, weight=nr.weight,
                   bias=nr.bias, output_weight=nr.output_weight, record=nr)
        for nr in result.neurons
    ]
    return DeepExplanation(
        layers_before=layers, layers=explained, fit=result, hidden=H, pieces=affine_pieces(frozen, X),
        neurons=neurons, objective_before=objective_before, objective_after=float(result.objective),
        before_feasible=before_feasible, beta=beta, penalty=penalty, loss=loss, bias=bool(bias), X=X, y=y,
        method=result.method, exact=bool(result.case.exact),
    )
