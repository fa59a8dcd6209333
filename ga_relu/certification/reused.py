r"""A column-generation fit's last pricing pass, replayed as the certificate's oracle.

Column generation ends with an exhaustive pricing of the full vertex dictionary (every hyperplane
through d lifted samples / basis vectors, enumerated by the stream or the angular sweep: the same
set as :class:`~ga_relu.certification.oracles.VertexOracle`). When that pass priced exactly the
certificate's dual vector lambda = -dL/df at the returned network's predictions, its maximum

    ratio = max_j |lambda . K_j| / beta

IS the certificate's ratio over all neurons (l1 penalty, d >= 2: the vertices of T1/T2), so
:meth:`ga_relu.convex.results.FitResult.certificate` hands it to :func:`ga_relu.certify` through
the oracle registered here instead of enumerating again. Everything else of the certificate (the
first-order residuals, the gap bound through :func:`ga_relu.convex.duality.gap_bound`, its
round-off allowance) is computed as for any network. For any other lambda (e.g. the one moved onto
sum(lambda) = 0) the oracle enumerates the vertices itself, so it is never less than exact.

>>> from ga_relu.certification.oracles import get_oracle
>>> get_oracle(REUSED_ORACLE).exhaustive
True
"""

from __future__ import annotations

import contextlib
import contextvars

import numpy as np

from .oracles import BestNeuron, OracleResult, OracleSettings, VertexOracle, _describe, exhaustive_vertex_oracle, \
    register_oracle

__all__ = ["REUSED_ORACLE", "ReusedPricingOracle", "replaying"]

#: the registered name of the oracle
REUSED_ORACLE = "colgen-final-pricing"

#: the record being replayed (set by :func:`replaying` for the duration of one certify call)
_RECORD: contextvars.ContextVar = contextvars.ContextVar("ga_relu_reused_pricing", default=None)


@contextlib.contextmanager
def replaying(record: dict):
    """Make the oracle replay ``record`` (``dual``, ``ratio``, ``subset``, ``n_priced``, ``method``,
    as column generation stores it in ``result.info["final_pricing"]``) inside the block."""
    token = _RECORD.set(record)
    try:
        yield
    finally:
        _RECORD.reset(token)


class ReusedPricingOracle:
    """The recorded exhaustive pricing for its own lambda (compared exactly, ``==`` entry by entry);
    the vertex enumeration for any other lambda or without a record."""

    name, exhaustive = REUSED_ORACLE, True

    def __init__(self, settings: OracleSettings):
        self.settings = settings

    def __call__(self, problem, lam: np.ndarray) -> OracleResult:
        record = _RECORD.get()
        if record is None or record["dual"].shape != lam.shape or not np.array_equal(record["dual"], lam):
            return exhaustive_vertex_oracle(problem, self.settings)(problem, lam)
        value = float(record["ratio"]) * problem.beta
        method = f"{VertexOracle.method(problem)}, by the fit's final {record['method']} pricing (reused)"
        return OracleResult(value, _best_neuron(problem, lam, record["subset"]), True, 2 * int(record["n_priced"]),
                            method)


def _best_neuron(problem, lam: np.ndarray, subset) -> BestNeuron | None:
    """The neuron of the most violating subset, on the side (relu(+-P)) where |lambda . relu| is larger."""
    from ..convex.dictionary import build_columns

    if subset is None:
        return None
    kept, w, b, _ = build_columns(problem.X, np.asarray(subset, dtype=np.intp)[None, :], problem.penalty.name,
                                  problem.bias)
    if not len(kept):
        return None
    P = problem.X @ w[0] + b[0]
    values = [float(lam @ np.maximum(sign * P, 0.0)) for sign in (1, -1)]
    sign = 1 if abs(values[0]) >= abs(values[1]) else -1
    value = values[0] if sign == 1 else values[1]
    samples = tuple(int(i) for i in kept[0] if i < problem.n)
    basis = tuple(int(i) - problem.n for i in kept[0] if i >= problem.n)
    weight = sign * w[0]
    return BestNeuron(weight=weight, bias=sign * float(b[0]), value=value, output_sign=int(np.sign(value)) or 1,
                      samples=samples, basis=basis, source="vertex",
                      description=_describe(problem, samples, basis, sign, weight))


register_oracle(REUSED_ORACLE, ReusedPricingOracle)
