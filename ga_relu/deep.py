r"""Deep ReLU networks: freeze the first L-2 layers, solve the last two exactly as a wedge Lasso.

A deep ReLU network with layers (W_1, b_1), ..., (W_L, b_L) computes

    h_0 = x,   h_l = relu(W_l h_{l-1} + b_l)  (l = 1..L-1),   f(x) = W_L h_{L-1} + b_L.

With the first L-2 layers frozen, h(x) := h_{L-2}(x) in R^{d'} is a fixed feature map and the last
two layers are the two-layer network  f = sum_j alpha_j relu(w_j . h + b_j) + c  on the data
H = h(X) (theory.md section 4).  Problem (P) on H,

    min  L(f(H), y) + (beta/2) sum_j (||w_j||_p^2 + alpha_j^2),

is then exactly the wedge Lasso of T1/T2 (l1 penalty) over neurons whose weights are cross products
of lifted hidden representations h~(x_j) = (h(x_j), 1) of d' training samples (and basis vectors),
so every optimal penultimate neuron is named by training samples.  Weight decay (p = 2) gives an
upper bound (T4).  The original network's last two layers are one feasible point of (P), so the
objective after the exact solve is never above the objective before.

Back in the input, h is piecewise affine: on the activation region of pattern D_1..D_{L-2}
(D_l = diag of active units), h(x) = A x + a with

    A = D_{L-2} W_{L-2} ... D_1 W_1,   a_l = D_l (W_l a_{l-1} + b_l),  a_0 = 0,

so the penultimate neuron j is relu((w_j^T A) x + w_j . a + b_j) on that region.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np

from .errors import DictionaryTooLargeError, InvalidInputError
from .gradient import adam
from .losses import loss_gradient, loss_value
from .network import ReLUNetwork
from .validation import (
    check_beta,
    check_choice,
    check_loss,
    check_matrix,
    check_penalty,
    check_random_state,
    check_targets,
)

__all__ = [
    "DeepReLUNetwork",
    "DeepExplanation",
    "DeepTraining",
    "AffinePiece",
    "as_layers",
    "explain_deep",
    "train_deep",
]


# ---------------------------------------------------------------------------------------------
# layers
# ---------------------------------------------------------------------------------------------


def _torch_layers(module) -> list[tuple[np.ndarray, np.ndarray]]:
    """(W, b) pairs of a torch ``nn.Sequential`` alternating Linear and ReLU (last: Linear)."""
    import torch  # only reached when the object came from torch

    layers, expect_linear = [], True
    names = []
    for sub in module:
        names.append(type(sub).__name__)
        if isinstance(sub, torch.nn.Linear):
            if not expect_linear:
                raise InvalidInputError(
                    f"the nn.Sequential has two Linear layers in a row ({names}); a ReLU network alternates "
                    "Linear and ReLU (fold consecutive Linear layers into one first)"
                )
            W = sub.weight.detach().cpu().double().numpy().copy()
            b = sub.bias.detach().cpu().double().numpy().copy() if sub.bias is not None else np.zeros(W.shape[0])
            layers.append((W, b))
            expect_linear = False
        elif isinstance(sub, torch.nn.ReLU):
            if expect_linear:
                raise InvalidInputError(f"the nn.Sequential has a ReLU not preceded by a Linear layer ({names})")
            expect_linear = True
        else:
            raise InvalidInputError(
                f"the nn.Sequential contains a {type(sub).__name__}; only Linear and ReLU modules are supported "
                "(remove dropout/normalization layers, or fold them into the Linear weights)"
            )
    if expect_linear:
        raise InvalidInputError(f"the nn.Sequential must end with a Linear output layer, got {names}")
    return layers


def as_layers(network) -> list[tuple[np.ndarray, np.ndarray]]:
    """Validated float (W_l, b_l) pairs, W_l of shape (out, in), from a list of pairs, an object
    with ``.layers`` (DeepReLUNetwork, DeepTraining, DeepExplanation) or a torch ``nn.Sequential``.

    Raises InvalidInputError when consecutive shapes do not chain or a parameter is not finite.
    """
    if hasattr(network, "layers") and not isinstance(network, (list, tuple)):
        network = network.layers
    elif type(network).__module__.startswith("torch"):
        network = _torch_layers(network)
    try:
        pairs = list(network)
    except TypeError:
        raise InvalidInputError(
            f"layers must be a list of (W, b) pairs, got {type(network).__name__}; pass [(W_1, b_1), ..., (W_L, b_L)] "
            "with W_l of shape (out, in)"
        ) from None
    if len(pairs) < 2:
        raise InvalidInputError(
            f"a deep ReLU network needs at least 2 layers (hidden + output), got {len(pairs)}; pass "
            "[(W_1, b_1), ..., (W_L, b_L)]"
        )
    out = []
    for l, pair in enumerate(pairs, start=1):
        try:
            W, b = pair
        except (TypeError, ValueError):
            raise InvalidInputError(f"layer {l} must be a (W, b) pair, got {type(pair).__name__}") from None
        W = np.asarray(W, dtype=float)
        if W.ndim == 1:  # a single output row written as a vector
            W = W[None, :]
        if W.ndim != 2:
            raise InvalidInputError(f"W_{l} must be a matrix of shape (out, in), got shape {W.shape}")
        b = np.zeros(W.shape[0]) if b is None else np.asarray(b, dtype=float).reshape(-1)
        if b.shape != (W.shape[0],):
            raise InvalidInputError(
                f"b_{l} has {b.size} entries but W_{l} has {W.shape[0]} rows (shape {W.shape}); each layer needs one "
                "bias per output unit"
            )
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            raise InvalidInputError(f"layer {l} contains NaN or inf")
        if out and out[-1][0].shape[0] != W.shape[1]:
            raise InvalidInputError(
                f"layer shapes do not chain: W_{l - 1} has {out[-1][0].shape[0]} outputs but W_{l} takes "
                f"{W.shape[1]} inputs (shape {W.shape}); W_l must have shape (width_l, width_(l-1))"
            )
        out.append((W, b))
    return out


def _forward_hidden(layers, X: np.ndarray) -> np.ndarray:
    """h after every layer in ``layers`` (all followed by ReLU)."""
    H = X
    for W, b in layers:
        H = np.maximum(H @ W.T + b, 0.0)
    return H


class DeepReLUNetwork:
    """x -> relu(W_1 x + b_1) -> ... -> relu(W_{L-1} h + b_{L-1}) -> W_L h + b_L, as numpy layers.

    ``__call__`` returns shape (n,) for one output and (n, c) for c outputs.
    """

    def __init__(self, layers):
        self.layers = as_layers(layers)

    @property
    def depth(self) -> int:
        return len(self.layers)

    @property
    def dim(self) -> int:
        return self.layers[0][0].shape[1]

    @property
    def widths(self) -> tuple[int, ...]:
        return tuple(W.shape[0] for W, _ in self.layers[:-1])

    def _check(self, X) -> np.ndarray:
        X = check_matrix(X)
        if X.shape[1] != self.dim:
            raise InvalidInputError(f"the network takes {self.dim} features, X has {X.shape[1]} columns")
        return X

    def hidden(self, X, depth: int | None = None) -> np.ndarray:
        """h_depth(X): the representation after the first ``depth`` layers (default L-1, all hidden)."""
        X = self._check(X)
        depth = self.depth - 1 if depth is None else depth
        if not 0 <= depth <= self.depth - 1:
            raise InvalidInputError(f"depth must be in 0..{self.depth - 1}, got {depth}")
        return _forward_hidden(self.layers[:depth], X)

    def __call__(self, X) -> np.ndarray:
        W, b = self.layers[-1]
        f = self.hidden(X) @ W.T + b
        return f[:, 0] if f.shape[1] == 1 else f

    predict = __call__

    def regularizer(self, penalty: str = "l2") -> float:
        """(1/2) sum over layers of sum over units of ||row||_p^2 (the output layer always with p = 2):
        for p = 2 this is (1/2) sum_l ||W_l||_F^2, weight decay on every weight matrix (biases free)."""
        penalty = check_penalty(penalty)
        total = 0.0
        for l, (W, _) in enumerate(self.layers):
            rows = np.abs(W).sum(axis=1) if (penalty == "l1" and l < self.depth - 1) else np.linalg.norm(W, axis=1)
            total += float(np.sum(rows**2))
        return 0.5 * total

    def objective(self, X, y, beta: float, penalty: str = "l2", loss: str = "squared") -> float:
        """L(f(X), y) + beta * regularizer(penalty): what :func:`train_deep` minimizes."""
        beta, loss = check_beta(beta), check_loss(loss)
        X = self._check(X)
        y = check_targets(y, X.shape[0], loss)
        return loss_value(loss, self(X), y) + beta * self.regularizer(penalty)

    def __repr__(self) -> str:
        return f"DeepReLUNetwork(dim={self.dim}, widths={self.widths}, outputs={self.layers[-1][0].shape[0]})"


# ---------------------------------------------------------------------------------------------
# affine pieces of the frozen part
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class AffinePiece:
    """One activation region of the frozen layers met by training samples: h(x) = A x + a there.

    ``pattern`` holds one boolean array per frozen layer (True = unit active); ``samples`` are the
    0-based indices of the training samples in the region.
    """

    pattern: tuple[np.ndarray, ...]
    samples: tuple[int, ...]
    A: np.ndarray  # (d', d)
    a: np.ndarray  # (d',)

    def hidden(self, X) -> np.ndarray:
        """A x + a (valid for x in this region)."""
        return np.asarray(X, dtype=float) @ self.A.T + self.a

    def neuron(self, w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
        """(w^T A, w . a + b): the pre-activation w . h(x) + b as an affine map of x on this region."""
        return self.A.T @ w, float(w @ self.a + b)

    @property
    def pattern_string(self) -> str:
        return " | ".join("".join("1" if on else "0" for on in layer) for layer in self.pattern)


def affine_pieces(frozen_layers, X: np.ndarray) -> list[AffinePiece]:
    """The affine maps of h = h_{L-2} on every activation region that contains training samples,
    ordered by first sample: A = D_k W_k ... D_1 W_1, a_k = D_k (W_k a_{k-1} + b_k)."""
    n, d = X.shape
    patterns = []
    H = X
    for W, b in frozen_layers:
        Z = H @ W.T + b
        patterns.append(Z > 0)
        H = np.maximum(Z, 0.0)
    if not frozen_layers:
        return [AffinePiece(pattern=(), samples=tuple(range(n)), A=np.eye(d), a=np.zeros(d))]
    keys = np.hstack(patterns)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    pieces = []
    for group in np.argsort(first, kind="stable"):
        members = np.flatnonzero(inverse == group)
        i = int(members[0])
        A, a = np.eye(d), np.zeros(d)
        pattern = []
        for (W, b), active in zip(frozen_layers, patterns):
            mask = active[i].astype(float)
            A = mask[:, None] * (W @ A)
            a = mask * (W @ a + b)
            pattern.append(active[i].copy())
        pieces.append(AffinePiece(pattern=tuple(pattern), samples=tuple(int(m) for m in members), A=A, a=a))
    return pieces


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
    from .fitting import fit

    try:
        return fit(H, y, beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept,
                   subsets=subsets, random_state=random_state, method=method, memory_budget=memory_budget)
    except (ImportError, DictionaryTooLargeError) as exc:
        if subsets is not None or method not in ("auto", "colgen"):
            raise
        from .config import options
        from .dictionary import n_candidate_subsets

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
        (ga_relu.colgen, exact) and, where that is unavailable, a sampled dictionary (an upper
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


# ---------------------------------------------------------------------------------------------
# training (full-batch Adam)
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class DeepTraining:
    """The result of :func:`train_deep`: ``layers`` [(W, b), ...], the objective after every step."""

    layers: list
    trace: np.ndarray
    beta: float
    penalty: str
    loss: str

    @property
    def network(self) -> DeepReLUNetwork:
        return DeepReLUNetwork(self.layers)

    @property
    def objective(self) -> float:
        return float(self.trace[-1])

    def __call__(self, X) -> np.ndarray:
        return self.network(X)

    predict = __call__

    def __repr__(self) -> str:
        return f"DeepTraining(widths={self.network.widths}, steps={len(self.trace) - 1}, objective={self.objective:.6g})"


def _penalty_gradient(W: np.ndarray, penalty: str, hidden_layer: bool) -> np.ndarray:
    """d/dW of (1/2) sum over rows ||row||_p^2 (p = 2 for the output layer)."""
    if penalty == "l1" and hidden_layer:
        return np.abs(W).sum(axis=1, keepdims=True) * np.sign(W)
    return W


def deep_objective_and_gradients(params: list, X: np.ndarray, Y: np.ndarray, *, beta: float, penalty: str,
                                 loss: str) -> tuple[float, list]:
    """Value and gradients of L(f(X), Y) + (beta/2) sum_l sum_rows ||row of W_l||_p^2 by backpropagation.

    ``params`` = [W_1, b_1, ..., W_L, b_L]; Y has shape (n, c).  With G = dL/dF (n, c) and
    Z_l the pre-activations: dW_l = G_l^T h_{l-1} + beta * (penalty gradient), db_l = 1^T G_l,
    G_{l-1} = (G_l W_l) * 1[Z_{l-1} > 0] (the ReLU's derivative taken as 1[z > 0]).
    """
    L = len(params) // 2
    acts, pre = [X], []
    for l in range(L):
        Z = acts[-1] @ params[2 * l].T + params[2 * l + 1]
        pre.append(Z)
        acts.append(np.maximum(Z, 0.0) if l < L - 1 else Z)
    F = acts[-1]
    reg = 0.0
    for l in range(L):
        W = params[2 * l]
        rows = np.abs(W).sum(axis=1) if (penalty == "l1" and l < L - 1) else np.linalg.norm(W, axis=1)
        reg += 0.5 * float(np.sum(rows**2))
    value = loss_value(loss, F, Y) + beta * reg
    G = loss_gradient(loss, F, Y)
    grads = [None] * len(params)
    for l in range(L - 1, -1, -1):
        W = params[2 * l]
        grads[2 * l] = G.T @ acts[l] + beta * _penalty_gradient(W, penalty, l < L - 1)
        grads[2 * l + 1] = G.sum(axis=0)
        if l:
            G = (G @ W) * (pre[l - 1] > 0)
    return value, grads


def train_deep(X, y, *, widths=(16, 16), beta: float, steps: int = 2000, learning_rate: float = 1e-2,
               random_state=None, penalty: str = "l2", loss: str = "squared", init_scale: float = 1.0) -> DeepTraining:
    r"""Train a deep ReLU network by full-batch Adam (numpy), a baseline to explain with :func:`explain_deep`.

    Minimizes  L(f(X), y) + (beta/2) sum_l sum_rows ||row of W_l||_p^2  (p = 2: weight decay on
    every weight matrix; p = 1 on the hidden layers' rows with "l1"; biases not penalized) over
    x -> relu(W_1 x + b_1) -> ... -> W_L h + b_L with hidden ``widths``.  He-normal
    initialization (times ``init_scale``) from ``random_state``; same seed, same network.
    ``trace[t]`` is the objective after t steps (trace[0]: at initialization).
    """
    X = check_matrix(X)
    loss = check_choice(check_loss(loss), ("squared", "logistic"), "loss for train_deep")
    penalty = check_penalty(penalty)
    beta = check_beta(beta)
    y = check_targets(y, X.shape[0], loss)
    widths = tuple(int(w) for w in np.atleast_1d(widths))
    if not widths or min(widths) < 1:
        raise InvalidInputError(f"widths must be positive integers (one per hidden layer), got {widths}")
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise InvalidInputError(f"steps must be a non-negative integer, got {steps!r}")
    check_beta(learning_rate, "learning_rate")
    rng = check_random_state(random_state)
    n_out = 1 if y.ndim == 1 else y.shape[1]
    sizes = (X.shape[1],) + widths + (n_out,)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params.append(rng.normal(scale=init_scale * math.sqrt(2.0 / fan_in), size=(fan_out, fan_in)))
        params.append(np.zeros(fan_out))
    Y = y[:, None] if y.ndim == 1 else y
    L = len(sizes) - 1

    def value_and_grad(p: dict):
        value, grads = deep_objective_and_gradients([p[i] for i in range(2 * L)], X, Y, beta=beta,
                                                    penalty=penalty, loss=loss)
        return value, dict(enumerate(grads))

    best, _, trace, _, _ = adam(value_and_grad, dict(enumerate(params)), steps=steps, learning_rate=learning_rate)
    params = [best[i] for i in range(2 * L)]
    layers = [(params[2 * l], params[2 * l + 1]) for l in range(L)]
    return DeepTraining(layers=layers, trace=trace, beta=beta, penalty=penalty, loss=loss)
