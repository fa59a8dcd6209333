r"""Deep ReLU networks: freeze the first L-2 layers, solve the last two exactly as a wedge Lasso.

A deep ReLU network with layers (W_1, b_1), ..., (W_L, b_L) computes

    h_0 = x,   h_l = relu(W_l h_{l-1} + b_l)  (l = 1..L-1),   f(x) = W_L h_{L-1} + b_L.

With the first L-2 layers frozen, h(x) := h_{L-2}(x) in R^{d'} is a fixed feature map and the last
two layers are the two-layer network  f = sum_j alpha_j relu(w_j . h + b_j) + c  on the data
H = h(X) (docs/theory/deep.md).  Problem (P) on H,

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

import numpy as np

from ..convex.losses import Loss, LossName, get_loss
from ..convex.penalties import Penalty, PenaltyName, get_penalty
from ..errors import InvalidInputError
from ..validation import check_beta, check_matrix

__all__ = ["DeepReLUNetwork", "DeepLayers", "AffinePiece", "as_layers", "affine_pieces", "layer_penalties", "forward_hidden"]



def layer_penalties(depth: int, penalty: Penalty | PenaltyName) -> list[Penalty]:
    """The norm on each layer's rows: ``penalty`` on the hidden layers, ||.||_2 on the output layer
    (whose rows are the output weights alpha, always weight decay in (P)).

    Examples
    --------
    >>> [p.name for p in layer_penalties(3, "l1")]
    ['l1', 'l1', 'l2']
    """
    return [get_penalty(penalty)] * (depth - 1) + [get_penalty("l2")]


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

    Consecutive layers must chain: W_l has shape (width_l, width_{l-1}) and b_l shape (width_l,);
    a missing bias (None) is 0 and a vector W_l is one output row.

    Raises
    ------
    InvalidInputError
        When consecutive shapes do not chain or a parameter is not finite.

    Examples
    --------
    >>> layers = as_layers([([[1.0, 2.0]], None), ([3.0], [0.5])])
    >>> [(W.shape, b.tolist()) for W, b in layers]
    [((1, 2), [0.0]), ((1, 1), [0.5])]
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


def forward_hidden(layers, X: np.ndarray) -> np.ndarray:
    r"""The hidden representation after every layer in ``layers``, each followed by a ReLU:
    :math:`h_l = \operatorname{relu}(W_l h_{l-1} + b_l)`, :math:`h_0 = x` (one row per sample).

    Examples
    --------
    >>> forward_hidden([(np.array([[1.0, -1.0]]), np.array([0.5]))], np.array([[1.0, 2.0], [2.0, 0.0]]))
    array([[0. ],
           [2.5]])
    """
    H = X
    for W, b in layers:
        H = np.maximum(H @ W.T + b, 0.0)
    return H


class DeepReLUNetwork:
    r""":math:`x \to \operatorname{relu}(W_1 x + b_1) \to \dots \to \operatorname{relu}(W_{L-1} h + b_{L-1})
    \to W_L h + b_L`, as numpy layers (:func:`as_layers` validates them).

    ``__call__`` returns shape (n,) for one output and (n, c) for c outputs.

    Examples
    --------
    >>> net = DeepReLUNetwork([([[1.0], [-1.0]], [0.0, 0.0]), ([[1.0, 1.0]], [0.5])])
    >>> net.depth, net.dim, net.widths
    (2, 1, (2,))
    >>> net([[-2.0], [3.0]])  # |x| + 0.5
    array([2.5, 3.5])
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
        """h_depth(X): the representation after the first ``depth`` layers (default L-1, all hidden).

        Examples
        --------
        >>> DeepReLUNetwork([([[1.0], [-1.0]], None), ([[1.0, 1.0]], None)]).hidden([[2.0]])
        array([[2., 0.]])
        """
        X = self._check(X)
        depth = self.depth - 1 if depth is None else depth
        if not 0 <= depth <= self.depth - 1:
            raise InvalidInputError(f"depth must be in 0..{self.depth - 1}, got {depth}")
        return forward_hidden(self.layers[:depth], X)

    def __call__(self, X) -> np.ndarray:
        W, b = self.layers[-1]
        f = self.hidden(X) @ W.T + b
        return f[:, 0] if f.shape[1] == 1 else f

    predict = __call__

    def regularizer(self, penalty: Penalty | PenaltyName = "l2") -> float:
        r"""(1/2) sum over layers of sum over units of :math:`\|\text{row}\|_p^2` (the output layer
        always with p = 2, :func:`layer_penalties`): for p = 2 this is
        :math:`\tfrac12 \sum_l \|W_l\|_F^2`, weight decay on every weight matrix (biases free).

        Examples
        --------
        >>> DeepReLUNetwork([([[1.0, -2.0]], [0.0]), ([[3.0]], [0.0])]).regularizer("l1")  # (9 + 9) / 2
        9.0
        """
        return 0.5 * sum(float(np.sum(p.norms(W) ** 2)) for p, (W, _) in
                         zip(layer_penalties(self.depth, penalty), self.layers))

    def objective(self, X, y, beta: float, penalty: Penalty | PenaltyName = "l2",
                  loss: Loss | LossName = "squared") -> float:
        r""":math:`L(f(X), y) + \beta \cdot` ``regularizer(penalty)``: what :func:`~ga_relu.baselines.deep_training.train_deep` minimizes.

        Examples
        --------
        >>> net = DeepReLUNetwork([([[1.0]], [0.0]), ([[1.0]], [0.0])])
        >>> net.objective([[1.0]], [1.0], beta=0.5)  # 0 + 0.5 * (1 + 1) / 2
        0.5
        """
        beta, loss = check_beta(beta), get_loss(loss)
        X = self._check(X)
        y = loss.check_targets(y, X.shape[0])
        return loss.value(self(X), y) + beta * self.regularizer(penalty)

    def __repr__(self) -> str:
        return f"DeepReLUNetwork(dim={self.dim}, widths={self.widths}, outputs={self.layers[-1][0].shape[0]})"


class DeepLayers:
    """Mixin for results that hold ``layers`` [(W_1, b_1), ..., (W_L, b_L)]: the network they
    define, and calling it (DeepTraining, DeepExplanation).

    Examples
    --------
    >>> class Trained(DeepLayers):
    ...     layers = [([[1.0]], [0.0]), ([[2.0]], [1.0])]
    >>> Trained().network.widths, Trained()([[3.0]])
    ((1,), array([7.]))
    """

    layers: list

    @property
    def network(self) -> "DeepReLUNetwork":
        """The layers as a :class:`DeepReLUNetwork`."""
        return DeepReLUNetwork(self.layers)

    def __call__(self, X) -> np.ndarray:
        """f(X) of the network the layers define."""
        return self.network(X)

    def predict(self, X) -> np.ndarray:
        """f(X), as :meth:`__call__`."""
        return self(X)


# ---------------------------------------------------------------------------------------------
# affine pieces of the frozen part
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class AffinePiece:
    """One activation region of the frozen layers met by training samples: h(x) = A x + a there.

    ``pattern`` holds one boolean array per frozen layer (True = unit active); ``samples`` are the
    0-based indices of the training samples in the region.

    Examples
    --------
    >>> piece = affine_pieces([(np.array([[1.0], [-1.0]]), np.zeros(2))], np.array([[2.0]]))[0]
    >>> piece.pattern_string, piece.A.tolist(), piece.neuron(np.array([1.0, 1.0]), 0.5)
    ('10', [[1.0], [0.0]], (array([1.]), 0.5))
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
    r"""The affine maps of :math:`h = h_{L-2}` on every activation region that contains training
    samples, ordered by first sample:

    .. math:: A = D_k W_k \cdots D_1 W_1, \qquad a_k = D_k (W_k a_{k-1} + b_k), \quad a_0 = 0,

    with :math:`D_l` the diagonal of the units active on the region.

    Examples
    --------
    >>> X = np.array([[-1.0], [1.0], [2.0]])
    >>> pieces = affine_pieces([(np.array([[1.0]]), np.zeros(1))], X)  # relu(x): two regions
    >>> [(p.samples, p.A.tolist()) for p in pieces]
    [((0,), [[0.0]]), ((1, 2), [[1.0]])]
    """
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
