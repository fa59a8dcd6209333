r"""The ``"milp"`` oracle: the exact l1 dual constraint in any dimension, by a mixed-integer program.

For the l1 penalty (and any penalty in 1-D, where every p-norm of w is |w|),

.. math::

    \max_{\|w\|_1 \le 1,\ b} |\lambda^\top \mathrm{relu}(X w + b)|

is two mixed-integer linear programs, one binary per sample with sigma lambda_i > 0
(:mod:`ga_relu.convex.milp_pricing` has the model, its big-M bounds and why it is exact). HiGHS's
branch and bound returns an incumbent and a dual bound; when it closes both sides to the relative
MIP gap (1e-8 by default), the oracle's value is the dual bound, an upper bound on the maximum (to
HiGHS's tolerances, as the chamber oracle is exact to its cone solver's), and the result is
``exhaustive``: the certificate's gap bound then holds against (P) as with the vertex enumeration,
at the cost of a branch and bound instead of C(n + d, d) vertices. The maximizer is polished to a
vertex (a linear program on its activation chamber), so the most violating neuron is named by
samples and basis vectors like the vertex oracle's.

A side that reaches ``milp_time_limit`` leaves the maximum between its incumbent and its bound:
the result is then NOT exhaustive, its value is the incumbent (a lower bound, as for the search
oracles), and ``method`` states the upper bound, the MIP gap and the option that raises the limit.

>>> import numpy as np
>>> from ga_relu.convex.problem import Problem
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
>>> problem = Problem(X, [0.0, 1.0, 1.0, 0.0], beta=0.1)
>>> result = MilpOracle(OracleSettings())(problem, np.array([0.5, -0.5, -0.5, 0.5]))
>>> round(result.value, 9), result.exhaustive, result.best.description
(0.25, True, 'line through x_2 and x_3 (MILP maximizer, polished to a vertex)')

The ``"milp_l2"`` oracle: weight decay (||w||_2 <= 1, one output, any d) by outer approximation
(:func:`ga_relu.convex.milp_pricing.milp_max_dual_l2`): the ball is replaced by a polytope that
contains it, refined by tangent cuts, so every round's MILP bound U is a proved upper bound on the
maximum and every rounded incumbent a feasible neuron (a lower bound L). Its value is U, and the
result is ``exhaustive`` whenever U is finite: the certificate's ratio is then a proved upper bound
(lambda / max(1, U / beta) is dual feasible), equal to the maximum to 1e-7 relative when the rounds
converged; when a time or round limit stopped them, ``method`` and the certificate's notes give
[L, U] and U alone is used (a bound, optimal only if that bound passes).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..convex.chambers import samples_on_hyperplane
from ..convex.dictionary import describe_hyperplane
from ..errors import InvalidInputError
from .oracles import BestNeuron, OracleResult, OracleSettings, register_oracle

__all__ = ["MilpOracle", "MilpOracleResult", "milp_applies", "MilpL2Oracle"]


class _MilpTimeLimit:
    """The MILP oracles' one setting: seconds per side (certify's ``milp_time_limit=``)."""

    def __init__(self, settings: OracleSettings):
        from ..convex.milp_pricing import DEFAULT_TIME_LIMIT

        self.time_limit = getattr(settings, "milp_time_limit", None) or DEFAULT_TIME_LIMIT


@dataclasses.dataclass(frozen=True)
class MilpOracleResult(OracleResult):
    """An :class:`~ga_relu.certification.oracles.OracleResult` with the MILP's bounds.

    Attributes
    ----------
    lower, upper : the best attained value and the dual bound (the maximum lies between them).
    mip_gap : (upper - lower) / upper.
    time_limit : seconds per side; ``time_limited``: a side stopped there.
    nodes : branch-and-bound nodes.

    >>> MilpOracleResult(1.0, None, True, 0, "m", lower=1.0, upper=1.0, mip_gap=0.0, time_limit=1.0).time_limited
    False
    """

    lower: float = 0.0
    upper: float = 0.0
    mip_gap: float = 0.0
    time_limit: float = 0.0
    time_limited: bool = False
    nodes: int = 0


def milp_applies(problem) -> bool:
    """Whether the MILP oracle is exact for ``problem``: one output, and the l1 penalty or 1-D.

    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> milp_applies(Problem(np.eye(3), [1.0, 0.0, 0.0], beta=0.1, penalty="l2"))
    False
    """
    return problem.n_outputs == 1 and (problem.penalty.basis_vertices or problem.d == 1)


class MilpOracle(_MilpTimeLimit):
    r"""Exact maximum for l1 (one output, any d) by HiGHS's branch and bound (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0], [1.0], [2.0]]), [0.0, 1.0, 0.0], beta=0.1)
    >>> MilpOracle(OracleSettings())(problem, np.array([0.5, -1.0, 0.5])).value
    0.5
    """

    name, exhaustive = "milp", True

    def __call__(self, problem, lam: np.ndarray) -> MilpOracleResult:
        from ..convex.milp_pricing import milp_max_dual

        if not milp_applies(problem):
            raise InvalidInputError(
                "the MILP oracle is exact for one output with penalty='l1' (or 1-D data); "
                f"this problem has penalty={problem.penalty.name!r} and {problem.n_outputs} output(s): use "
                "oracle='chambers' (l2) or the vertex oracle (vector outputs)")
        found = milp_max_dual(problem.X, lam, bias=problem.bias, time_limit=self.time_limit)
        best = None
        if found.best is not None:
            v = found.best
            text = describe_hyperplane(v.samples, v.basis, d=problem.d, bias=problem.bias, sign=v.orientation)
            best = BestNeuron(weight=v.weight, bias=v.bias, value=v.value, output_sign=int(np.sign(v.value)) or 1,
                              samples=v.samples, basis=v.basis, source="milp",
                              description=text + " (MILP maximizer, polished to a vertex)")
        time_limited = not found.exhaustive
        if time_limited:
            method = (f"{found.describe()}: a lower bound; the maximum is at most {found.upper:.10g}. "
                      "Raise milp_time_limit= (seconds per side) for an exact maximum")
            value = found.value
        else:
            method = f"{found.describe()}: exact (the dual bound is the value)"
            value = found.upper
        return MilpOracleResult(value=float(value), best=best, exhaustive=not time_limited,
                                n_candidates=found.nodes, method=method, lower=found.value, upper=found.upper,
                                mip_gap=found.mip_gap, time_limit=found.time_limit, time_limited=time_limited,
                                nodes=found.nodes)


class MilpL2Oracle(_MilpTimeLimit):
    r"""Weight decay (l2 penalty, one output, any d) by outer approximation of the ball (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> problem = Problem(X, [0.0, 1.0, 1.0, 0.0], beta=0.1, penalty="l2")
    >>> result = MilpL2Oracle(OracleSettings())(problem, np.array([0.5, -0.5, -0.5, 0.5]))
    >>> round(result.value, 6), result.exhaustive, result.time_limited  # 1 / (2 sqrt 2), as the chambers give
    (0.353553, True, False)
    """

    name, exhaustive = "milp_l2", True

    def __call__(self, problem, lam: np.ndarray) -> MilpOracleResult:
        from ..convex.milp_pricing import milp_max_dual_l2

        if problem.n_outputs != 1 or problem.penalty.name != "l2":
            raise InvalidInputError(
                "the milp_l2 oracle bounds the weight-decay dual constraint for one output; this problem has "
                f"penalty={problem.penalty.name!r} and {problem.n_outputs} output(s): use oracle='milp' (l1) or "
                "exhaustive=False (vector outputs with l2)")
        found = milp_max_dual_l2(problem.X, lam, bias=problem.bias, time_limit=self.time_limit)
        best = None
        if found.weight is not None:
            on = samples_on_hyperplane(problem.X, found.weight, found.bias)
            text = describe_hyperplane(on, (), d=problem.d, bias=problem.bias, sign=1)
            best = BestNeuron(weight=found.weight, bias=found.bias, value=found.signed_value,
                              output_sign=int(np.sign(found.signed_value)) or 1, samples=on, source="milp",
                              description=text + " (MILP over an outer approximation of the l2 ball)")
        proved = bool(np.isfinite(found.upper))
        if found.converged:
            method = f"{found.describe()}: the maximum to that gap (the upper bound is the value)"
        elif proved:
            method = (f"{found.describe()}; the ratio uses U. Raise milp_time_limit= (seconds per side) "
                      "to close the gap")
        else:  # no MILP bound in time: only the attained lower bound
            method = (f"{found.describe()}: a lower bound only (no MILP bound in time); raise milp_time_limit= "
                      "(seconds per side)")
        return MilpOracleResult(value=float(found.upper if proved else found.value), best=best, exhaustive=proved,
                                n_candidates=found.nodes, method=method, lower=found.value, upper=found.upper,
                                mip_gap=found.mip_gap, time_limit=found.time_limit,
                                time_limited=not found.converged, nodes=found.nodes)


register_oracle("milp", MilpOracle)
register_oracle("milp_l2", MilpL2Oracle)
