r"""The exact weight-decay oracle in the plane: the angular sweep, O(n^2 log n).

For the l2 penalty in d = 2 with one output, the dual constraint's maximum

.. math:: \max_{\|w\|_2 \le 1,\ b} |\lambda^\top \mathrm{relu}(X w + b)|

is found by :func:`ga_relu.convex.angular_sweep.angular_sweep`: the bias at a sample (the anchor),
the direction swept around the circle, the value between two critical angles the sinusoid
G . u(t) whose maximum on the arc is in closed form. The result is exhaustive, as the chamber
oracle's (one cone program per activation pattern) is, but it is exact in closed form rather than
to a cone solver's accuracy, and it costs O(n^2 log n) instead of O(n^2) cone programs. Its value
is an upper bound on the maximum that exceeds the best neuron's directly evaluated value by at most
a rigorous round-off allowance (``OracleResult.method`` states it), so a gap bound built on it holds.

Importing this module registers it as the oracle ``"angular"``;
:func:`ga_relu.certification.oracles.choose_oracle` picks it for weight decay in the plane.

>>> import numpy as np
>>> from ga_relu.convex.problem import Problem
>>> from ga_relu.certification.oracles import OracleSettings
>>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
>>> problem = Problem(X, [0.0, 1.0, 1.0, 0.0], beta=0.1, penalty="l2")
>>> result = AngularOracle(OracleSettings())(problem, np.array([0.5, -0.5, -0.5, 0.5]))
>>> round(result.value, 6), result.exhaustive, result.best.source
(0.353553, True, 'angular')
"""

from __future__ import annotations

import numpy as np

from ..convex.angular_sweep import angular_sweep
from ..convex.chambers import samples_on_hyperplane
from ..convex.dictionary import describe_hyperplane
from ..errors import InvalidInputError
from .oracles import BestNeuron, OracleResult, OracleSettings, register_oracle

__all__ = ["AngularOracle", "applies"]


def applies(problem) -> bool:
    """Whether the sweep solves ``problem``'s dual constraint exactly: weight decay (p = 2), d = 2,
    one output.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> applies(Problem(np.eye(2), [1.0, 0.0], beta=0.1, penalty="l2")), applies(Problem(np.eye(2), [1.0, 0.0], beta=0.1))
    (True, False)
    """
    return problem.penalty.p == 2 and problem.d == 2 and problem.n_outputs == 1


class AngularOracle:
    r"""Exact maximum for weight decay in the plane (one output) by the angular sweep (module docstring).

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem = Problem(np.array([[0.0, 2.0], [1.0, 0.0]]), [1.0, 0.0], beta=0.5, penalty="l2", bias=False)
    >>> result = AngularOracle(OracleSettings())(problem, np.array([1.0, 0.0]))
    >>> round(result.value, 12), result.best.weight.round(12).tolist()
    (2.0, [0.0, 1.0])
    """

    name, exhaustive = "angular", True

    def __init__(self, settings: OracleSettings):
        self.settings = settings

    def __call__(self, problem, lam: np.ndarray) -> OracleResult:
        if not applies(problem):
            raise InvalidInputError(
                "the angular oracle solves weight decay (penalty='l2') in d = 2 with one output; got "
                f"penalty={problem.penalty.name!r}, d={problem.d}, {problem.n_outputs} output(s): use the "
                "'chambers' or 'vertices' oracle (exhaustive='auto' chooses)")
        sweep = angular_sweep(problem.X, np.asarray(lam, dtype=float), bias=problem.bias)
        n_anchors = problem.n if problem.bias else 1
        method = (f"angular sweep over {n_anchors} anchor(s), {sweep.n_arcs:,} arcs, closed-form maximum per arc "
                  f"(exact; round-off allowance {sweep.rounding:.2g} included)")
        if sweep.bound == 0.0:
            return OracleResult(0.0, None, True, sweep.n_arcs, method)
        w, b, value = sweep.weights[0], float(sweep.biases[0]), float(sweep.values[0])
        on = samples_on_hyperplane(problem.X, w, b)
        k = 2 if problem.bias else 1
        text = describe_hyperplane(tuple(on), (), d=2, bias=problem.bias, sign=1)
        if len(on) < k:
            text += f" (a weight-decay neuron: fewer than {k} samples on its line)"
        neuron = BestNeuron(weight=w, bias=b, value=value, output_sign=int(np.sign(value)) or 1, samples=on,
                            source="angular", description=text)
        # the bound, not the attained value: it is >= the exact maximum (module docstring of the sweep)
        return OracleResult(max(sweep.bound, abs(value)), neuron, True, sweep.n_arcs, method)


register_oracle("angular", AngularOracle)
