"""Deep networks: the last two layers of a trained three-layer network re-solved exactly on the
frozen hidden representations (docs/theory/deep.md), checked against independent computations."""

import itertools

import numpy as np
import pytest

from ga_relu.interfaces.datasets import make_spiral
from ga_relu.networks.deep import DeepReLUNetwork, as_layers
from ga_relu.baselines.deep_training import deep_objective_and_gradients
from ga_relu.explain.deep import explain_deep
from ga_relu.baselines.deep_training import train_deep
from ga_relu.convex.dictionary import iter_dictionary_chunks
from ga_relu.errors import InvalidInputError

BETA = 0.05


def forward_by_loops(layers, X):
    """Independent forward pass, one sample and one unit at a time: (hidden per layer, output)."""
    hidden = []
    for x in X:
        h = list(x)
        per_layer = []
        for W, b in layers[:-1]:
            h = [max(0.0, sum(W[u, k] * h[k] for k in range(len(h))) + b[u]) for u in range(W.shape[0])]
            per_layer.append(h)
        hidden.append(per_layer)
    W, b = layers[-1]
    out = np.array([[sum(W[o, k] * hl[-1][k] for k in range(W.shape[1])) + b[o] for o in range(W.shape[0])]
                    for hl in hidden])
    return hidden, out[:, 0]


@pytest.fixture(scope="module")
def spiral_explained():
    X, y = make_spiral(30, turns=1.0, noise=0.0)
    trained = train_deep(X, y, widths=(3, 8), beta=1e-3, steps=3000, learning_rate=1e-2, penalty="l1",
                         random_state=1)
    return X, y, trained, explain_deep(trained, X, y, beta=BETA, penalty="l1")


def test_spiral_last_two_layers_certified_optimal(spiral_explained):
    X, y, trained, ex = spiral_explained
    assert ex.exact and ex.fit.case.theorem == "T2"
    assert ex.ratio <= 1 + 1e-4
    # independent check of the certificate: every neuron of the full T2 dictionary on H, and dense
    # random neurons (||w||_1 = 1, the bias at every kink b = -w . h_k), priced by |lambda . relu|
    hidden, _ = forward_by_loops(trained.layers, X)
    H = np.array([h[0] for h in hidden])
    lam = y - ex(X)
    assert abs(lam.sum()) < 1e-6  # the free intercept
    best = 0.0
    for chunk in iter_dictionary_chunks(H, penalty="l1", bias=True):
        P = chunk.preactivations(H)
        best = max(best, np.abs(lam @ np.maximum(P, 0)).max(), np.abs(lam @ np.maximum(-P, 0)).max())
    rng = np.random.default_rng(1)
    W = rng.laplace(size=(4000, H.shape[1]))
    W /= np.abs(W).sum(axis=1, keepdims=True)
    HW = H @ W.T  # (n, m): every bias -h_k . w puts a kink at sample k
    for k in range(H.shape[0]):
        best = max(best, np.abs(lam @ np.maximum(HW - HW[k], 0)).max())
    assert best / BETA <= 1 + 1e-4
    assert abs(best / BETA - ex.ratio) < 1e-3  # the random search does not beat the dictionary


def test_objective_before_and_after(spiral_explained):
    X, y, trained, ex = spiral_explained
    (W2, _), (W3, _) = trained.layers[1], trained.layers[2]
    _, f = forward_by_loops(trained.layers, X)
    before = 0.5 * np.sum((f - y) ** 2) + BETA / 2 * (np.sum(np.abs(W2).sum(axis=1) ** 2) + np.sum(W3**2))
    assert ex.objective_before == pytest.approx(before, rel=1e-10)
    assert ex.before_feasible
    assert ex.objective_after <= ex.objective_before + 1e-7
    # the explained network's value in (P) on H, recomputed by loops
    (V2, _), (V3, _) = ex.layers[1], ex.layers[2]
    _, g = forward_by_loops(ex.layers, X)
    after = 0.5 * np.sum((g - y) ** 2) + BETA / 2 * (np.sum(np.abs(V2).sum(axis=1) ** 2) + np.sum(V3**2))
    assert ex.objective_after == pytest.approx(after, rel=1e-9)
    assert np.allclose(ex(X), g, atol=1e-12)


def test_frozen_part_is_reproduced(spiral_explained):
    X, y, trained, ex = spiral_explained
    W1, b1 = trained.layers[0]
    assert np.array_equal(ex.layers[0][0], W1) and np.array_equal(ex.layers[0][1], b1)
    hidden, _ = forward_by_loops(ex.layers, X)
    H_loops = np.array([h[0] for h in hidden])
    assert np.allclose(ex.network.hidden(X, depth=1), H_loops, atol=1e-13)
    assert np.allclose(ex.hidden, H_loops, atol=1e-13)
    # new inputs: the frozen part of both networks agrees everywhere
    Z = np.random.default_rng(5).normal(size=(50, 2))
    assert np.array_equal(ex.network.hidden(Z, depth=1), trained.network.hidden(Z, depth=1))


def test_an_optimal_network_is_reproduced(spiral_explained):
    X, y, trained, ex = spiral_explained
    again = explain_deep(ex, X, y, beta=BETA, penalty="l1")
    assert again.objective_before == pytest.approx(ex.objective_after, rel=1e-12)
    assert again.objective_after == pytest.approx(again.objective_before, rel=1e-6)
    # squared loss: the optimal predictions at the training points are unique
    assert np.allclose(again(X), ex(X), atol=1e-4)


def test_affine_pieces_reproduce_penultimate_preactivations(spiral_explained):
    X, y, trained, ex = spiral_explained
    hidden, _ = forward_by_loops(ex.layers, X)
    W2, b2 = ex.layers[1]
    seen = sorted(i for piece in ex.pieces for i in piece.samples)
    assert seen == list(range(len(X)))  # the regions partition the training samples
    for piece in ex.pieces:
        for i in piece.samples:
            h = np.array(hidden[i][0])
            assert np.array_equal(piece.pattern[0], (X[i] @ trained.layers[0][0].T + trained.layers[0][1]) > 0)
            for j, nr in enumerate(ex.neurons):
                v, c = piece.neuron(nr.weight, nr.bias)
                direct = sum(W2[j, k] * h[k] for k in range(len(h))) + b2[j]
                assert v @ X[i] + c == pytest.approx(direct, abs=1e-10)
    assert "region" in ex.pieces_table(max_pieces=2)


def test_neurons_are_cross_products_of_hidden_samples(spiral_explained):
    X, y, trained, ex = spiral_explained
    H = ex.hidden
    d = H.shape[1]
    rng = np.random.default_rng(3)
    for nr in ex.neurons:
        rows = [np.append(H[i], 1.0) for i in nr.samples] + [np.eye(d + 1)[k] for k in nr.basis]
        assert len(rows) == d
        # the cofactor vector: v . z = det[z; rows] for every z (Laplace expansion, numpy determinants)
        v = np.array([np.linalg.det(np.vstack([np.eye(d + 1)[k]] + rows)) for k in range(d + 1)])
        wb = np.append(nr.weight, nr.bias)
        assert np.linalg.norm(v) > 1e-10
        cos = abs(v @ wb) / (np.linalg.norm(v) * np.linalg.norm(wb))
        assert cos == pytest.approx(1.0, abs=1e-9)
        z = np.append(rng.normal(size=d), 1.0)
        assert np.linalg.det(np.vstack([z] + rows)) == pytest.approx(v @ z, rel=1e-8, abs=1e-12)
        # it vanishes on its defining hidden points
        for i in nr.samples:
            assert abs(H[i] @ nr.weight + nr.bias) < 1e-9 * (1 + np.abs(nr.weight).sum())


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(7, 2)), rng.normal(size=(7, 1))
    params = [rng.normal(size=(4, 2)), rng.normal(size=4), rng.normal(size=(3, 4)), rng.normal(size=3),
              rng.normal(size=(1, 3)), rng.normal(size=1)]
    for penalty in ("l2", "l1"):
        value, grads = deep_objective_and_gradients(params, X, Y, beta=0.3, penalty=penalty, loss="squared")
        assert value == pytest.approx(DeepReLUNetwork([(params[0], params[1]), (params[2], params[3]),
                                                       (params[4], params[5])]).objective(X, Y[:, 0], 0.3, penalty))
        for p, g in zip(params, grads):
            for idx in itertools.islice(np.ndindex(p.shape), 6):
                old = p[idx]
                p[idx] = old + 1e-6
                up, _ = deep_objective_and_gradients(params, X, Y, beta=0.3, penalty=penalty, loss="squared")
                p[idx] = old - 1e-6
                down, _ = deep_objective_and_gradients(params, X, Y, beta=0.3, penalty=penalty, loss="squared")
                p[idx] = old
                assert g[idx] == pytest.approx((up - down) / 2e-6, rel=1e-4, abs=1e-6)


def test_train_deep_is_seeded_and_descends():
    X, y = make_spiral(20)
    a = train_deep(X, y, widths=(5, 4), beta=1e-2, steps=200, random_state=7, loss="logistic")
    b = train_deep(X, y, widths=(5, 4), beta=1e-2, steps=200, random_state=7, loss="logistic")
    for (Wa, ba), (Wb, bb) in zip(a.layers, b.layers):
        assert np.array_equal(Wa, Wb) and np.array_equal(ba, bb)
    assert a.trace[-1] < 0.5 * a.trace[0]
    assert a.objective == pytest.approx(a.network.objective(X, y, 1e-2, "l2", "logistic"), rel=1e-12)


def test_train_deep_objective_is_that_of_the_returned_layers():
    """With a step size large enough that Adam's last iterate is not its best, ``objective`` is the
    objective of ``layers`` (the best iterate), recomputed here from the layers alone."""
    X, y = make_spiral(20)
    run = train_deep(X, y, widths=(5, 4), beta=1e-2, steps=60, learning_rate=1.0, random_state=3)
    assert run.trace[-1] > run.trace.min() * (1 + 1e-3)  # the setting this test is about
    params = [p for layer in run.layers for p in layer]
    by_backprop, _ = deep_objective_and_gradients(params, X, y[:, None], beta=1e-2, penalty="l2", loss="squared")
    F = np.maximum(np.maximum(X @ params[0].T + params[1], 0) @ params[2].T + params[3], 0) @ params[4].T + params[5]
    by_hand = 0.5 * np.sum((F[:, 0] - y) ** 2) + 0.5e-2 * sum(np.sum(W**2) for W in params[::2])
    assert run.objective == pytest.approx(by_hand, rel=1e-12)
    assert run.objective == pytest.approx(by_backprop, rel=1e-12)
    assert run.objective == pytest.approx(run.trace.min(), rel=1e-12)


def test_weight_decay_is_flagged_as_upper_bound():
    X, y = make_spiral(12)
    trained = train_deep(X, y, widths=(2, 3), beta=1e-2, steps=50, random_state=0)
    ex = explain_deep(trained, X, y, beta=0.1, penalty="l2")
    assert not ex.exact and "upper bound" in ex.summary()


def test_bad_layers_raise_clear_errors():
    X, y = make_spiral(10)
    good = [(np.ones((3, 2)), np.zeros(3)), (np.ones((4, 3)), np.zeros(4)), (np.ones((1, 4)), np.zeros(1))]
    with pytest.raises(InvalidInputError, match="do not chain"):
        as_layers([(np.ones((3, 2)), np.zeros(3)), (np.ones((4, 5)), np.zeros(4)), (np.ones((1, 4)), np.zeros(1))])
    with pytest.raises(InvalidInputError, match="one bias per output unit"):
        as_layers([(np.ones((3, 2)), np.zeros(2)), (np.ones((1, 3)), np.zeros(1))])
    with pytest.raises(InvalidInputError, match="at least 2 layers"):
        as_layers([(np.ones((1, 2)), np.zeros(1))])
    with pytest.raises(InvalidInputError, match="takes 2 inputs"):
        explain_deep(good, np.ones((10, 3)), y, beta=0.1)
    with pytest.raises(InvalidInputError, match="output"):
        explain_deep(good, X, np.ones((10, 2)), beta=0.1)
    with pytest.raises(InvalidInputError, match="beta"):
        explain_deep(good, X, y, beta=-1.0)


def test_torch_sequential_is_accepted():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 4), torch.nn.ReLU(),
                                torch.nn.Linear(4, 1)).double()
    X, y = make_spiral(16)
    layers = as_layers(model)
    with torch.no_grad():
        expected = model(torch.from_numpy(X)).numpy()[:, 0]
    assert np.allclose(DeepReLUNetwork(layers)(X), expected, atol=1e-12)
    with pytest.raises(InvalidInputError, match="only Linear and ReLU"):
        as_layers(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1)))


# ---------------------------------------------------------------------------------------------
# 1-D three-layer networks (ga_relu.experimental.mirrors)
# ---------------------------------------------------------------------------------------------


def test_reflection_derived_symbolically():
    import sympy as sp

    from ga_relu.experimental.mirrors import derive_reflection

    out = derive_reflection()
    x, xp, xq, xi, xk = sp.symbols("x x_p x_q x_i x_k", real=True)
    assert sp.simplify(out["inner"] - (x - xp)) == 0
    assert set(out["mirror_zeros"]) == {xq, 2 * xp - xq}
    # the outer line through h(x_i) = (x_i - x_p, 0, 1), h(x_k) = (0, x_p - x_k, 1): determinants
    n = out["block2_normal"]
    for point in ([xi - xp, 0, 1], [0, xp - xk, 1]):
        assert sp.simplify(sum(n[j] * point[j] for j in range(3))) == 0
    z = sp.symbols("z0:3")
    det = sp.Matrix([list(z), [xi - xp, 0, 1], [0, xp - xk, 1]]).det(method="berkowitz")
    assert sp.expand(det - sum(n[j] * z[j] for j in range(3))) == 0


@pytest.mark.parametrize("kind, inner, width", [("chain", "relu", 1), ("block2", "relu", 2), ("mirror", "abs", 1)])
def test_three_layer_dictionaries_pass_the_dense_certificate(kind, inner, width):
    from ga_relu.experimental.mirrors import dense_ratio, dictionary_ratio, fit_three_layer

    rng = np.random.default_rng(2)
    x = np.sort(rng.uniform(-1, 1, 7))
    y = rng.normal(size=7)
    fit = fit_three_layer(x, y, beta=0.05, kind=kind)
    assert dictionary_ratio(fit) <= 1 + 1e-6
    ratio, _ = dense_ratio(x, fit.dual, 0.05, inner=inner, width=width, draws=20_000, random_state=0)
    assert ratio <= 1 + 1e-5
    # the fitted features evaluated independently: relu(sum_k v_k act(s_k (x - a_k)) + d)
    D = fit.dictionary
    act = (lambda t: max(t, 0.0)) if inner == "relu" else abs
    for j in rng.choice(len(D), 5, replace=False):
        for i in range(7):
            u = sum(D.v[j, k] * act(D.s[j, k] * (x[i] - D.a[j, k])) for k in range(D.a.shape[1]))
            assert D(x)[i, j] == pytest.approx(max(u + D.d[j], 0.0), abs=1e-12)


def test_two_layer_dictionary_is_not_optimal_for_three_layers():
    from ga_relu.experimental.mirrors import dense_ratio, fit_three_layer

    rng = np.random.default_rng(2)
    x = np.sort(rng.uniform(-1, 1, 7))
    y = rng.normal(size=7)
    two = fit_three_layer(x, y, beta=0.05, kind="two_layer")
    chain = fit_three_layer(x, y, beta=0.05, kind="chain")
    ratio, best = dense_ratio(x, two.dual, 0.05, inner="relu", width=1, draws=20_000, random_state=0)
    assert ratio > 1.01 and chain.objective < two.objective - 1e-4
