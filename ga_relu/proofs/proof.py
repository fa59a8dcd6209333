r"""The record of a proof of optimality, shared by exact-rational and interval proofs.

A proof states a network

.. math:: f(x) = c + \sum_j z_j \,\mathrm{relu}(u_j \cdot x + v_j), \qquad \|u_j\|_p = 1,

and checks, in exact rational arithmetic (``kind = "exact rational"``) or with rigorous interval
enclosures (``kind = "interval-enclosed"``), the optimality conditions of the convex program whose
optimum it claims. ``theorem`` names the case and ``scope`` the theorem that turns the checked
conditions into optimality (over networks of every width for T1, T2, T3, T5; within the wedge
dictionary only for a T4 wedge fit).
"""

from __future__ import annotations

import dataclasses
from typing import Any

__all__ = ["Proof", "ProvedNeuron", "EXACT_RATIONAL", "INTERVAL_ENCLOSED"]

#: the two kinds of proof
EXACT_RATIONAL = "exact rational"
INTERVAL_ENCLOSED = "interval-enclosed"


@dataclasses.dataclass(frozen=True)
class ProvedNeuron:
    """One neuron z relu(unit_weight . x + unit_bias) of a proved network.

    For an exact proof the fields are ``fractions.Fraction`` (or tuples of them); for an interval
    proof they are enclosures (python-flint ``arb``), and the exact optimum lies inside them.
    ``subset`` lists the vertices whose hyperplane the neuron is (samples 0..n-1, then the basis
    vectors n..n+d-1), and ``sign`` is +1 or -1 for relu(+-(w . x + b)).
    """

    unit_weight: tuple
    unit_bias: Any
    coefficient: Any
    subset: tuple = ()
    sign: int = 1


@dataclasses.dataclass(frozen=True)
class Proof:
    """The outcome of ``FitResult.prove()``: what was proved, in which arithmetic, by which theorem.

    Attributes
    ----------
    holds : True only when every condition was verified (exactly, or with enclosures).
    kind : ``"exact rational"`` or ``"interval-enclosed"``.
    theorem : the case, e.g. ``"T2"``.
    scope : the theorem's statement that turns the verified conditions into optimality, e.g.
        "global optimum of (P) over networks of every width (T2)", or "optimum of the Lasso over
        the wedge dictionary only (T4)".
    objective, intercept : exact (Fraction) or enclosures.
    neurons : tuple of :class:`ProvedNeuron`.
    max_ratio : max over every column of |lambda . column| / beta (exact, or an upper enclosure);
        <= 1 when the proof holds.
    columns_checked : the columns of the full dictionary the dual bound was checked on.
    rounds : support corrections made before the proof closed.
    reason : why the proof does not hold ("" when it holds).
    """

    holds: bool
    kind: str
    theorem: str
    scope: str
    objective: Any
    intercept: Any
    neurons: tuple
    max_ratio: Any
    columns_checked: int
    rounds: int = 0
    reason: str = ""
    details: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)
