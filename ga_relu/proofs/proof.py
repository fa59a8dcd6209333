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
    #: an upper bound on P(network) - P* (exact rational, 0 for an exact proof; None when none formed)
    gap: Any = None
    #: the beta the proof is about (exact for an exact proof)
    beta: Any = None
    #: the input dimension d (names the inputs x_1..x_d in :meth:`latex`)
    dimension: int | None = None

    def __call__(self, X) -> list:
        """The proved network at the rows of X, in exact arithmetic for an exact proof:
        f(x) = c + sum_j z_j relu(u_j . x + v_j) (Fractions for rational inputs)."""
        rows = [list(r) if hasattr(r, "__len__") else [r] for r in X]
        values = []
        for x in rows:
            total = self.intercept
            for neuron in self.neurons:
                pre = sum((u * xi for u, xi in zip(neuron.unit_weight, x)), 0) + neuron.unit_bias
                if pre > 0:
                    z = neuron.coefficient
                    total = tuple(t + zk * pre for t, zk in zip(total, z)) if isinstance(total, tuple) else total + z * pre
            values.append(total)
        return values

    def latex(self) -> str:
        r"""f(x) = c + sum_j z_j relu(u_j . x + v_j) as LaTeX, with the exact rationals as fractions,
        e.g. ``f(x) = \frac{1}{3} + \frac{12}{35} \operatorname{relu}(x - 1)``."""
        d = self.dimension if self.dimension is not None else (len(self.neurons[0].unit_weight) if self.neurons else 1)
        names = ["x"] if d == 1 else [f"[x]_{{{k + 1}}}" for k in range(d)]  # [x]_k: the input, x_i a sample
        terms = [latex_number(self.intercept)] if _nonzero(self.intercept) or not self.neurons else []
        for neuron in self.neurons:
            inner = latex_affine(neuron.unit_weight, neuron.unit_bias, names)
            terms.append(f"{latex_coefficient(neuron.coefficient)}\\operatorname{{relu}}\\left({inner}\\right)")
        body = " + ".join(terms).replace("+ -", "- ")
        return f"f(x) = {body}"

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def summary(self) -> str:
        """A few lines: what was proved, by which theorem, in which arithmetic."""
        verdict = "PROVED" if self.holds else "NOT PROVED"
        ratio = self.max_ratio
        lines = [f"{verdict} ({self.kind}, {self.theorem}): {self.scope}" if self.holds else
                 f"{verdict} ({self.kind}, {self.theorem}): {self.reason}",
                 f"objective P = {self.objective} (~ {float(_scalar(self.objective)):.10g})" if self.objective is not None
                 else "objective: none",
                 f"max |lambda . column| / beta = {ratio}" + (f" (~ {float(ratio):.10g})" if ratio is not None else "")
                 + f" over {self.columns_checked:,} columns of the full dictionary",
                 f"neurons: {len(self.neurons)}; support corrections: {self.rounds}"]
        if self.gap is not None:
            lines.append(f"P(network) - P* <= {self.gap}" + ("" if self.gap == 0 else f" (~ {float(self.gap):.3e})"))
        return "\n".join(lines)


def _scalar(value):
    return value[0] if isinstance(value, tuple) else value


def _nonzero(value) -> bool:
    return any(v != 0 for v in value) if isinstance(value, tuple) else value != 0


def latex_number(value) -> str:
    r"""A rational (Fraction) as LaTeX: 3/4 -> ``\\frac{3}{4}``, -2 -> ``-2``; tuples as column vectors;
    anything else by str().

    >>> from fractions import Fraction
    >>> latex_number(Fraction(-3, 4)), latex_number(Fraction(2))
    ('-\\frac{3}{4}', '2')
    """
    from fractions import Fraction

    if isinstance(value, tuple):
        return "\\begin{pmatrix}" + " \\\\ ".join(latex_number(v) for v in value) + "\\end{pmatrix}"
    if isinstance(value, Fraction):
        sign = "-" if value < 0 else ""
        a = abs(value)
        return f"{sign}{a.numerator}" if a.denominator == 1 else f"{sign}\\frac{{{a.numerator}}}{{{a.denominator}}}"
    return str(value)


def latex_coefficient(value) -> str:
    """A coefficient before a relu: 1 and -1 are written as + and -."""
    from fractions import Fraction

    if isinstance(value, Fraction) and abs(value) == 1:
        return "" if value > 0 else "-"
    return latex_number(value) + " "


def latex_affine(weights, bias, names) -> str:
    r"""u . x + v as LaTeX with exact coefficients, zero terms left out.

    >>> from fractions import Fraction
    >>> latex_affine((Fraction(1, 2), Fraction(-1, 2)), Fraction(1), ["x_{1}", "x_{2}"])
    '\\frac{1}{2} x_{1} - \\frac{1}{2} x_{2} + 1'
    """
    parts = []
    for u, name in zip(weights, names):
        if u == 0:
            continue
        parts.append(f"{latex_coefficient(u)}{name}".replace("  ", " "))
    if bias != 0 or not parts:
        parts.append(latex_number(bias))
    return " + ".join(parts).replace("+ -", "- ")
