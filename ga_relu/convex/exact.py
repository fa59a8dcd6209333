r"""Exact weight decay: the cone program of Pilanci & Ergen over all activation patterns.

.. math::

    \min\; L\Big(\sum_D D \tilde X (v_D - u_D) + c,\; y\Big) + \beta \sum_D \big(\|v_D[:d]\|_2 + \|u_D[:d]\|_2\big)
    \quad\text{s.t.}\quad (2D - I) \tilde X v_D \ge 0,\; (2D - I) \tilde X u_D \ge 0

over all activation patterns D. Each nonzero v_D gives the neuron w = v / sqrt(||v[:d]||),
alpha = sqrt(||v[:d]||) (alpha < 0 for u_D), whose cost (beta/2)(||w||^2 + alpha^2) = beta ||v[:d]||:
the network's value in (P) equals the program's.

The steps are separate functions: :func:`exact_program` (build), :func:`_solve` (solve),
:func:`_network_from_blocks` (reconstruction: blocks -> neurons) and :func:`_exact_info`.

>>> import numpy as np
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
>>> result = fit_exact_weight_decay(X, [0.0, 1.0, 1.0, 0.0], beta=0.1, compare_wedge=False)
>>> result.method, result.case.exact
('exact', True)
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Literal

import numpy as np

from ..errors import InvalidInputError, SolverError
from ..networks.relu import ReLUNetwork
from .chambers import Chambers, enumerate_chambers, lift, samples_on_hyperplane
from .dictionary import Dictionary, n_candidate_subsets
from .losses import LossName
from .problem import Problem
from .results import Case, FitResult, Neuron, theorem_case
from .solvers import solve_cone_program

__all__ = ["fit_exact_weight_decay", "solve_exact_weight_decay", "exact_program", "ExactProgram"]

#: blocks below this fraction of the total are solver noise (their hyperplanes are not resolved);
#: dropping an active block of size eps changes the objective by O(eps^2) (it satisfies lambda.h = +-beta)
_BLOCK_NOISE = 1e-6
#: the wedge comparison (info["wedge_objective"], info["gap"]) is made up to this many subsets
_COMPARE_WEDGE_SUBSETS = 200_000


@dataclasses.dataclass
class ExactProgram:
    """The cvxpy program of exact weight decay over the patterns of ``chambers``, and its variables.

    Examples
    --------
    >>> import numpy as np
    >>> problem = Problem(np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), [0.0, 1.0, 2.0], beta=0.1, penalty="l2")
    >>> program = exact_program(problem, enumerate_chambers(problem.X, bias=True))
    >>> program.V.shape[1]
    3
    """

    problem: object  # the cvxpy Problem
    V: object
    U: object
    c: object
    margin: object  # the hinge loss's margin constraint (its dual is mu), else None
    patterns: np.ndarray  # (N, n) as floats
    lifted: np.ndarray  # X~ (n, d + bias)
    setup_time: float = 0.0

    @property
    def n_patterns(self) -> int:
        """N, the activation patterns of the program."""
        return self.patterns.shape[0]


def exact_program(problem: Problem, chambers: Chambers) -> ExactProgram:
    """Build the cone program (module docstring) for ``problem`` over the patterns of ``chambers``.

    Returns
    -------
    ExactProgram

    Examples
    --------
    >>> import numpy as np
    >>> problem = Problem(np.array([[0.0], [1.0], [2.0]]), [0.0, 1.0, 0.0], beta=0.1, penalty="l2")
    >>> exact_program(problem, enumerate_chambers(problem.X, bias=True)).n_patterns
    6
    """
    import cvxpy as cp

    d, y = problem.d, problem.y
    Xt = lift(problem.X, problem.bias)
    Dm = chambers.patterns.astype(float)
    N, Dd = Dm.shape[0], Xt.shape[1]
    S = 2.0 * Dm - 1.0
    V = cp.Variable((N, Dd), name="v")
    U = cp.Variable((N, Dd), name="u")
    pred = cp.sum(cp.multiply(Dm, (V - U) @ Xt.T), axis=0)
    c = cp.Variable(name="c") if problem.fit_intercept else None
    if c is not None:
        pred = pred + c
    reg = cp.sum(cp.norm(V[:, :d], 2, axis=1)) + cp.sum(cp.norm(U[:, :d], 2, axis=1))
    cons = [cp.multiply(S, V @ Xt.T) >= 0, cp.multiply(S, U @ Xt.T) >= 0]
    data, margin = problem.loss.cvxpy_expression(pred, y)
    if margin is not None:
        cons.append(margin)
    prob = cp.Problem(cp.Minimize(data + problem.beta * reg), cons)
    return ExactProgram(prob, V, U, c, margin, Dm, Xt)


def _solve(program: ExactProgram, problem: Problem, verbose: bool) -> float:
    """Solve in place (SolverError unless 'optimal'); the seconds it took."""
    import cvxpy as cp

    from ..config import options

    N = program.n_patterns
    start = time.perf_counter()
    try:
        solve_cone_program(program.problem, verbose)
    except cp.error.SolverError as exc:
        raise SolverError(f"{options.solver} failed on the exact weight-decay program ({N} patterns): {exc}; "
                          "rescale X and y to unit scale or try a larger beta") from exc
    if program.problem.status != cp.OPTIMAL:
        raise SolverError(
            f"{options.solver} returned status {program.problem.status!r} (not 'optimal') on the exact weight-decay "
            f"program ({N} patterns, beta={problem.beta:g}); rescale X and y to unit scale, try a larger beta, or use "
            "method='wedge' for an upper bound"
        )
    return time.perf_counter() - start


def _program_value(problem: Problem, program: ExactProgram, Vv, Uv, c_val) -> float:
    """The program's objective at its solution, recomputed in numpy."""
    d = problem.d
    f_prog = np.sum(program.patterns * ((Vv - Uv) @ program.lifted.T), axis=0) + c_val
    return problem.loss.value(f_prog, problem.y) + problem.beta * float(
        np.linalg.norm(Vv[:, :d], axis=1).sum() + np.linalg.norm(Uv[:, :d], axis=1).sum())


@dataclasses.dataclass
class _Reconstruction:
    network: ReLUNetwork
    neurons: list
    free_constant: float
    n_merged: int


def _network_from_blocks(problem: Problem, program: ExactProgram, chambers: Chambers, Vv, Uv,
                         c_val: float) -> _Reconstruction:
    """Blocks v_D, u_D -> neurons: noise dropped, the parallel pieces of one neuron merged, the
    w ~ 0 parts of the all-active pattern turned into a constant (with a bias)."""
    X, d, bias = problem.X, problem.d, problem.bias
    N = program.n_patterns
    blocks = np.vstack([Vv, Uv])
    signs = np.concatenate([np.ones(N), -np.ones(N)])
    norms = np.linalg.norm(blocks[:, :d], axis=1)
    top = float(norms.max(initial=0.0))
    active = np.flatnonzero(norms > _BLOCK_NOISE * norms.sum()) if top > 0 else np.zeros(0, int)
    free_constant = 0.0
    if bias:  # w ~ 0 parts: constants on the all-active pattern (or nothing on the all-inactive one)
        pat = np.concatenate([chambers.patterns.all(axis=1)] * 2)
        dead = np.setdiff1d(np.arange(2 * N), active)
        free_constant = float(np.sum(signs[dead] * blocks[dead, d] * pat[dead]))
    merged, merged_signs = _merge_parallel(blocks[active], signs[active], d)
    norms = np.linalg.norm(merged[:, :d], axis=1)
    order = np.argsort(-norms, kind="stable")
    blocks, signs, norms = merged[order], merged_signs[order], norms[order]
    W, B, A, neurons = [], [], [], []
    for j in range(len(blocks)):
        scale = math.sqrt(norms[j])
        w, b = blocks[j, :d] / scale, (blocks[j, d] / scale if bias else 0.0)
        alpha = signs[j] * scale
        W.append(w), B.append(b), A.append(alpha)
        on = samples_on_hyperplane(X, w, b)
        k = d if bias else d - 1  # the samples that define a hyperplane (none for 1-D without bias)
        neurons.append(Neuron(index=j + 1, samples=on, basis=(), sign=_orientation(program.lifted, on, blocks[j], k),
                              weight=w, bias=float(b), output_weight=float(alpha),
                              coefficient=float(signs[j] * norms[j]), unit_weight=w / np.linalg.norm(w),
                              unit_bias=float(b / np.linalg.norm(w)), penalty=problem.penalty.name, has_bias=bias,
                              _points=X))
    c_net = c_val + free_constant
    if W:
        net = ReLUNetwork(np.array(W), np.array(B), np.array(A), c_net)
    else:
        net = ReLUNetwork(np.zeros((0, d)), np.zeros(0), np.zeros(0), c_net)
    return _Reconstruction(net, neurons, free_constant, len(active) - len(merged))


def _orientation(lifted: np.ndarray, on: tuple, block: np.ndarray, k: int) -> int:
    """+1 or -1: the neuron's side against the wedge of its defining samples, when exactly k of them
    lie on its hyperplane (else +1)."""
    if len(on) != k or k < 1:
        return 1
    from ..algebra.batched import cross_batch

    v_s = cross_batch(lifted[np.array(on)][None])[0]
    return 1 if float(v_s @ block) >= 0 else -1


def _exact_dictionary(problem: Problem, neurons: list, n_patterns: int) -> tuple[Dictionary, np.ndarray]:
    """The neurons' unit weights as a dictionary (one column pair per neuron) and the coefficients
    that reproduce the network on it."""
    m, d = len(neurons), problem.d
    dictionary = Dictionary(penalty=problem.penalty.name, bias=problem.bias, n_samples=problem.n, dim=d,
                            subsets=np.zeros((m, 0), dtype=np.intp),
                            weights=np.array([nr.unit_weight for nr in neurons]).reshape(m, d),
                            biases=np.array([nr.unit_bias for nr in neurons]), n_candidates=n_patterns)
    coefficients = np.concatenate([[nr.coefficient for nr in neurons], np.zeros(m)])
    return dictionary, coefficients


def _wedge_comparison(problem: Problem, objective: float) -> dict:
    """The wedge dictionary's value (an upper bound, T4) and its relative gap to the exact optimum,
    when the dictionary is small enough to solve."""
    if problem.d < 2 or n_candidate_subsets(problem.n, problem.d, problem.penalty.name,
                                            problem.bias) > _COMPARE_WEDGE_SUBSETS:
        return {}
    from .wedge import fit_wedge

    wedge = fit_wedge(problem)
    return {"wedge_objective": wedge.objective,
            "gap": (wedge.objective - objective) / max(abs(objective), 1e-300)}


def _exact_info(program: ExactProgram, chambers: Chambers, enum_time: float, program_value: float,
                built: _Reconstruction) -> dict:
    """``result.info`` of the exact method."""
    return {"n_patterns": program.n_patterns, "enumeration_time": enum_time, "program_value": program_value,
            "chambers": chambers, "free_constant": built.free_constant, "solver_value": float(program.problem.value),
            "n_merged": built.n_merged}


def _patterns(problem: Problem, max_patterns: int) -> tuple[Chambers, float]:
    """All activation patterns, with a hint that names what ``fit(method="exact")`` can pass."""
    start = time.perf_counter()
    chambers = enumerate_chambers(problem.X, bias=problem.bias, max_patterns=max_patterns,
                                  too_large_hint="raise max_patterns (fit(..., method='exact', max_patterns=N)) or "
                                                 "use method='wedge' for an upper bound")
    return chambers, time.perf_counter() - start


def solve_exact_weight_decay(problem: Problem, *, verbose: bool = False, max_patterns: int = 10_000,
                             compare_wedge: bool = True) -> FitResult:
    """The exact method on a validated problem (:func:`fit_exact_weight_decay` for the keyword form).

    Examples
    --------
    >>> import numpy as np
    >>> problem = Problem(np.array([[0.0], [1.0], [2.0]]), [0.0, 1.0, 0.0], beta=0.1, penalty="l2")
    >>> solve_exact_weight_decay(problem).case.theorem
    'T3'
    """
    if problem.penalty.p != 2:
        raise InvalidInputError(
            f"method='exact' solves weight decay (penalty='l2'); for penalty={problem.penalty.name!r} the wedge Lasso "
            "is already exact (T1/T2): use method='wedge' or 'colgen'"
        )
    if problem.n_outputs != 1:
        raise InvalidInputError("method='exact' supports one output; use penalty='l1' for vector outputs (T5)")
    start = time.perf_counter()
    chambers, enum_time = _patterns(problem, max_patterns)
    program = exact_program(problem, chambers)
    setup = time.perf_counter() - start
    solve_time = _solve(program, problem, verbose)
    Vv, Uv = np.asarray(program.V.value, float), np.asarray(program.U.value, float)
    c_val = float(program.c.value) if program.c is not None else 0.0
    program_value = _program_value(problem, program, Vv, Uv, c_val)
    built = _network_from_blocks(problem, program, chambers, Vv, Uv, c_val)
    net, loss, X, y = built.network, problem.loss, problem.X, problem.y
    if loss.quadratic and problem.needs_sum_zero:
        # the exact minimizer over the unpenalized constant: removes the solver's ~1e-5 residue in
        # sum(lambda), which the certificate needs to be zero when a constant is free
        net.c = loss.optimal_intercept(net(X) - net.c, y, net.c)
    objective = problem.objective(net)
    f = net(X)
    lam = loss.dual_from_solver(f, y, None if program.margin is None else program.margin.dual_value)
    dictionary, coefficients = _exact_dictionary(problem, built.neurons, program.n_patterns)
    case = theorem_case(problem.d, problem.penalty, problem.bias) if problem.d == 1 else Case(
        "T4", True, f"weight decay: exact cone program over all {program.n_patterns} activation patterns")
    info = _exact_info(program, chambers, enum_time, program_value, built)
    if compare_wedge:
        info.update(_wedge_comparison(problem, objective))
    return FitResult(
        network=net, objective=objective, neurons=built.neurons, case=case, problem=problem, method="exact",
        dictionary=dictionary, coefficients=coefficients, intercept=net.c, dual=lam, status=program.problem.status,
        solve_time=solve_time, setup_time=setup, lasso_objective=program_value, info=info,
    )


def fit_exact_weight_decay(X, y, *, beta: float, penalty: Literal["l2"] = "l2", bias: bool = True, loss: LossName = "squared",
                           fit_intercept: bool = True, verbose: bool = False, max_patterns: int = 10_000,
                           compare_wedge: bool = True) -> FitResult:
    """The exact optimum of (P) with weight decay: the cone program of Pilanci & Ergen over all
    activation patterns (module docstring), patterns enumerated from wedge rays (ga_relu.convex.chambers).

    With a bias, the constant function is free in (P) (a neuron with a large bias), so the program's
    pattern "all samples active" carries a free constant; its part with w = 0 becomes the intercept c.
    Hence with bias=True, fit_intercept=False the result may still have c != 0 (info["free_constant"]):
    the infimum of (P) is the same with and without an intercept.

    Parameters
    ----------
    X, y, beta, bias, loss, fit_intercept
        Problem (P), as in :func:`ga_relu.fit`.
    penalty : {"l2"}
        Weight decay (the only penalty this program solves).
    verbose : bool
        The solver's output.
    max_patterns : int
        EnumerationTooLargeError when the arrangement can have more activation patterns.
    compare_wedge : bool
        Also solve the wedge dictionary (when it has at most 200,000 subsets) and report its gap.

    Returns
    -------
    FitResult
        Case T4 (exact), method "exact"; neurons list as ``samples`` those on their hyperplane
        (within 1e-7 relative); ``dictionary`` holds the neurons' unit weights (one column pair per
        neuron; ``coefficients`` reproduce the network); info: n_patterns, enumeration_time,
        program_value, chambers, and wedge_objective / gap (relative) when ``compare_wedge``.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> result = fit_exact_weight_decay(X, [0.0, 1.0, 1.0, 0.0], beta=0.1)
    >>> bool(result.info["gap"] >= -1e-6)
    True
    """
    problem = Problem(X, y, beta=beta, penalty=penalty, bias=bias, loss=loss,
                      fit_intercept=fit_intercept).require_hyperplanes()
    return solve_exact_weight_decay(problem, verbose=verbose, max_patterns=max_patterns, compare_wedge=compare_wedge)


def _merge_parallel(blocks: np.ndarray, signs: np.ndarray, d: int, tol: float = 1e-6):
    """Sum blocks v (same output sign) that are parallel to within ``tol``: an interior-point solver
    splits one optimal neuron over the adjacent patterns of the samples on its hyperplane. Parallel
    v's have the same ReLU pattern up to those samples (where x~.v ~ 0), so the sum is the same
    function and ||sum w|| = sum ||w||: objective unchanged up to solver tolerance."""
    unit = blocks / np.linalg.norm(blocks[:, :d], axis=1, keepdims=True)
    out, out_signs, used = [], [], np.zeros(len(blocks), bool)
    for i in range(len(blocks)):
        if used[i]:
            continue
        group = np.flatnonzero(~used & (signs == signs[i]) & (np.abs(unit - unit[i]).max(axis=1) <= tol))
        used[group] = True
        out.append(blocks[group].sum(axis=0))
        out_signs.append(signs[i])
    return np.array(out).reshape(-1, blocks.shape[1]), np.array(out_signs)
