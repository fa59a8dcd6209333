r"""Exact weight decay in the plane by column generation over activation patterns.

The cone program of exact weight decay (:mod:`ga_relu.convex.exact`) has one block pair
(v_D, u_D) per activation pattern D, constrained to the closed cone {(2D - I) X~ v >= 0}:

.. math::

    \min\; L\Big(\sum_{D \in \mathcal{W}} D \tilde X (v_D - u_D) + c,\; y\Big)
    + \beta \sum_{D \in \mathcal{W}} \big(\|v_D[:d]\|_2 + \|u_D[:d]\|_2\big).

Any working set W of patterns gives a network whose value in (P) is that program's value: an
upper bound on inf (P). Enumerating every chamber up front (tens of thousands at n = 160 in the
plane) is what makes the full program slow; most blocks are zero at the optimum.

Column generation solves the program on a small W and prices with the exact dual constraint of
(P): for lambda = -dL/df at the network's predictions, the angular sweep
(:func:`ga_relu.convex.angular_sweep.angular_sweep`) gives M(lambda) = max_{||w||_2 <= 1, b}
|lambda . relu(X w + b)| exactly in O(n^2 log n). Then

* weak duality (:func:`ga_relu.convex.duality.gap_bound`) bounds P(network) - inf (P) from
  lambda and M(lambda), whatever W is; when that bound is within ``tol`` |objective| the loop stops
  with the optimum of (P) to that relative accuracy;
* otherwise the best arcs of the sweep are neurons with |lambda . h| > beta: their activation
  patterns (each with the samples on its line both off and on) join W. A pattern already in W
  cannot be violated at the restricted optimum (its own dual constraint holds there), so every
  round adds new patterns and the loop ends after finitely many rounds.

The result's ``info`` records the rounds, the working-set sizes and the final gap bound; the fit
is checked independently by ``.certificate()`` (the same exact oracle, from the network alone).

>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.5, 0.2]])
>>> problem = Problem(X, [0.0, 1.0, 1.0, 0.0, 0.3], beta=0.1, penalty="l2")
>>> result = solve_pattern_colgen(problem)
>>> result.method, bool(result.info["relative_gap_bound"] <= 1e-6)
('exact_colgen', True)
"""

from __future__ import annotations

import time

import numpy as np

from ..errors import ConvergenceError, InvalidInputError
from ..networks.relu import ReLUNetwork
from .angular_sweep import angular_sweep, sweep_patterns
from .chambers import Chambers, lift, samples_on_hyperplane
from .dictionary import Dictionary
from .duality import gap_bound
from .exact import exact_program
from .problem import Problem
from .results import Case, FitResult, Neuron
from .solvers import solve_cone_program

__all__ = ["solve_pattern_colgen", "PATTERN_COLGEN_OPTIONS"]

#: the options ``fit(method="exact_colgen")`` takes
PATTERN_COLGEN_OPTIONS = ("tol", "max_iter", "batch")

#: the smallest blocks, together at most this fraction of the total weight, are solver noise
#: (interior-point solutions have every block ~1e-10 rather than 0)
_BLOCK_NOISE = 1e-10


def _working_chambers(patterns: np.ndarray, bias: bool, rank: int) -> Chambers:
    """The working set as a :class:`Chambers` (the cone program reads only the patterns)."""
    return Chambers(patterns=patterns, points=np.zeros((len(patterns), 3 if bias else 2)), bias=bias, rank=rank,
                    n_rays=0, n_degenerate_rays=0, seconds=0.0)


def _network(problem: Problem, program, patterns: np.ndarray) -> ReLUNetwork:
    """Blocks -> neurons w = v / sqrt(||v_w||), alpha = +-sqrt(||v_w||); the w ~ 0 part of the
    all-active pattern is a constant (with a bias), the other noise blocks are dropped."""
    d, bias = problem.d, problem.bias
    V, U = np.asarray(program.V.value, float), np.asarray(program.U.value, float)
    blocks = np.vstack([V, U])
    signs = np.concatenate([np.ones(len(V)), -np.ones(len(U))])
    norms = np.linalg.norm(blocks[:, :d], axis=1)
    # drop only the smallest blocks whose norms sum to at most _BLOCK_NOISE of the total: together
    # they move every prediction by at most that fraction of sum ||v|| max ||x~||, so lambda (and the
    # pricing, which divides by beta) sees the program's predictions, not a pruned network's
    order = np.argsort(norms)
    dropped = np.cumsum(norms[order]) <= _BLOCK_NOISE * norms.sum()
    keep = np.ones(len(norms), bool)
    keep[order[dropped]] = False
    keep &= norms > 0
    constant = float(program.c.value) if program.c is not None else 0.0
    if bias:
        all_active = np.concatenate([patterns.all(axis=1)] * 2)
        constant += float(np.sum((signs * blocks[:, d])[~keep & all_active]))
    scale = np.sqrt(norms[keep])
    W = blocks[keep, :d] / scale[:, None]
    b = blocks[keep, d] / scale if bias else np.zeros(int(keep.sum()))
    network = ReLUNetwork(W.reshape(-1, d), b, signs[keep] * scale, constant)
    if problem.loss.quadratic and problem.needs_sum_zero:
        # the exact minimizer over the free constant: the solver leaves ~1e-8 in sum(lambda)
        network.c = problem.loss.optimal_intercept(network(problem.X) - network.c, problem.y, network.c)
    return network


def _tight_network(problem: Problem, network: ReLUNetwork, lam: np.ndarray, tol: float) -> ReLUNetwork:
    """The network without the neurons that do not attain the dual bound (|lambda . h_j| / beta
    - sign alpha_j off by more than ``tol``): interior-point noise, not part of the optimum. The
    caller keeps the result only if its own gap bound still holds."""
    if network.width == 0:
        return network
    norms = np.linalg.norm(network.W, axis=1)
    H = np.maximum(problem.X @ (network.W / norms[:, None]).T + network.b / norms, 0.0)
    residual = np.abs(H.T @ lam / problem.beta - np.sign(network.alpha))
    keep = residual <= tol
    pruned = ReLUNetwork(network.W[keep], network.b[keep], network.alpha[keep], network.c)
    if problem.loss.quadratic and problem.needs_sum_zero:
        pruned.c = problem.loss.optimal_intercept(pruned(problem.X) - pruned.c, problem.y, pruned.c)
    return pruned


def _dual(problem: Problem, program, network: ReLUNetwork) -> np.ndarray:
    f = network(problem.X)
    margin = None if program.margin is None else program.margin.dual_value
    return problem.loss.dual_from_solver(f, problem.y, margin)


def _new_patterns(problem: Problem, lam: np.ndarray, known: set, batch: int) -> tuple[list, object]:
    """Patterns of the sweep's best violating arcs not yet in the working set (the samples on the
    neuron's line off, then on: both closed cones hold the neuron)."""
    sweep = angular_sweep(problem.X, lam, bias=problem.bias, n_best=batch, one_per_anchor=True)
    violating = sweep.arc_bounds > problem.beta
    W, b = sweep.weights[violating], sweep.biases[violating]
    strict = sweep_patterns(problem.X, W, b)
    closed = ~sweep_patterns(problem.X, -W, -b)  # x . w + b >= 0 up to round-off: the line's samples on
    new = []
    for row in np.vstack([strict, closed]):
        key = row.tobytes()
        if key not in known and row.any():
            known.add(key)
            new.append(row)
    return new, sweep


def _result(problem: Problem, network: ReLUNetwork, lam, patterns, program, info, solve_time, setup_time):
    d, bias = problem.d, problem.bias
    neurons = []
    wn = np.linalg.norm(network.W, axis=1)
    for j in range(network.width):
        w, bj, alpha = network.W[j], float(network.b[j]), float(network.alpha[j])
        neurons.append(Neuron(index=j + 1, samples=samples_on_hyperplane(problem.X, w, bj), basis=(), sign=1,
                              weight=w, bias=bj, output_weight=alpha, coefficient=alpha * wn[j],
                              unit_weight=w / wn[j], unit_bias=bj / wn[j], penalty=problem.penalty.name,
                              has_bias=bias, _points=problem.X))
    m = network.width
    dictionary = Dictionary(penalty=problem.penalty.name, bias=bias, n_samples=problem.n, dim=d,
                            subsets=np.zeros((m, 0), dtype=np.intp), weights=(network.W / wn[:, None]).reshape(m, d),
                            biases=network.b / wn if m else np.zeros(0), n_candidates=len(patterns))
    coefficients = np.concatenate([network.alpha * wn, np.zeros(m)])
    case = Case("T4", True, f"weight decay: exact cone program, column generation over {len(patterns)} activation "
                            "patterns priced by the angular sweep")
    return FitResult(network=network, objective=problem.objective(network), neurons=neurons, case=case, problem=problem,
                     method="exact_colgen", dictionary=dictionary, coefficients=coefficients, intercept=network.c,
                     dual=lam, status=program.problem.status, solve_time=solve_time, setup_time=setup_time,
                     lasso_objective=float(program.problem.value), info=info)


def solve_pattern_colgen(problem: Problem, *, tol: float = 1e-6, max_iter: int = 60, batch: int = 40,
                         verbose: bool = False) -> FitResult:
    r"""The exact weight-decay optimum of (P) in the plane by column generation over patterns.

    Parameters
    ----------
    problem : Problem
        Weight decay (penalty "l2"), d = 2, one output.
    tol : float
        Stop when the weak-duality bound P(network) - inf (P) is at most ``tol`` |objective|
        (relative: the bound is in the objective's units).
    max_iter : int
        Most rounds; :class:`~ga_relu.errors.ConvergenceError` beyond.
    batch : int
        Arcs of the sweep turned into patterns per round (each gives two patterns).
    verbose : bool
        Print one line per round.

    Returns
    -------
    FitResult
        Method ``"exact_colgen"``, case T4 (exact); ``info``: ``gap_bound``,
        ``relative_gap_bound``, ``dual_ratio`` (M(lambda) / beta, exact), ``n_patterns``,
        ``rounds``, ``history`` (per round: patterns, objective, ratio, gap).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0], [1.0, 3.0]])
    >>> result = solve_pattern_colgen(Problem(X, [0.0, 1.0, 1.0, 0.0, 2.0], beta=0.05, penalty="l2"))
    >>> result.info["rounds"] >= 1, bool(result.info["dual_ratio"] <= 1 + 1e-4)
    (True, True)
    """
    if problem.penalty.p != 2 or problem.d != 2 or problem.n_outputs != 1:
        raise InvalidInputError(
            "method='exact_colgen' solves weight decay (penalty='l2') in d = 2 with one output; got "
            f"penalty={problem.penalty.name!r}, d={problem.d}, {problem.n_outputs} output(s): use method='exact'")
    for name, value, ok in (("tol", tol, isinstance(tol, (int, float)) and 0 < tol < 1),
                            ("max_iter", max_iter, isinstance(max_iter, int) and max_iter >= 1),
                            ("batch", batch, isinstance(batch, int) and batch >= 1)):
        if not ok or isinstance(value, bool):
            raise InvalidInputError(f"{name} must be {'in (0, 1)' if name == 'tol' else 'a positive integer'}, "
                                    f"got {value!r}")
    start = time.perf_counter()
    rank = int(np.linalg.matrix_rank(lift(problem.X, problem.bias)))
    known: set = set()
    rows = []
    if problem.bias:  # the all-active pattern carries the free constant (w = 0, any b)
        full = np.ones(problem.n, bool)
        known.add(full.tobytes())
        rows.append(full)
    # the first prices: lambda of the best constant network
    f0 = np.full(problem.n, problem.loss.optimal_intercept(np.zeros(problem.n), problem.y, 0.0)
                 if problem.needs_sum_zero else 0.0)
    lam = problem.loss.dual_vector(f0, problem.y)
    new, _ = _new_patterns(problem, lam, known, batch)
    rows += new
    history, solve_time = [], 0.0
    for round_ in range(1, max_iter + 1):
        patterns = np.array(rows, dtype=bool)
        program = exact_program(problem, _working_chambers(patterns, problem.bias, rank))
        t0 = time.perf_counter()
        solve_cone_program(program.problem, verbose=False)
        solve_time += time.perf_counter() - t0
        if program.V.value is None:
            raise ConvergenceError(f"the restricted weight-decay program ({len(patterns)} patterns) returned status "
                                   f"{program.problem.status!r}; rescale X and y to unit scale or use method='exact'")
        network = _network(problem, program, patterns)
        lam = _dual(problem, program, network)
        objective = problem.objective(network)
        new, sweep = _new_patterns(problem, lam, known, batch)
        ratio = sweep.bound / problem.beta
        bound = gap_bound(problem, lam, ratio, objective, width=network.width)
        history.append({"patterns": len(patterns), "objective": objective, "ratio": ratio, "gap": bound.gap})
        if verbose:
            print(f"round {round_}: {len(patterns)} patterns, objective {objective:.10g}, ratio {ratio:.8g}, "
                  f"gap bound {bound.gap}")
        if bound.gap is not None and bound.gap <= tol * max(abs(objective), np.finfo(float).tiny):
            # the optimum without the solver's non-tight neurons, if its own exact gap still holds
            pruned = _tight_network(problem, network, lam, 1e-3)
            pruned_lam = _dual(problem, program, pruned)
            pruned_objective = problem.objective(pruned)
            pruned_bound = gap_bound(problem, pruned_lam,
                                     angular_sweep(problem.X, pruned_lam, bias=problem.bias).bound / problem.beta,
                                     pruned_objective, width=pruned.width)
            if verbose:
                print(f"pruned to {pruned.width} of {network.width} neurons: gap bound {pruned_bound.gap}")
            if pruned_bound.gap is not None and pruned_bound.gap <= tol * max(abs(pruned_objective),
                                                                              np.finfo(float).tiny):
                network, lam, bound = pruned, pruned_lam, pruned_bound
                ratio = bound.ratio
            info = {"gap_bound": bound.gap, "relative_gap_bound": bound.relative, "dual_ratio": ratio,
                    "n_patterns": len(patterns), "rounds": round_, "history": history}
            return _result(problem, network, lam, patterns, program, info, solve_time,
                           time.perf_counter() - start - solve_time)
        if not new:
            raise ConvergenceError(
                f"column generation over patterns stalled after {round_} rounds ({len(patterns)} patterns): the "
                f"sweep's violating patterns are all in the working set (ratio {ratio:.6g}, gap bound {bound.gap}), "
                "so the cone solver's accuracy is the limit; loosen tol or rescale X and y to unit scale")
        rows += new
    raise ConvergenceError(f"column generation over patterns did not reach the gap tolerance in {max_iter} rounds "
                           f"({len(rows)} patterns, last gap bound {history[-1]['gap']}); raise max_iter or batch")
