r"""Exact weight decay: the cone program of Pilanci & Ergen over all activation patterns.

.. math::

    \min\; L\Big(\sum_D D \tilde X (v_D - u_D) + c,\; y\Big) + \beta \sum_D \big(\|v_D[:d]\|_2 + \|u_D[:d]\|_2\big)
    \quad\text{s.t.}\quad (2D - I) \tilde X v_D \ge 0,\; (2D - I) \tilde X u_D \ge 0

over all activation patterns D. Each nonzero v_D gives the neuron w = v / sqrt(||v[:d]||),
alpha = sqrt(||v[:d]||) (alpha < 0 for u_D), whose cost (beta/2)(||w||^2 + alpha^2) = beta ||v[:d]||:
the network's value in (P) equals the program's.

The program's point is not the answer. An interior point leaves every block at round-off and
splits a neuron over adjacent patterns; dropping small blocks moves samples across the hinge
loss's margin, and on badly scaled data (features ~1e8 next to ~1e3) its tolerances are no
accuracy at all. So the steps are:

1. the program is built and solved on a well-scaled copy (:class:`_Frame`: X / a and, for the
   squared loss, y / s with a, s powers of two, beta' = beta / (a s)) -- :func:`exact_program`,
   :func:`_solve`;
2. its blocks only propose the neurons' directions (:func:`_block_directions`); their magnitudes
   are re-solved exactly with the directions fixed (:func:`_polish`: a Lasso over the columns
   relu(X u + c), a HiGHS linear program for the hinge loss);
3. the network is certified over all chambers; while the certificate does not prove optimality,
   the oracle's most violating neuron joins the directions and the magnitudes are polished again
   (:func:`_polish_and_certify`, column generation with exact pricing);
4. the result is called exact only when that certificate proves P - P* <= 1e-6 |P|
   (:data:`EXACT_RELATIVE_GAP`) with Clarabel's chamber maxima; otherwise it is an upper bound
   and says why.

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
import warnings
from typing import Literal

import numpy as np

from ..errors import InvalidInputError, SolverError
from ..networks.relu import ReLUNetwork
from .chambers import Chambers, enumerate_chambers, lift, samples_on_hyperplane
from .dictionary import Dictionary, n_candidate_subsets
from .losses import LossName
from .problem import Problem
from .results import Case, FitResult, Neuron, theorem_case
from .solvers import LassoProgram, solve_cone_program

__all__ = ["ExactProgram", "exact_program", "fit_exact_weight_decay", "solve_exact_weight_decay"]

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


@dataclasses.dataclass(frozen=True)
class _Frame:
    r"""The well-scaled copy of a problem that the cone program and the polish are solved on.

    X = a X' and, for the squared loss, y = s y' (s = 1 for labels), with a and s powers of two so
    that X' and y' are exact. A neuron relu(w . x + b) of the original problem is relu(w' . x' + b)
    with w' = a w, and a block v = (v_w, v_b) of the program maps as v_w = (s / a) v'_w,
    v_b = s v'_b, c = s c'. The data term scales by s^2 (squared loss; 1 for labels) and the penalty
    beta ||v_w|| = beta (s / a) ||v'_w||, so

    .. math:: P(v, c) = s^2 \big[L(f', y') + \beta' \textstyle\sum \|v'_w\|\big], \qquad \beta' = \beta / (a s),

    and the scaled problem at beta' has the same minimizers (mapped as above). Only a common factor
    of all features is allowed: the penalty ||w||_2 is not invariant under per-feature scalings.

    >>> import numpy as np
    >>> frame = _Frame.of(Problem(np.array([[0.0], [3000.0]]), [0.0, 40.0], beta=1.0, penalty="l2"))
    >>> frame.a, frame.s, frame.scaled.beta == 1.0 / (4096 * 32)
    (4096.0, 32.0, True)
    """

    problem: Problem
    scaled: Problem
    a: float
    s: float

    @staticmethod
    def of(problem: Problem) -> _Frame:
        a = _power_of_two(float(np.abs(problem.X).max(initial=0.0)))
        s = 1.0 if problem.loss.classification else _power_of_two(float(np.abs(problem.y).max(initial=0.0)))
        scaled = Problem(problem.X / a, problem.y / s, beta=problem.beta / (a * s), penalty="l2", bias=problem.bias,
                         loss=problem.loss.name, fit_intercept=problem.fit_intercept)
        return _Frame(problem, scaled, a, s)


def _power_of_two(value: float) -> float:
    """2^round(log2 value) (1 for 0 or non-finite values): a scale that divides exactly."""
    if not (value > 0 and math.isfinite(value)):
        return 1.0
    return math.ldexp(1.0, round(math.log2(value)))


#: SCS's settings when Clarabel fails on the program (its point only proposes directions: the
#: polish and the certificate decide what the fit is)
_SCS_FALLBACK = {"eps": 1e-7, "max_iters": 20_000}


def _solve(program: ExactProgram, problem: Problem, verbose: bool) -> tuple[float, str]:
    """Solve in place; the seconds it took and how it was solved.

    The configured solver first (Clarabel: tight, default, unequilibrated and short-step settings,
    :func:`ga_relu.convex.solvers.solve_cone_program`). The program's point only proposes the
    neurons' directions (the polish re-solves their magnitudes, the certificate decides), so when
    that fails -- Clarabel's exponential cones stall on the logistic loss with large margins
    y f ~ 30-50 -- SCS's point at eps = 1e-7 is used instead; SolverError only when both fail.
    """
    import cvxpy as cp

    from ..config import options

    N = program.n_patterns
    start = time.perf_counter()
    failure = None
    try:
        solve_cone_program(program.problem, verbose)
        if program.problem.status == cp.OPTIMAL:
            return time.perf_counter() - start, options.solver
        failure = f"status {program.problem.status!r}"
    except cp.error.SolverError as exc:
        failure = str(exc)
    if options.solver.upper() != "SCS":
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                program.problem.solve(solver="SCS", verbose=verbose, **_SCS_FALLBACK)
            if program.problem.status in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) and program.V.value is not None:
                return time.perf_counter() - start, f"SCS (after {options.solver}: {failure})"
        except cp.error.SolverError:
            pass
    raise SolverError(
        f"{options.solver} failed on the exact weight-decay program ({N} patterns, beta={problem.beta:g}): {failure}"
        "; SCS failed too. Try a larger beta, or method='wedge' for an upper bound")


def _program_value(problem: Problem, program: ExactProgram, Vv, Uv, c_val) -> float:
    """The program's objective at its solution, recomputed in numpy."""
    d = problem.d
    f_prog = np.sum(program.patterns * ((Vv - Uv) @ program.lifted.T), axis=0) + c_val
    return problem.loss.value(f_prog, problem.y) + problem.beta * float(
        np.linalg.norm(Vv[:, :d], axis=1).sum() + np.linalg.norm(Uv[:, :d], axis=1).sum())


#: blocks below this fraction of the total w-norm are the interior point's round-off (~1e-10 of its
#: scale): their directions are noise. Dropping them loses nothing: the directions only propose
#: columns to the polish, and the certificate's oracle brings back any neuron that is missing.
_BLOCK_NOISE = 1e-9


def _block_directions(problem: Problem, Vv: np.ndarray, Uv: np.ndarray) -> np.ndarray:
    """The directions (u, c) = v / ||v_w|| of the program's blocks (rows; ||u||_2 = 1), one per group
    of parallel blocks: the candidate neurons of the polish."""
    d = problem.d
    blocks = np.vstack([Vv, Uv])
    norms = np.linalg.norm(blocks[:, :d], axis=1)
    keep = norms > _BLOCK_NOISE * norms.sum() if norms.sum() > 0 else np.zeros(len(blocks), bool)
    units = blocks[keep] / norms[keep, None]
    return _distinct_directions(units)


def _distinct_directions(units: np.ndarray, tol: float = 1e-9) -> np.ndarray:
    """The rows of ``units`` without near-repeats (an interior point splits one neuron over the
    adjacent patterns of the samples on its hyperplane, with the same direction): rows within
    ``tol`` (they are unit vectors, so this is relative) of an earlier row are dropped. A dropped row
    is a copy of a kept one to 1e-9, so the polish's optimum moves by at most that."""
    kept: list[np.ndarray] = []
    for u in units:
        if not any(np.abs(u - k).max() <= tol for k in kept):
            kept.append(u)
    return np.array(kept).reshape(-1, units.shape[1])


def _direction_columns(frame: _Frame, directions: np.ndarray) -> np.ndarray:
    """K_j = relu(X' u_j + c_j) on the scaled samples: the Lasso columns of fixed directions."""
    return np.maximum(lift(frame.scaled.X, frame.problem.bias) @ directions.T, 0.0)


def _polish(frame: _Frame, directions: np.ndarray) -> tuple[np.ndarray, float]:
    r"""The optimal magnitudes for fixed directions: the Lasso over their columns, exactly.

    .. math:: \min_{z, c}\; L(K' z + c, y') + \beta' \|z\|_1, \qquad K'_j = \mathrm{relu}(X' u_j + c_j),

    a neuron k relu(u . x' + c) with ||u||_2 = 1 costing beta' |k| in (P) once balanced. The solver
    is exact for each loss (:class:`ga_relu.convex.solvers.LassoProgram`: a HiGHS linear program
    for the hinge loss, whose basic solution keeps samples at the margin where they belong, feature-
    sign search for the squared loss, proximal Newton stopped by its KKT conditions for the
    logistic loss), so no coefficient is dropped by a threshold. The constant is free when (P) has
    one (an intercept, or a bias: a neuron with w -> 0 and a large bias). Returns (z, c', lambda') in
    scaled units (lambda' the Lasso's dual; for the hinge loss y mu, mu the LP's margin duals).
    """
    n = frame.scaled.n
    K = _direction_columns(frame, directions) if len(directions) else np.zeros((n, 1))
    solution = LassoProgram(K, frame.scaled.y, loss=frame.problem.loss, fit_intercept=frame.problem.needs_sum_zero,
                            smaller_problem_hint="a larger beta").solve(frame.scaled.beta)
    z = np.asarray(solution.z, dtype=float)
    return (z if len(directions) else np.zeros(0)), float(solution.intercept), np.asarray(solution.lam, dtype=float)


def _network(frame: _Frame, directions: np.ndarray, z: np.ndarray, c_scaled: float) -> ReLUNetwork:
    """The balanced network of the polished magnitudes, in the original units (:class:`_Frame`):
    coefficient k = s z_j on relu(x . u_j / a + c_j), realized as w = t u_j / a, b = t c_j,
    alpha = k / t with t = sqrt(|k| a) (then ||w|| = |alpha|, cost beta |k| / a = s^2 beta' |z_j|)."""
    problem, a, s = frame.problem, frame.a, frame.s
    d = problem.d
    live = np.flatnonzero(z != 0)
    order = live[np.argsort(-np.abs(z[live]), kind="stable")]
    k = s * z[order]
    t = np.sqrt(np.abs(k) * a)
    W = directions[order, :d] / a * t[:, None]
    B = directions[order, d] * t if problem.bias else np.zeros(len(order))
    return ReLUNetwork(W.reshape(-1, d), B, k / t if len(order) else np.zeros(0), s * c_scaled)


def _neurons(problem: Problem, net: ReLUNetwork) -> list:
    """The network's neurons as :class:`Neuron` records (samples on the hyperplane, orientation)."""
    X, d, bias = problem.X, problem.d, problem.bias
    lifted = lift(X, bias)
    neurons = []
    for j in range(net.W.shape[0]):
        w, b, alpha = net.W[j], float(net.b[j]), float(net.alpha[j])
        norm = float(np.linalg.norm(w))
        on = samples_on_hyperplane(X, w, b)
        k = d if bias else d - 1  # the samples that define a hyperplane (none for 1-D without bias)
        block = np.append(w, b) if bias else w
        neurons.append(Neuron(index=j + 1, samples=on, basis=(), sign=_orientation(lifted, on, block, k),
                              weight=w, bias=b, output_weight=alpha, coefficient=alpha * norm,
                              unit_weight=w / norm, unit_bias=b / norm, penalty=problem.penalty.name,
                              has_bias=bias, _points=X))
    return neurons


#: rounds of the refinement (certify, add the oracle's most violating neuron, polish again)
_REFINE_ROUNDS = 4
#: the exact method calls its result exact when its certificate proves P - P* <= this times |P|:
#: the accuracy the property tests demand of an exact claim (the certificate's own default, 1e-4,
#: is the accuracy of "certified", which is weaker)
EXACT_RELATIVE_GAP = 1e-6


def _certify(problem: Problem, net: ReLUNetwork, chambers: Chambers, dual=None):
    """The dual certificate of ``net`` against (P) over all chambers (exhaustive), or None when it
    cannot be formed. ``dual``: lambda to certify with (the hinge LP's y mu; the certificate refuses
    it unless it is a subgradient of the loss at the network's predictions, and then chooses mu
    itself)."""
    from ..certification.certificate import certify
    from ..errors import GaReluError

    def run(**extra):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return certify(net, problem.X, problem.y, beta=problem.beta, penalty="l2", bias=problem.bias,
                           loss=problem.loss.name, fit_intercept=problem.fit_intercept, chambers=chambers,
                           exhaustive=True, max_patterns=max(len(chambers), 1), **extra)

    if dual is not None:
        try:
            return run(dual=dual)
        except GaReluError:
            pass
    try:
        return run()
    except GaReluError:
        return None


def _better(first, second):
    """The certificate that proves more: a smaller gap bound (a missing bound proves nothing)."""
    def key(certificate):
        return float("inf") if certificate is None or certificate.gap_bound is None else certificate.gap_bound
    return first if key(first) <= key(second) else second


def _proved_exact(certificate) -> bool:
    """Whether the certificate proves the fit optimal to :data:`EXACT_RELATIVE_GAP`."""
    return bool(certificate is not None and certificate.optimal and certificate.exhaustive and
                certificate.gap_bound is not None and certificate.relative_gap is not None and
                certificate.relative_gap <= EXACT_RELATIVE_GAP)


def _polish_and_certify(frame: _Frame, directions: np.ndarray, chambers: Chambers):
    """Polish the magnitudes (:func:`_polish`), certify over all chambers, and while the certificate
    does not prove optimality, add its most violating neuron (the chamber oracle's exact maximum)
    as a new direction and polish again: column generation for (P) with exact pricing. Returns
    (network, certificate, rounds, directions)."""
    problem = frame.problem
    certificate, net = None, None
    for rounds in range(1, _REFINE_ROUNDS + 1):
        z, c_scaled, lam_scaled = _polish(frame, directions)
        net = _network(frame, directions, z, c_scaled)
        if problem.loss.quadratic and problem.needs_sum_zero:
            # the exact minimizer over the free constant: sum(lambda) = 0 to round-off
            net.c = problem.loss.optimal_intercept(net(problem.X) - net.c, problem.y, net.c)
        # the hinge loss's lambda = y mu is not a function of the predictions: the polish LP's dual
        # is the restricted problem's optimal dual, the one column generation prices with (and the
        # certificate's own choice of mu, a linear program with cutting planes, costs 10-50x more)
        certificate = _certify(problem, net, chambers, dual=lam_scaled if problem.loss.name == "hinge" else None)
        if certificate is None or _proved_exact(certificate) or certificate.best_neuron is None or \
                not certificate.ratio > 1.0 or not np.isfinite(certificate.ratio):
            break
        best = certificate.best_neuron
        w = np.asarray(best.weight, dtype=float)
        norm = float(np.linalg.norm(w))
        if not norm > 0:
            break
        # scaled units: relu(x . w + b) = relu(x' . (a w) + b), direction (a w, b) / ||a w||
        new = np.append(w / norm, float(best.bias) / (frame.a * norm)) if problem.bias else w / norm
        grown = _distinct_directions(np.vstack([directions, new[None]]))
        if len(grown) == len(directions):
            break
        directions = grown
    if problem.loss.name == "hinge" and not _proved_exact(certificate):
        # the certificate's own choice of mu at the margin can prove more than the LP's dual
        certificate = _better(certificate, _certify(problem, net, chambers))
    return net, certificate, rounds, directions


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


def _patterns(problem: Problem, max_patterns: int) -> tuple[Chambers, float]:
    """All activation patterns, with a hint that names what ``fit(method="exact")`` can pass."""
    start = time.perf_counter()
    chambers = enumerate_chambers(problem.X, bias=problem.bias, max_patterns=max_patterns,
                                  too_large_hint="raise max_patterns (fit(..., method='exact', max_patterns=N)) or "
                                                 "use method='exact_colgen' (d = 2 or 3) or method='wedge' for an upper bound")
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
    from ..config import options

    start = time.perf_counter()
    chambers, enum_time = _patterns(problem, max_patterns)
    frame = _Frame.of(problem)
    program = exact_program(frame.scaled, chambers)
    setup = time.perf_counter() - start
    solve_time, solved_by = _solve(program, frame.scaled, verbose)
    Vv, Uv = np.asarray(program.V.value, float), np.asarray(program.U.value, float)
    c_val = float(program.c.value) if program.c is not None else 0.0
    program_value = _program_value(frame.scaled, program, Vv, Uv, c_val) * frame.s ** 2
    polish_start = time.perf_counter()
    directions = _block_directions(frame.scaled, Vv, Uv)
    net, certificate, rounds, directions = _polish_and_certify(frame, directions, chambers)
    polish_time = time.perf_counter() - polish_start
    neurons = _neurons(problem, net)
    objective = problem.objective(net)
    lam = certificate.dual if certificate is not None else problem.loss.dual_vector(net(problem.X), problem.y)
    dictionary, coefficients = _exact_dictionary(problem, neurons, program.n_patterns)
    # exact only when proved: the certificate over all chambers, with a Clarabel oracle (an SCS
    # oracle's chamber maxima are not accurate enough to trust its ratio)
    accurate_oracle = options.solver.upper() == "CLARABEL"
    exact = _proved_exact(certificate) and accurate_oracle
    if exact:
        description = (f"weight decay: exact cone program over all {program.n_patterns} activation patterns, "
                       f"proved by its certificate (P - P* <= {certificate.gap_bound:.3g})")
    else:
        why = ("its certificate over all chambers could not be formed" if certificate is None else
               f"the chamber maxima were computed by {options.solver}, not to the certificate's accuracy"
               if not accurate_oracle else
               f"its certificate proves only P - P* <= {certificate.gap_bound!r}" if certificate.gap_bound is not None
               else f"its certificate gives no gap bound ({certificate.gap_note})")
        description = (f"weight decay: cone program over all {program.n_patterns} activation patterns, solved by "
                       f"{solved_by}; not proved optimal ({why}): an upper bound")
    theorem = theorem_case(problem.d, problem.penalty, problem.bias).theorem if problem.d == 1 else "T4"
    case = Case(theorem, exact, description)
    info = {"n_patterns": program.n_patterns, "enumeration_time": enum_time, "program_value": program_value,
            "chambers": chambers, "free_constant": float(net.c) - (frame.s * c_val if program.c is not None else 0.0),
            "solver_value": float(program.problem.value) * frame.s ** 2, "solved_by": solved_by,
            "scale": {"X": frame.a, "y": frame.s}, "refinement_rounds": rounds, "n_directions": len(directions),
            "polish_time": polish_time}
    if certificate is not None:
        info["certificate"] = certificate
        info["gap_bound"] = certificate.gap_bound
    if compare_wedge:
        info.update(_wedge_comparison(problem, objective))
    return FitResult(
        network=net, objective=objective, neurons=neurons, case=case, problem=problem, method="exact",
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
