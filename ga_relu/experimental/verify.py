r"""Verification report: the theorems of docs/theory/exact_cases.md checked on seeded instances.

For each instance the report solves problem (P),

    min  L(f(X), y) + (beta/2) sum_j (||w_j||_p^2 + ||alpha_j||^2),

three ways and compares them:

* the wedge Lasso (``fit(method="wedge")``): exact for T1, T2, T3, T5; an upper bound for T4;
* the exact value: for T4 the cone program over all activation patterns (``fit(method="exact")``),
  otherwise the wedge fit itself; either way its dual certificate (``ga_relu.certify``) must hold,
  ratio = max |lambda . relu(X w + b)| / beta <= 1 + tol over ||w||_p <= 1;
* full-batch Adam from several initializations (``ga_relu.train_gradient``): every gradient
  network is feasible for (P), so its objective can never fall below a certified optimum, nor
  below the certificate's lower bound objective - gap_bound (weak duality, certified or not). A
  row where it does is flagged "BEAT CERTIFIED OPTIMUM": a bug somewhere, never a row to hide.

Run ``python -m ga_relu.experimental.verify`` for the table (under a minute on 2 cores).
"""

from __future__ import annotations

import dataclasses
import math
import time

from typing import Literal

import numpy as np

from ..convex.penalties import get_penalty, group_norms
from ..validation import check_random_state

__all__ = ["Instance", "RANDOM_CASES", "COLUMNS", "BEAT_FLAG", "random_instance", "dataset_instances",
           "verify_instance", "verification_report", "format_report"]

CaseName = Literal["T1", "T2", "T3", "T4", "T5"]
PenaltyName = Literal["l1", "l2"]

#: the gradient objective may fall below the certified optimum by at most this (relative) amount:
#: the solver's tolerance on the optimum (Clarabel: about 1e-8 relative) with a wide margin
BEAT_TOLERANCE = 1e-5
BEAT_FLAG = "BEAT CERTIFIED OPTIMUM"

COLUMNS = ("case", "source", "d", "bias", "penalty", "n", "wedge_objective", "exact_objective", "gap",
           "ratio_wedge", "ratio_exact", "certified", "lower_bound", "gradient_best", "gradient_ratio", "gradient_angle",
           "beat", "flag", "seconds")


@dataclasses.dataclass(frozen=True)
class Instance:
    """One verification problem: theorem name, data, beta and the options of (P).

    Examples
    --------
    >>> Instance("T3", "by hand", np.array([[0.0], [1.0]]), np.array([0.0, 1.0]), 0.1, "l1", True).case
    'T3'
    """

    case: str
    source: str
    X: np.ndarray
    y: np.ndarray
    beta: float
    penalty: str
    bias: bool


#: (case, d, bias, penalty, outputs, n) of the seeded random instances
RANDOM_CASES = (
    ("T1", 2, False, "l1", 1, 14),
    ("T1", 3, False, "l1", 1, 10),
    ("T2", 2, True, "l1", 1, 14),
    ("T2", 3, True, "l1", 1, 10),
    ("T3", 1, True, "l1", 1, 16),
    ("T4", 2, True, "l2", 1, 10),
    ("T4", 3, True, "l2", 1, 8),
    ("T5", 2, True, "l1", 2, 12),
)


def random_instance(case: CaseName, d: int, bias: bool, penalty: PenaltyName, outputs: int, n: int, seed: int,
                    beta: float = 0.1) -> Instance:
    r"""A seeded random instance: :math:`X \sim N(0, I_d)` (n rows), then
    :math:`y = \sin(2 x_1) + 0.3 x_d + 0.1 \varepsilon`, and further outputs
    :math:`\cos(k x_1) + 0.1 \varepsilon` (k = 1, 2, ...), drawn in that order from
    ``numpy.random.default_rng(seed)``.

    Examples
    --------
    >>> inst = random_instance("T5", 2, True, "l1", 2, 6, seed=4)
    >>> inst.X.shape, inst.y.shape, inst.source
    ((6, 2), (6, 2), 'random seed 4')
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = np.sin(2 * X[:, 0]) + 0.3 * X[:, -1] + 0.1 * rng.standard_normal(n)
    if outputs > 1:
        y = np.column_stack([y] + [np.cos((k + 1) * X[:, 0]) + 0.1 * rng.standard_normal(n)
                                   for k in range(outputs - 1)])
    return Instance(case, f"random seed {seed}", X, y, beta, penalty, bias)


def dataset_instances(n: int = 16, random_state=0, beta: float = 0.1) -> list[Instance]:
    """Small subsamples of the bundled data, standardized (x - mean) / std per column: iris petals
    (versicolor vs virginica, n distinct rows, half from each class, labels as +-1 targets) and the
    two spirals (n points).

    Examples
    --------
    >>> [(inst.source, inst.X.shape) for inst in dataset_instances(n=8)]
    [('iris petals (8 of 100)', (8, 2)), ('spiral (n=8)', (8, 2))]
    """
    from ..interfaces import datasets

    rng = check_random_state(random_state)
    X, y, _ = datasets.load_iris_petals()
    # n distinct rows, half from each class (the table has repeated measurements)
    _, first = np.unique(X, axis=0, return_index=True)
    pos, neg = [np.sort(rng.permutation(first[y[first] == s])[: n // 2]) for s in (1.0, -1.0)]
    rows = np.concatenate([neg, pos])
    out = [Instance("T2", f"iris petals ({len(rows)} of {len(X)})", _standardize(X[rows]), y[rows], beta, "l1",
                    True)]
    X, y = datasets.make_spiral(n, random_state=rng)
    out.append(Instance("T2", f"spiral (n={n})", _standardize(X), y, beta, "l1", True))
    return out


def _standardize(X: np.ndarray) -> np.ndarray:
    return (X - X.mean(axis=0)) / X.std(axis=0)


def _certificate(network, inst: Instance, chambers=None):
    """The certificate of a network (a FitResult uses its own, with its cached chambers)."""
    from ..certification.certificate import certify

    if hasattr(network, "certificate"):
        return network.certificate()
    return certify(network, inst.X, inst.y, beta=inst.beta, penalty=inst.penalty, bias=inst.bias,
                   chambers=chambers)


def _ratio(cert) -> float:
    return math.nan if cert is None else float(cert.ratio)


def _convex_fits(inst: Instance):
    """(wedge fit, exact fit): for T4 the cone program over all activation patterns, otherwise the
    wedge fit itself (exact by its theorem)."""
    from ..convex.fitting import fit

    options = dict(beta=inst.beta, penalty=inst.penalty, bias=inst.bias)
    wedge = fit(inst.X, inst.y, method="wedge", **options)
    exact = fit(inst.X, inst.y, method="exact", **options) if inst.case == "T4" else wedge
    return wedge, exact


def _median_angle(network, inst: Instance) -> float:
    """The median angle between a significant learned neuron (|alpha_j| ||w_j||_p >= 1 % of the sum)
    and its nearest wedge neuron: how close gradient training comes to the wedge dictionary."""
    from ..baselines.gradient import neuron_angles

    size = group_norms(network.alpha) * get_penalty(inst.penalty).norms(network.W)
    significant = size >= 0.01 * size.sum() if size.size else size.astype(bool)
    angles = [m.angle for m, keep in zip(neuron_angles(network, inst.X, penalty=inst.penalty, bias=inst.bias),
                                         significant) if keep]
    return float(np.median(angles)) if angles else math.nan


def _flag(gradient_best: float, exact_value: float, lower_bound: float, certified: bool, gap_bound) -> tuple[bool, str]:
    """(beat, flag): whether gradient training went below the exact value by more than the solver's
    tolerance, and the row's flag (BEAT_FLAG: below a certified optimum or below the weak-duality bound)."""
    slack = BEAT_TOLERANCE * max(1.0, abs(exact_value))
    beat = bool(gradient_best < exact_value - slack)
    if (beat and certified) or gradient_best < lower_bound - slack:
        return beat, BEAT_FLAG
    if beat:
        return beat, "below the (uncertified) exact value"
    if not certified:
        return beat, "exact value NOT certified" + (f" (gap <= {gap_bound:.2g})" if gap_bound is not None else "")
    return beat, ""


def verify_instance(inst: Instance, *, width: int | None = None, n_init: int = 10, steps: int = 2000,
                    learning_rate: float = 0.03, random_state=0) -> dict:
    r"""One row of the report (see the module docstring for the meaning of each column).

    ``lower_bound`` is exact objective - gap bound of its certificate (weak duality: no network of
    (P) goes below it); ``gap`` = (wedge - exact) / \|exact\|; ``beat`` says whether the best
    gradient network went below the exact value by more than ``BEAT_TOLERANCE`` (relative).

    Examples
    --------
    >>> row = verify_instance(random_instance("T3", 1, True, "l1", 1, 6, seed=0), n_init=1, steps=50)
    >>> row["certified"], row["beat"], row["flag"]
    (True, False, '')
    """
    from ..baselines.gradient import train_gradient

    start = time.perf_counter()
    n, d = inst.X.shape
    wedge, exact = _convex_fits(inst)
    cert_wedge = _certificate(wedge, inst)
    cert_exact = cert_wedge if exact is wedge else _certificate(exact, inst)
    # certified: exhaustive ratio <= 1 + tol and first-order optimality of the finite problem
    certified = bool(cert_exact.optimal)
    grad = train_gradient(inst.X, inst.y, width=width or 3 * n, n_init=n_init, steps=steps,
                          learning_rate=learning_rate, random_state=random_state, beta=inst.beta,
                          penalty=inst.penalty, bias=inst.bias)
    chambers = exact.info.get("chambers") if isinstance(exact.info, dict) else None
    exact_value = exact.objective
    # weak duality: every network of (P) is >= objective - gap_bound, certified or not
    gap_bound = cert_exact.gap_bound
    lower_bound = math.nan if gap_bound is None else exact_value - gap_bound
    beat, flag = _flag(grad.best_objective, exact_value, lower_bound, certified, gap_bound)
    return {
        "case": inst.case, "source": inst.source, "d": d, "bias": inst.bias, "penalty": inst.penalty, "n": n,
        "outputs": 1 if inst.y.ndim == 1 else inst.y.shape[1],
        "wedge_objective": wedge.objective, "exact_objective": exact_value,
        "gap": (wedge.objective - exact_value) / abs(exact_value),
        "ratio_wedge": _ratio(cert_wedge), "ratio_exact": _ratio(cert_exact), "certified": certified,
        "gradient_best": grad.best_objective, "gradient_objectives": grad.objectives,
        "gradient_ratio": _ratio(_certificate(grad.best, inst, chambers=chambers)),
        "gradient_angle": _median_angle(grad.best, inst),
        "lower_bound": lower_bound, "beat": beat, "flag": flag, "seconds": time.perf_counter() - start,
    }


def verification_report(*, seeds=(0, 1), cases=None, include_data: bool = True, n_init: int = 10,
                        steps: int = 2000, random_state=0) -> list[dict]:
    """Rows of the verification table (:func:`verify_instance`) over seeded random instances (one
    per case and seed) and, with ``include_data``, small subsamples of the bundled data. ``cases``
    restricts to theorem names, e.g. ``("T2", "T4")``. Gradient training is seeded from
    ``random_state``.

    Examples
    --------
    >>> rows = verification_report(seeds=(0,), cases=("T3",), include_data=False, n_init=1, steps=50)
    >>> [(r["case"], r["d"], r["certified"]) for r in rows]
    [('T3', 1, True)]
    """
    wanted = None if cases is None else set(cases)
    instances = [random_instance(case, d, bias, penalty, outputs, n, seed)
                 for seed in seeds
                 for case, d, bias, penalty, outputs, n in RANDOM_CASES
                 if wanted is None or case in wanted]
    if include_data:
        instances += [inst for inst in dataset_instances(random_state=random_state)
                      if wanted is None or inst.case in wanted]
    rng = check_random_state(random_state)
    seeds_for_gradient = rng.integers(0, 2**31, size=len(instances))
    return [verify_instance(inst, n_init=n_init, steps=steps, random_state=int(s))
            for inst, s in zip(instances, seeds_for_gradient)]


def format_report(rows: list[dict]) -> str:
    """A plain-text table; objectives to 6 significant digits, gap in percent; the last line counts
    the rows flagged BEAT_FLAG (there must be none).

    Examples
    --------
    >>> row = dict(case="T3", source="by hand", d=1, bias=True, penalty="l1", n=4, wedge_objective=1.0,
    ...            exact_objective=1.0, lower_bound=1.0, gap=0.0, ratio_wedge=1.0, ratio_exact=1.0,
    ...            gradient_best=1.2, gradient_ratio=1.5, gradient_angle=3.0, flag="")
    >>> format_report([row]).splitlines()[-1]
    'BEAT CERTIFIED OPTIMUM: 0 row(s) (as it must be)'
    """
    def num(x, fmt="{:.6g}"):
        return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else fmt.format(x)

    header = ["case", "source", "d", "bias", "pen", "n", "wedge obj", "exact obj", "lower bnd", "gap %", "ratio wedge",
              "ratio exact", "grad best", "grad ratio", "angle deg", "flag"]
    table = [header]
    for r in rows:
        case = r["case"] + (f" ({r['outputs']} outputs)" if r.get("outputs", 1) > 1 else "")
        table.append([case, r["source"], str(r["d"]), "yes" if r["bias"] else "no", r["penalty"], str(r["n"]),
                      num(r["wedge_objective"]), num(r["exact_objective"]), num(r["lower_bound"]),
                      num(100 * r["gap"], "{:.3f}"),
                      num(r["ratio_wedge"], "{:.4f}"), num(r["ratio_exact"], "{:.4f}"),
                      num(r["gradient_best"]), num(r["gradient_ratio"], "{:.4f}"),
                      num(r["gradient_angle"], "{:.2f}"), r["flag"] or "ok"])
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
    lines.insert(1, "-" * len(lines[0]))
    n_beat = sum(r["flag"] == BEAT_FLAG for r in rows)
    lines.append("")
    lines.append("ratio = max |lambda . relu(Xw + b)| / beta over ||w||_p <= 1 (<= 1 + 1e-4 with first-order optimality: certified optimum); "
                 "lower bnd = exact obj - the certificate's gap bound (weak duality: no network goes below it); "
                 "gap = (wedge - exact) / exact; grad best = lowest objective of Adam over the inits (an upper "
                 "bound); angle = median angle between its significant neurons and the nearest wedge neurons.")
    lines.append(f"{BEAT_FLAG}: {n_beat} row(s)" + ("  <-- A BUG: investigate" if n_beat else " (as it must be)"))
    return "\n".join(lines)


def main() -> None:
    """Print the full report (``python -m ga_relu.experimental.verify``, under a minute on 2 cores).

    Examples
    --------
    >>> main()  # doctest: +SKIP
    case            source                   d  bias  pen  n   wedge obj  exact obj  ...
    """
    start = time.perf_counter()
    rows = verification_report()
    print(format_report(rows))
    print(f"total {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
