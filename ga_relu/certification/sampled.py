r"""How far any fit is from the optimum of the FULL wedge dictionary's Lasso.

For a fit with dual vector lambda (e.g. a randomized-subset fit, ``fit(..., subsets=k)``, an upper
bound), pricing every candidate subset gives the exact dual ratio
rho = max_j |lambda' . K_j| / beta over the whole dictionary, lambda' = lambda moved into the dual's
domain (:meth:`~ga_relu.convex.losses.Loss.feasible_dual`). Weak duality then bounds

.. math::

    P(\text{fit}) - P^* \le P(\text{fit}) - D\big(\lambda' / \max(1, \rho)\big),

P* the full wedge dictionary's optimum (the optimum of (P) for l1, T1/T2; the wedge dictionary's for
weight decay, T4). lambda is moved onto sum(lambda) = 0 whenever a constant is free in (P) (an
intercept, or a bias alone), so the bound holds against (P) with its free constant; it goes through
:func:`ga_relu.convex.duality.gap_bound` like every other gap, round-off allowance included. The pricing streams the dictionary (:func:`ga_relu.convex.colgen.price`), so it
never holds the whole matrix.

This module sits above column generation (it uses its pricing); column generation itself does not
import certification.
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Literal

import numpy as np

from ..convex.colgen import price
from ..convex.duality import gap_bound
from ..errors import InvalidInputError

__all__ = ["GapCertificate", "sampled_gap"]


@dataclasses.dataclass
class GapCertificate:
    """How far a fit is from the optimum of the FULL wedge dictionary's Lasso.

    ``ratio``: max_j |lambda . K_j| / beta over every column (<= 1: the fit is optimal);
    ``dual_bound`` = D(lambda / max(1, ratio)) <= P*; ``gap_bound`` = objective - dual_bound >= P(fit) - P*.
    For l1 (T1/T2) P* is the optimum of (P); for weight decay it is the wedge dictionary's (T4).

    Examples
    --------
    >>> print(GapCertificate(ratio=1.0, objective=2.0, dual_bound=2.0, gap_bound=0.0, relative_gap_bound=0.0,
    ...                      n_priced=10, seconds=0.0))
    dual ratio 1 over 10 subsets; objective 2 is within 0 (0 relative) of the full-dictionary optimum (lower bound 2)
    """

    ratio: float
    objective: float
    dual_bound: float
    gap_bound: float
    relative_gap_bound: float
    n_priced: int
    seconds: float

    def __str__(self) -> str:
        return (f"dual ratio {self.ratio:.6g} over {self.n_priced:,} subsets; objective {self.objective:.8g} is "
                f"within {self.gap_bound:.3g} ({self.relative_gap_bound:.3g} relative) of the full-dictionary "
                f"optimum (lower bound {self.dual_bound:.8g})")


def sampled_gap(result, chunk: int | None = None, verbose: bool = False,
                method: Literal["auto", "sweep", "stream"] = "auto") -> GapCertificate:
    """Certificate of a fit (e.g. ``fit(..., subsets=k)``, an upper bound) against the full dictionary.

    Prices every candidate subset against the fit's lambda (streamed; never the whole matrix) and
    returns the max ratio and a bound on P(fit) - P*, P* the full wedge dictionary's optimum (module
    docstring). Only single-output fits are supported.

    Parameters
    ----------
    result : FitResult
    chunk : int, optional
        Subsets per pricing chunk.
    verbose : bool
        A progress bar while pricing.
    method : {"auto", "sweep", "stream"}
        The pricing method (:func:`ga_relu.convex.colgen.price`).

    Returns
    -------
    GapCertificate

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> certificate = sampled_gap(ga_relu.fit(X, [0.0, 1.0, 1.0, 0.0], beta=0.1))
    >>> bool(certificate.ratio <= 1 + 1e-5), bool(certificate.relative_gap_bound <= 1e-5)
    (True, True)
    """
    if result.y is None or np.ndim(result.y) != 1:
        raise InvalidInputError("sampled_gap needs a single-output FitResult that kept its data (X, y)")
    start = time.perf_counter()
    problem = result.problem
    # sum(lambda) = 0 whenever a constant is free in (P), with a bias even without an intercept
    lam = problem.loss.feasible_dual(result.dual, problem.y, problem.needs_sum_zero)
    pricing = price(problem.X, lam, problem.beta, penalty=problem.penalty.name, bias=problem.bias, chunk=chunk,
                    method=method, verbose=verbose)
    bound = gap_bound(problem, lam, pricing.ratio, result.objective, width=len(result.neurons))
    return GapCertificate(ratio=pricing.ratio, objective=result.objective,
                          dual_bound=-math.inf if bound.dual_value is None else bound.dual_value,
                          gap_bound=math.inf if bound.gap is None else bound.gap,
                          relative_gap_bound=math.inf if bound.relative is None else bound.relative,
                          n_priced=pricing.n_priced, seconds=time.perf_counter() - start)
