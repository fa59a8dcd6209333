r"""Dual certificates of global optimality for any two-layer ReLU network.

For a network f with predictions f(X), let lambda = -dL/df at f(X) (the residual y - f for the
squared loss). The network is a global optimum of

    (P)  L(f(X), y) + (beta/2) sum_j (||w_j||_p^2 + alpha_j^2)

among networks of every width iff

    ratio = max_{||w||_p <= 1, b} |lambda . relu(X w + b)| / beta <= 1,

every neuron of the network attains the bound with the sign of its output weight
(lambda . relu(X u_j + c_j) = beta sign(alpha_j), (u_j, c_j) = (w_j, b_j) / ||w_j||_p), the neurons are
balanced (||w_j||_p = |alpha_j|), and sum(lambda) = 0 when the intercept is free. With a bias the
constant function is free in (P) (a neuron with a large bias), so sum(lambda) = 0 is needed even
without an intercept: otherwise the ratio is infinite.

The maximum comes from an oracle of :mod:`ga_relu.certification.oracles`: exact over all vertices
(l1 penalty, and d = 1) or all chambers (l2 penalty), or a lower bound by random search
(``exhaustive=False``).

**What "certified optimal" means.** The first-order conditions above hold only up to the solver's
accuracy, so they alone prove nothing. The proof is the gap bound (weak duality of the convex
reformulation, valid for every width, :func:`ga_relu.convex.duality.gap_bound`): for lambda'
feasible in the dual (ratio(lambda') <= 1 and sum lambda' = 0 when needed),

    (P)(network) - inf (P) <= (P)(network) - D(lambda'),
    D(lambda) = lambda . y - ||lambda||^2 / 2           (squared)
              = sum_i H(y_i lambda_i), H binary entropy  (logistic)
              = sum_i y_i lambda_i                      (hinge),

with lambda' = lambda / max(1, ratio) after moving sum(lambda) onto one sample when it is not
exactly 0, and with a floating-point allowance for the sums. It holds for ANY lambda, a
subgradient or not, provided ``ratio`` is the exact maximum over all neurons. So a certificate
is ``optimal`` only when

* the ratio is the exact maximum (``exhaustive``: the vertex enumeration for l1 and in 1-D, which
  is exact because the dual constraint is linear on each chamber and its maximum over a chamber
  times the l1 ball is at a vertex; the chamber enumeration for l2, one cone program per
  activation pattern, exact to the cone solver's accuracy, which the gap's own arithmetic does not
  enclose),
* the gap bound exists and is at most ``gap_tol * |objective|`` (default 1e-6: "certified
  optimal" means proved within one part in a million of the optimum), and
* the ratio is at most 1 + ``tol`` and the first-order residuals are at most ``tol`` (a sanity
  check of the network's own neurons; the gap is the proof).

Its summary then states the bound that holds, "certified optimal: P - P* <= g (relative r)". A
search that is not exhaustive gives a lower bound on the ratio and no gap: never "optimal".

Scope for weight decay (T4): the certificate is against (P) itself (all neurons, through the
chambers), not against the wedge dictionary, so a wedge fit that is only an upper bound is not
certified unless it happens to be optimal.

:func:`certify` is a pipeline of small steps: the problem (validated once) -> the network and its
dual vector (for the hinge loss chosen by :func:`ga_relu.certification.hinge.hinge_dual`) -> the free
constant -> the oracle -> the first-order residuals -> the gap -> the notes.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Literal

import numpy as np

from ..convex.chambers import Chambers
from ..convex.duality import GapBound, gap_bound, rounding_gamma, significant_neurons, sum_zero_shift
from ..convex.losses import HingeLoss, LossName
from ..convex.penalties import PENALTIES, PenaltyName, group_norms
from ..convex.problem import Problem, ProblemSettings
from ..errors import InvalidInputError
from ..networks.relu import ReLUNetwork
from ..validation import check_choice, check_random_state
from . import angular as _angular  # noqa: F401  (registers the "angular" oracle that choose_oracle picks)
from . import sphere_sweep as _sphere_sweep  # noqa: F401  (registers the "sphere_sweep" oracle, 3-D weight decay)
from .hinge import check_hinge_subgradient, hinge_dual
from .milp import MilpOracle  # noqa: F401  (importing it registers the "milp" oracle)
from .oracles import (
    MAX_PATTERNS,
    BestNeuron,
    OracleResult,
    OracleSettings,
    TranslatedOracle,
    choose_oracle,
    constant_neuron,
    exact_translation,
    exhaustive_vertex_oracle,
    get_oracle,
)
from .reused import REUSED_ORACLE

__all__ = ["certify", "certify_fit", "Certificate", "BestNeuron"]


# ---------------------------------------------------------------------------------------------
# the certificate
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Certificate(ProblemSettings):
    r"""The dual certificate of a network (module docstring for the mathematics).

    Attributes
    ----------
    ratio : max_{||w||_p <= 1, b} |lambda . relu(Xw + b)| / beta (exact when ``exhaustive``, else a
        lower bound; inf when sum(lambda) != 0 with a bias).
    optimal : the ratio exact, the gap bound at most ``tol`` times |objective|, ratio <= 1 + tol and
        the first-order residuals <= tol (neurons attain the bound with their sign, balanced,
        sum(lambda) = 0 when needed): P(network) - inf (P) <= ``gap_bound`` is then proved.
    best_neuron : the most violating neuron the oracle found.
    residuals : ``neurons``, ``balance``, ``intercept`` (sum(lambda)/beta) and per-neuron arrays.
    gap_bound : objective - D(lambda') >= objective - inf (P), round-off allowance included; None when
        no valid bound is available (non-exhaustive ratio, or sum(lambda) could not be corrected;
        see ``gap_note``). ``relative_gap``: gap_bound / |objective|.
    method, n_candidates : the oracle's description and the neurons it evaluated.
    problem : the :class:`~ga_relu.convex.problem.Problem` certified; ``beta``, ``penalty``, ``bias``,
        ``loss``, ``fit_intercept`` (penalty and loss by name), ``X`` and ``y`` read from it.
    dual : lambda.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.networks.relu import ReLUNetwork
    >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0.0, 0.0, 1.0, 2.0])
    >>> certificate = certify(ReLUNetwork([[1.0]], [-1.0], [1.0], 0.0), X, y, beta=0.01)
    >>> certificate.ratio, certificate.optimal
    (0.0, False)
    >>> certificate.residuals["balance"], certificate.residuals["neurons"]  # the neuron does not attain beta
    (0.0, 1.0)
    >>> print(certificate.summary().splitlines()[0])
    dual certificate (l1, bias=True, loss=squared, beta=0.01): not certified optimal
    >>> empty = ReLUNetwork(np.zeros((0, 1)), np.zeros(0), np.zeros(0), 0.5)  # constant y: the empty network
    >>> optimal = certify(empty, X, [0.5, 0.5, 0.5, 0.5], beta=0.01)
    >>> print(optimal.summary().splitlines()[0])
    dual certificate (l1, bias=True, loss=squared, beta=0.01): certified optimal: P - P* <= 0 (relative 0)
    """

    ratio: float
    exhaustive: bool
    optimal: bool
    best_neuron: BestNeuron | None
    first_order_residual: float
    residuals: dict
    objective: float
    gap_bound: float | None
    dual_objective: float | None
    gap_note: str
    method: str
    problem: Problem = dataclasses.field(repr=False, compare=False)
    tol: float
    dual: np.ndarray = dataclasses.field(repr=False)
    n_candidates: int = 0
    seconds: float = 0.0
    notes: list = dataclasses.field(default_factory=list)
    relative_gap: float | None = None
    #: the oracle that gave the ratio (``"vertices"``, ``"milp"``, ...) and, for the MILP, the
    #: relative MIP gap it reached (None for the other oracles)
    oracle: str = ""
    mip_gap: float | None = None
    #: the largest relative gap bound at which ``optimal`` is claimed
    gap_tol: float = 1e-6

    @property
    def bound_kind(self) -> str:
        """Whether ``ratio`` is the exact maximum or a sampled lower bound."""
        return "exact maximum" if self.exhaustive else "lower bound (sampled)"

    def verdict(self) -> str:
        """One phrase: the bound that is proved, or why there is none."""
        if self.optimal:
            return f"certified optimal: P - P* <= {self.gap_bound:.3g} (relative {self.relative_gap:.3g})"
        if not self.exhaustive:
            found = "a violation" if self.ratio > 1 + self.tol else "no violation"
            return (f"not certified optimal ({found} found by a search that is not exhaustive: the ratio is a "
                    "lower bound and there is no gap bound)")
        return "not certified optimal"

    def summary(self) -> str:
        """The certificate in a few lines: verdict, ratio, residuals, gap, most violating neuron, notes."""
        if self.gap_bound is None:
            gap = f"unknown ({self.gap_note})"
        else:
            gap = f"{self.gap_bound:.3g} (relative {self.relative_gap:.3g}; claimed optimal at <= {self.gap_tol:g} relative)"
        lines = [
            f"dual certificate ({self.penalty}, bias={self.bias}, loss={self.loss}, beta={self.beta:g}): {self.verdict()}",
            f"  ratio max|lambda.relu(Xw+b)|/beta = {self.ratio:.8g}  [{self.bound_kind}; {self.method}; "
            f"{self.n_candidates:,} candidates, {self.seconds:.3f} s]",
            f"  first-order residual {self.first_order_residual:.3g} (neurons {self.residuals['neurons']:.3g}, "
            f"balance {self.residuals['balance']:.3g}, sum(lambda)/beta {self.residuals['intercept']:.3g})",
            f"  objective of (P) {self.objective:.10g}; gap to the optimum <= {gap}",
        ]
        if self.best_neuron is not None:
            bn = self.best_neuron
            value = (np.array2string(np.asarray(bn.value, dtype=float), precision=6) if np.ndim(bn.value)
                     else f"{float(bn.value):.6g}")
            lines.append(f"  most violating neuron: {bn.description} (lambda.h = {value}, "
                         f"output sign {int(np.sign(bn.output_sign) or 1):+d})")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    __str__ = summary

    def _repr_latex_(self) -> str:
        ok = r"\le" if self.ratio <= 1 + self.tol else ">"
        if self.optimal:
            verdict = rf"certified optimal: $P - P^\star \le {self.gap_bound:.3g}$ (relative {self.relative_gap:.3g})"
        elif self.exhaustive:
            verdict = "not certified optimal"
        else:
            verdict = "not certified: a lower bound from a search that is not exhaustive"
        return (rf"$\max_{{\|w\|_{self.penalty[1]}\le 1,\,b}} \frac{{|\lambda^\top (Xw+b)_+|}}{{\beta}} = "
                rf"{self.ratio:.6g} {ok} 1$ ({self.bound_kind}; {verdict})")

    def _repr_html_(self) -> str:
        """Jupyter's view: the verdict in bold, then a table of the numbers it rests on."""
        import html

        gap = "none" if self.gap_bound is None else f"{self.gap_bound:.3g} (relative {self.relative_gap:.3g})"
        rows = [("ratio max|&lambda;&middot;relu(Xw+b)|/&beta;", f"{self.ratio:.8g} ({html.escape(self.bound_kind)})"),
                ("gap bound P - P*", html.escape(gap if self.gap_bound is not None else f"none: {self.gap_note}")),
                ("first-order residual", f"{self.first_order_residual:.3g}"),
                ("objective of (P)", f"{self.objective:.10g}"),
                ("oracle", html.escape(f"{self.method}; {self.n_candidates:,} candidates, {self.seconds:.3f} s"))]
        if self.best_neuron is not None:
            rows.append(("most violating neuron", html.escape(str(self.best_neuron.description))))
        rows += [("note", html.escape(n)) for n in self.notes]
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>{v}</td></tr>"
                       for k, v in rows)
        title = html.escape(f"dual certificate ({self.penalty}, bias={self.bias}, loss={self.loss}, beta={self.beta:g})")
        return f"<div><p>{title}: <b>{html.escape(self.verdict())}</b></p><table>{body}</table></div>"


# ---------------------------------------------------------------------------------------------
# step 1: options and the network
# ---------------------------------------------------------------------------------------------


def _check_options(exhaustive, n_random, tol, gap_tol=1e-6) -> None:
    """The search options of :func:`certify` (the problem's fields are checked by Problem)."""
    check_choice(exhaustive, ("auto", True, False), "exhaustive")
    if not (isinstance(n_random, (int, np.integer)) and n_random >= 1):
        raise InvalidInputError(f"n_random must be a positive integer, got {n_random!r}")
    for name, value in (("tol", tol), ("gap_tol", gap_tol)):
        if isinstance(value, bool) or not (isinstance(value, (int, float)) and 0 < value < 1):
            raise InvalidInputError(f"{name} must be a number in (0, 1), got {value!r}")


def _as_network(network, problem: Problem) -> ReLUNetwork:
    """A ReLUNetwork from anything with W, b, alpha, c (or a FitResult); shapes checked against the problem."""
    if hasattr(network, "network") and not hasattr(network, "W"):
        network = network.network
    missing = [a for a in ("W", "b", "alpha", "c") if not hasattr(network, a)]
    if missing:
        raise InvalidInputError(
            f"certify needs a network with attributes W (m x d), b (m), alpha (m) and c; {type(network).__name__} "
            f"lacks {missing}. Wrap your weights as ga_relu.ReLUNetwork(W, b, alpha, c)"
        )
    d, vector = problem.d, problem.y.ndim == 2
    W = np.asarray(network.W, dtype=float)
    if W.ndim != 2 or W.shape[1] != d:
        raise InvalidInputError(
            f"the network's first layer W has shape {W.shape}, but X has {d} features: W must be (width, {d}); "
            "pass the data the network was trained on"
        )
    m = W.shape[0]
    b = np.asarray(network.b, dtype=float).reshape(-1) if network.b is not None else np.zeros(m)
    alpha = np.asarray(network.alpha, dtype=float)
    if b.shape != (m,):
        raise InvalidInputError(f"the network has {m} neurons but {b.size} biases; b must have shape ({m},)")
    want = (m, problem.n_outputs) if vector else (m,)
    if alpha.shape != want:
        raise InvalidInputError(
            f"output weights alpha have shape {alpha.shape}, expected {want} for {m} neurons and y of "
            f"{f'{problem.n_outputs} outputs' if vector else 'one output'}"
        )
    if not problem.bias and np.any(b != 0):
        raise InvalidInputError(
            "the network has nonzero hidden biases but bias=False; certify with bias=True (its biases are used)"
        )
    c = np.asarray(network.c, dtype=float)
    if c.size != 1 and (not vector or c.size != problem.n_outputs):
        raise InvalidInputError(f"intercept c has shape {c.shape}; it must be a scalar or one per output")
    return ReLUNetwork(W, b, alpha, c if c.size > 1 else float(c.reshape(-1)[0]))


def _intercept_notes(network: ReLUNetwork, problem: Problem) -> list[str]:
    """A nonzero intercept with fit_intercept=False: an error without a bias, a note with one."""
    if problem.fit_intercept or not np.any(np.asarray(network.c) != 0):
        return []
    if not problem.bias:
        raise InvalidInputError("the network has a nonzero intercept c but fit_intercept=False; pass "
                                "fit_intercept=True")
    return ["c != 0 with fit_intercept=False: with a bias the constant is free in (P) (a neuron with "
            "a large bias approximates it at vanishing cost), so the optimum is the same"]


# ---------------------------------------------------------------------------------------------
# step 2: the dual vector
# ---------------------------------------------------------------------------------------------


def _dual_vector(network, problem: Problem, f: np.ndarray, dual, oracle) -> tuple[np.ndarray, int]:
    """(lambda, hinge LP rounds). lambda = -dL/df at f, or the given ``dual`` (checked). For the hinge
    loss without ``dual`` and with an exact oracle, mu on the margin is chosen by :func:`hinge_dual`."""
    hinge = not problem.loss.differentiable  # the subgradient is not unique: choose or check it
    if dual is not None:
        lam = np.asarray(dual, dtype=float)
        if lam.shape != problem.y.shape:
            raise InvalidInputError(f"dual must have the shape of y {problem.y.shape}, got {lam.shape}")
        return (check_hinge_subgradient(lam, problem.y, f) if hinge else lam), 0
    if hinge and oracle.exhaustive and problem.y.ndim == 1:
        # the hinge subgradient is free on samples at the margin: pick the one that certifies, if any
        return hinge_dual(network, problem, f, oracle)
    return problem.loss.dual_vector(f, problem.y), 0


# ---------------------------------------------------------------------------------------------
# step 3: the free constant
# ---------------------------------------------------------------------------------------------


def _intercept_residual(problem: Problem, lam: np.ndarray, f: np.ndarray) -> float:
    """||sum(lambda)|| / beta when a constant is free (intercept or bias), else 0, less the round-off
    of that sum: gamma_{n+2} (sum |lambda_i| + sum (|y_i| + |f_i|) for the squared loss, whose
    lambda_i = y_i - f_i carries the round-off of y and f). What remains is not an artefact of
    floating point; the gap bound, not this residual, is the proof."""
    if not problem.needs_sum_zero:
        return 0.0
    size = np.abs(lam).sum(axis=0)
    if not problem.loss.classification:
        size = size + np.abs(problem.y).sum(axis=0) + np.abs(f).sum(axis=0)
    allowance = rounding_gamma(problem.n + 2) * float(np.linalg.norm(np.atleast_1d(size)))
    return max(0.0, float(np.linalg.norm(np.atleast_1d(lam.sum(axis=0)))) - allowance) / problem.beta


def _constant_note(problem: Problem) -> str:
    if problem.loss.classification:
        return "sum(lambda) != 0: the intercept (or a large-bias neuron) can still lower the loss"
    return "the network's intercept is not optimal: shift c by mean(y - f)"


# ---------------------------------------------------------------------------------------------
# step 4: first-order conditions of the network's own neurons
# ---------------------------------------------------------------------------------------------


def _balance(network: ReLUNetwork, penalty, live: np.ndarray | None = None) -> np.ndarray:
    """| ||w_j||_p - ||alpha_j|| | / max(||w_j||_p, ||alpha_j||) per neuron (0 for the neurons outside
    ``live``, whose cost is negligible: :func:`ga_relu.convex.duality.significant_neurons`)."""
    wn, an = penalty.norms(network.W), group_norms(network.alpha)
    big = np.maximum(wn, an)
    if live is None:
        live = big > 0
    live = live & (big > 0)
    return np.where(live, np.abs(wn - an) / np.where(big > 0, big, 1.0), 0.0)


def _neuron_residuals(network: ReLUNetwork, problem: Problem, lam: np.ndarray, live: np.ndarray) -> np.ndarray:
    """||lambda^T relu(X u_j + c_j) / beta - alpha_j / ||alpha_j|| || per neuron, (u_j, c_j) = (w_j, b_j) / ||w_j||_p
    (0 for the neurons outside ``live``)."""
    wn, an = problem.penalty.norms(network.W), group_norms(network.alpha)
    per = np.zeros(network.width)
    if live.any():
        H = np.maximum(problem.X @ (network.W[live] / wn[live, None]).T + network.b[live] / wn[live], 0.0)
        alpha = network.alpha[live]
        direction = alpha / (an[live] if alpha.ndim == 1 else an[live, None])
        per[live] = group_norms(H.T @ lam / problem.beta - direction)
    return per


def _residuals(network: ReLUNetwork, problem: Problem, lam: np.ndarray, objective: float, f: np.ndarray) -> dict:
    """The first-order residuals (scale-free, divided by beta): neurons, balance, intercept; the
    neurons of negligible cost are skipped (``negligible``: how many)."""
    live = significant_neurons(network.W, network.alpha, problem.penalty, problem.beta, objective)
    per, balance = _neuron_residuals(network, problem, lam, live), _balance(network, problem.penalty, live)
    return {"neurons": float(per.max(initial=0.0)), "balance": float(balance.max(initial=0.0)),
            "intercept": _intercept_residual(problem, lam, f), "per_neuron": per, "per_neuron_balance": balance,
            "negligible": int(network.width - live.sum())}


def _balance_note(network: ReLUNetwork, problem: Problem, tol: float) -> list[str]:
    """Why the neurons are unbalanced: another penalty they are balanced for, or a rescaling."""
    for other in PENALTIES.values():
        if other.name != problem.penalty.name and _balance(network, other).max(initial=0.0) <= tol:
            return [f"the neurons are balanced for penalty={other.name!r}, not {problem.penalty.name!r}: was the "
                    f"network trained with penalty={other.name!r}?"]
    return ["neurons are not balanced (||w_j|| != |alpha_j|): network.balanced(penalty) has a lower objective"]


# ---------------------------------------------------------------------------------------------
# step 5: the gap
# ---------------------------------------------------------------------------------------------


def _prediction_rounding(network: ReLUNetwork, problem: Problem, lam: np.ndarray) -> float:
    """A bound on how much the round-off of f(X) (sums of width + d + 2 terms) can move the loss:
    sum_i |dL/df_i| delta f_i, |dL/df| <= 1 for the classification losses and |lambda_i| + delta f_i
    for the squared loss."""
    if network.width == 0:
        return 0.0
    H = np.abs(problem.X) @ np.abs(network.W).T + np.abs(network.b)
    magnitude = H @ np.abs(network.alpha) + np.abs(np.asarray(network.c))
    delta = rounding_gamma(network.width + problem.d + 2) * magnitude
    slope = 1.0 if problem.loss.classification else np.abs(lam) + delta
    return float(np.sum(slope * delta))


def _gap(problem: Problem, lam: np.ndarray, found: OracleResult, objective: float, width: int) -> GapBound:
    """The weak-duality bound when the ratio is the exact (finite) maximum; else why there is none."""
    ratio = found.value / problem.beta
    if not found.exhaustive:
        return GapBound(None, None, ratio, "the ratio is only a lower bound")
    if not np.isfinite(ratio):
        return GapBound(None, None, ratio, "the dual constraint is violated without bound")
    return gap_bound(problem, lam, ratio, objective, width=width)


def _gap_after_shift(problem: Problem, lam: np.ndarray, oracle, objective: float, width: int) -> GapBound:
    """sum(lambda) far from 0 with a bias: lambda's own ratio is infinite, but lambda moved onto
    sum = 0 (:func:`~ga_relu.convex.duality.sum_zero_shift`) is another dual point whose exact ratio
    the oracle gives, so the weak-duality bound still holds (for any dual point, not only -dL/df)."""
    moved = sum_zero_shift(problem, lam)
    if moved is None:
        return GapBound(None, None, np.inf, "sum(lambda) != 0 could not be corrected inside the dual domain")
    shifted = moved[0]
    found = oracle(problem, shifted)
    bound = _gap(problem, shifted, found, objective, width)
    note = "weak duality with lambda moved onto sum(lambda) = 0, then scaled by 1 / max(1, ratio)"
    return dataclasses.replace(bound, note=note) if bound.gap is not None else bound


def _with_rounding(bound: GapBound, extra: float, objective: float) -> GapBound:
    """The bound with the predictions' round-off added."""
    if bound.gap is None:
        return bound
    gap = bound.gap + extra
    return dataclasses.replace(bound, gap=gap, rounding=bound.rounding + extra,
                               relative=gap / max(abs(objective), np.finfo(float).tiny))


# ---------------------------------------------------------------------------------------------
# certify
# ---------------------------------------------------------------------------------------------


def certify(network, X, y, *, beta: float, penalty: PenaltyName = "l1", bias: bool = True,
            loss: LossName = "squared", fit_intercept: bool = True,
            exhaustive: Literal["auto"] | bool = "auto", n_random: int = 2000, random_state=None,
            chunk: int | None = None, dual=None, tol: float = 1e-4, max_patterns: int = MAX_PATTERNS,
            chambers: Chambers | None = None, oracle: str = "auto",
            milp_time_limit: float | None = None, gap_tol: float = 1e-6) -> Certificate:
    r"""The dual certificate of ``network`` for problem (P) on (X, y) (module docstring).

    .. math::

        \text{ratio} = \max_{\|w\|_p \le 1,\, b} |\lambda^\top \mathrm{relu}(X w + b)| / \beta,
        \qquad \lambda = -\partial L / \partial f \text{ at the network's predictions};

    optimal iff the ratio is exact (exhaustive), the weak-duality gap bound exists and is at most
    tol |objective| (so P(network) - inf (P) <= gap_bound is proved), ratio <= 1 + tol, and the
    first-order residuals (every neuron attains beta with its sign, the neurons are balanced,
    sum(lambda) = 0 when a constant is free) are at most tol. Neurons of negligible cost are
    skipped in the residuals (they count in the objective and the gap).

    Parameters
    ----------
    network : a ReLUNetwork, anything with W, b, alpha, c, or a FitResult.
    X, y, beta, penalty, bias, loss, fit_intercept : problem (P), as in
        :class:`~ga_relu.convex.problem.Problem`.
    exhaustive : ``"auto"`` (exact whenever the enumeration is within limits), True (exact or
        EnumerationTooLargeError), False (random search: a lower bound on the ratio).
    n_random, random_state : candidates and seed of the search.
    chunk : subsets per streamed block of the vertex oracle.
    dual : lambda to use instead of -dL/df (e.g. a fit's solver dual; for the hinge loss it must be a
        subgradient at the predictions). Hinge loss without it: lambda = y mu is not unique on samples
        at the margin; mu near it is chosen by a linear program with cutting planes (exhaustive case)
        to minimize the ratio plus the first-order residual, else mu = 1/2. Whatever mu, the gap
        bound (valid for every dual-feasible lambda) decides ``optimal``.
    tol : tolerance of the ratio and of the first-order residuals (relative: they are divided by
        beta).
    gap_tol : the largest weak-duality gap bound, relative to |objective|, at which the network is
        called optimal (default 1e-6).
    max_patterns, chambers : most chambers to enumerate for the l2 oracle, or chambers enumerated
        before (vector outputs with l2 only by search).
    oracle : ``"auto"`` (the choice of ``exhaustive``: the enumeration within its limits, else for
        l1 the exact MILP oracle, for l2 from d = 4 on ``"milp_l2"``, else a search) or a registered
        oracle's name, e.g. ``"milp"`` (:mod:`ga_relu.certification.milp`: exact for l1 in any d by
        branch and bound) or ``"milp_l2"`` (weight decay in any d: a proved upper bound by outer
        approximation of the ball, the maximum once its rounds converge).
    milp_time_limit : seconds per side of the MILP oracles (None: 120; for ``"milp_l2"`` all
        rounds of a side together); an l1 side that reaches it gives a lower bound, never
        "optimal"; an l2 side its proved upper bound.

    Returns
    -------
    Certificate

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.networks.relu import ReLUNetwork
    >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0.0, 0.0, 1.0, 2.0])
    >>> network = ReLUNetwork([[1.0]], [-1.0], [1.0], 0.0)  # fits y exactly: lambda = 0
    >>> certificate = certify(network, X, y, beta=0.01)
    >>> certificate.ratio, certificate.exhaustive, certificate.gap_bound
    (0.0, True, 0.01)
    >>> certificate.method
    '1-D breakpoints at the samples (T3)'
    """
    start = time.perf_counter()
    problem = Problem(X, y, beta=beta, penalty=penalty, bias=bias, loss=loss, fit_intercept=fit_intercept)
    _check_options(exhaustive, n_random, tol, gap_tol)
    net = _as_network(network, problem)
    notes = _intercept_notes(net, problem)
    settings = OracleSettings(chunk=chunk, n_random=n_random, rng=check_random_state(random_state),
                              max_patterns=max_patterns, chambers=chambers, milp_time_limit=milp_time_limit)
    oracle_name = _oracle_name(problem, oracle, exhaustive, settings)
    oracle = _oracle_on_exact_frame(problem, oracle_name, settings)
    f = net(problem.X)
    lam, hinge_rounds = _dual_vector(net, problem, f, dual, oracle)

    objective = problem.objective(net)
    residuals = _residuals(net, problem, lam, objective, f)
    if problem.bias and residuals["intercept"] > tol:  # the free constant: unbounded unless sum(lambda) = 0
        found = constant_neuron(problem, lam)
        notes.append(_constant_note(problem))
        gap = _gap_after_shift(problem, lam, oracle, objective, net.width) if oracle.exhaustive else \
            GapBound(None, None, np.inf, "the ratio is only a lower bound")
    else:
        found = oracle(problem, lam)
        gap = _gap(problem, lam, found, objective, net.width)
    gap = _with_rounding(gap, _prediction_rounding(net, problem, lam), objective)
    if residuals["balance"] > tol:
        notes += _balance_note(net, problem, tol)
    if residuals["negligible"]:
        notes.append(f"{residuals['negligible']} neuron(s) of negligible cost (below 1e-12 of the objective) "
                     "skipped in the first-order residuals; the objective and the gap include them")
    if hinge_rounds:
        notes.append(f"hinge loss: mu on the samples near the margin chosen by a linear program with cutting "
                     f"planes ({hinge_rounds} rounds); the gap bound, valid for any dual-feasible mu, is the proof")

    notes += _milp_notes(found, problem.beta)
    ratio = found.value / problem.beta
    first_order = max(residuals["neurons"], residuals["balance"], residuals["intercept"])
    # optimal only with a proof: the exact ratio and a gap bound within tol of |objective| (relative:
    # the bound is in the objective's units), besides the first-order residuals
    proved = (gap.gap is not None and found.exhaustive
              and gap.gap <= gap_tol * max(abs(objective), np.finfo(float).tiny))
    optimal = bool(proved and ratio <= 1 + tol and first_order <= tol)
    if found.exhaustive and not optimal and gap.gap is not None and gap.gap <= gap_tol * abs(objective) \
            and first_order > tol:
        notes.append("the gap bound is within tolerance but a first-order residual is not")
    return Certificate(
        ratio=float(ratio), exhaustive=found.exhaustive, optimal=optimal,
        best_neuron=found.best, first_order_residual=float(first_order), residuals=residuals,
        objective=float(objective), gap_bound=gap.gap, dual_objective=gap.dual_value, gap_note=gap.note,
        method=found.method, problem=problem, tol=tol, gap_tol=gap_tol, dual=lam,
        n_candidates=int(found.n_candidates), seconds=time.perf_counter() - start, notes=notes,
        relative_gap=gap.relative, oracle=oracle_name, mip_gap=getattr(found, "mip_gap", None),
    )


def _oracle_name(problem: Problem, oracle: str, exhaustive, settings: OracleSettings) -> str:
    """``oracle="auto"``: the choice of ``exhaustive``; else the named oracle (checked)."""
    if oracle == "auto":
        return choose_oracle(problem, exhaustive, settings)
    get_oracle(oracle)  # an unknown name fails here, with the list of registered ones
    return oracle


def _oracle_on_exact_frame(problem: Problem, name: str, settings: OracleSettings):
    """The oracle ``name``, run on the data shifted exactly towards the origin where a coordinate sits
    far from it (:func:`~ga_relu.convex.dictionary.exact_translation`: the same problem, without
    the cancellation). A fit's recorded pricing was computed on the unshifted data, so with a shift
    the vertices are enumerated again instead of replayed."""
    center = exact_translation(problem.X, problem.bias)
    if center is None:
        return get_oracle(name)(settings)
    if name == REUSED_ORACLE:
        return TranslatedOracle(exhaustive_vertex_oracle(problem, settings), center)
    return TranslatedOracle(get_oracle(name)(settings), center)


def _milp_notes(found: OracleResult, beta: float) -> list[str]:
    """The MILP oracle's bounds when its limit stopped it: the l1 MILP's incumbent (a lower bound,
    never "optimal"), or the l2 outer approximation's proved upper bound (optimal only if it passes)."""
    if not getattr(found, "time_limited", False):
        return []
    if found.exhaustive:  # the outer approximation of the l2 ball stopped: its bound U is still proved
        return [f"the pricing MILP stopped at its limit ({found.time_limit:g} s per side) with the ratio in "
                f"[{found.lower / beta:.8g}, {found.upper / beta:.8g}] (relative gap {found.mip_gap:.2g}): the ratio "
                "reported is that proved upper bound, not the maximum; raise milp_time_limit= to close the gap"]
    return [f"the pricing MILP stopped at its time limit ({found.time_limit:g} s per side): the ratio lies in "
            f"[{found.lower / beta:.8g}, {found.upper / beta:.8g}] (MIP gap {found.mip_gap:.2g}), so there is no "
            "exact ratio and no certificate; raise milp_time_limit= for one"]


_CERTIFY_FIT_OPTIONS = ("exhaustive", "n_random", "random_state", "chunk", "tol", "gap_tol", "max_patterns", "dual", "oracle",
                        "milp_time_limit")


def certify_fit(result, **kw) -> Certificate:
    """The certificate of a FitResult with the fit's own beta, penalty, bias, loss and intercept.

    For the hinge loss mu at the margin is chosen as in :func:`certify`; when the search is not
    exhaustive the fit's solver dual is used instead, if it is a subgradient at the predictions.
    Only attributes of ``result`` are read (X, y, network, beta, penalty, bias, loss,
    fit_intercept, dual, info), so certification does not depend on the results module.

    Examples
    --------
    >>> import numpy as np
    >>> from types import SimpleNamespace
    >>> from ga_relu.networks.relu import ReLUNetwork
    >>> X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([0.0, 0.0, 1.0, 2.0])
    >>> fit = SimpleNamespace(network=ReLUNetwork([[1.0]], [-1.0], [1.0], 0.0), X=X, y=y, beta=0.01,
    ...                       penalty="l1", bias=True, loss="squared", fit_intercept=True, info={}, dual=None)
    >>> certify_fit(fit).ratio
    0.0
    """
    unknown = sorted(set(kw) - set(_CERTIFY_FIT_OPTIONS))
    if unknown:
        raise InvalidInputError(
            f"certificate() takes only {list(_CERTIFY_FIT_OPTIONS)}; got {unknown}. To certify at other settings "
            "call ga_relu.certify(result.network, X, y, beta=..., penalty=..., ...)"
        )
    chambers = result.info.get("chambers") if isinstance(result.info, dict) else None

    def run(**extra):
        return certify(result.network, result.X, result.y, beta=result.beta, penalty=result.penalty,
                       bias=result.bias, loss=result.loss, fit_intercept=result.fit_intercept, chambers=chambers,
                       **kw, **extra)

    certificate = run()
    if isinstance(certificate.problem.loss, HingeLoss) and "dual" not in kw and not certificate.exhaustive:
        # no exact oracle for choosing mu at the margin: the solver's dual, if it is a subgradient at
        # the network's predictions (reconstruction can move predictions off the solver's)
        try:
            certificate = run(dual=result.dual)
        except InvalidInputError:
            pass
    return certificate
