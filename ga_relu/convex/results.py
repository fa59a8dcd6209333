"""Results of a convex fit: which theorem covers it (:class:`Case`), its neurons named by samples
(:class:`Neuron`), the :class:`FitResult`, and the reconstruction of a network from Lasso
coefficients (:func:`network_from_lasso`).

A nonzero Lasso coefficient z_j on the column relu(s (X w_S + b_S)), ||w_S||_p = 1, is the neuron
w_j = s sqrt(|z_j|) w_S, alpha_j = sign(z_j) sqrt(|z_j|), of cost (beta/2)(||w_j||_p^2 + alpha_j^2)
= beta |z_j|: the network's value in (P) equals the Lasso's.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..networks.relu import ReLUNetwork
from .dictionary import Dictionary, describe_hyperplane
from .penalties import get_penalty, group_norms
from .problem import Problem, ProblemSettings

#: a Lasso coefficient counts as active above this fraction of the largest one: interior-point
#: solvers leave ~1e-9 relative residue on inactive columns
_ACTIVE_RELATIVE = 1e-7


# ---------------------------------------------------------------------------------------------
# which theorem covers the case
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    """The theorem of docs/theory/exact_cases.md that covers a fit, and whether its value is exact.

    Parameters
    ----------
    theorem : str
        "T1" .. "T5".
    exact : bool
        Whether the Lasso's optimum equals the infimum of (P) (else it is an upper bound).
    description : str
        The setting in words.

    Examples
    --------
    >>> print(Case("T3", True, "1-D data with bias"))
    T3 (exact: the Lasso equals (P)): 1-D data with bias
    """

    theorem: str  # "T1".."T5"
    exact: bool
    description: str

    @property
    def bound(self) -> str:
        """"exact: the Lasso equals (P)" or "upper bound"."""
        return "exact: the Lasso equals (P)" if self.exact else "upper bound"

    def __str__(self) -> str:
        return f"{self.theorem} ({self.bound}): {self.description}"


def theorem_case(d: int, penalty, bias: bool, n_outputs: int = 1, sampled: bool = False,
                 fit_intercept: bool = True) -> Case:
    r"""Which of T1-T5 covers the wedge Lasso of a problem, and whether it is exact.

    In 1-D the wedge dictionary is exact (T1 without bias, T3 with); in d >= 2 it is exact for
    :math:`\|w\|_1` (T1, T2, T5 for several outputs) and an upper bound for weight decay (T4).
    ``sampled`` (a sampled dictionary) always gives an upper bound, and so does bias=True with
    fit_intercept=False (the infimum of (P) then includes a free constant).

    Parameters
    ----------
    d : int
        Input dimension.
    penalty : {"l1", "l2"} or Penalty
    bias : bool
    n_outputs : int
    sampled : bool
    fit_intercept : bool

    Returns
    -------
    Case

    Examples
    --------
    >>> theorem_case(2, "l1", True).theorem, theorem_case(2, "l2", True).exact
    ('T2', False)
    >>> theorem_case(2, "l1", True, sampled=True).bound
    'upper bound'
    >>> theorem_case(1, "l1", True, n_outputs=2).theorem  # several outputs: the group Lasso, in any d
    'T5'
    """
    penalty = get_penalty(penalty)
    vector = "; vector outputs, group Lasso" if n_outputs > 1 else ""
    if d == 1 and bias:
        case = Case("T5" if n_outputs > 1 else "T3", True,
                    "1-D data with bias: breakpoints at the training points" + vector)
    elif d == 1:
        case = Case("T5" if n_outputs > 1 else "T1", True,
                    "1-D data without bias: the two neurons relu(x) and relu(-x)" + vector)
    elif penalty.exact_wedge:
        name = "T5" if n_outputs > 1 else ("T2" if bias else "T1")
        what = "with bias: hyperplanes through d samples/basis vectors (lifted)" if bias else \
            "without bias: cross products of d-1 samples/basis vectors"
        case = Case(name, True, f"{penalty.name} penalty {what}" + ("; vector outputs, group Lasso" if n_outputs > 1 else ""))
    else:
        case = Case("T4", False, "weight decay in d >= 2: the sample wedge dictionary is feasible, not "
                                 "always optimal; method='exact' solves the exact program")
    if bias and not fit_intercept and case.exact:
        # a neuron with w = 0 and a large bias is a constant of vanishing cost in (P): the infimum is
        # that of the model with an intercept, and it is not attained without one
        case = Case(case.theorem, False, case.description + "; bias without intercept: (P) can approach "
                    "a free constant that the Lasso cannot represent, so an upper bound (use fit_intercept=True)")
    if sampled and case.exact:
        case = Case(case.theorem, False, case.description + "; sampled subsets only, so an upper bound")
    return case


def problem_case(problem, sampled: bool = False) -> Case:
    """:func:`theorem_case` of a :class:`~ga_relu.convex.problem.Problem`.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.problem import Problem
    >>> problem_case(Problem(np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), [1.0, 0.0, 2.0], beta=0.1)).theorem
    'T2'
    """
    return theorem_case(problem.d, problem.penalty, problem.bias, problem.n_outputs, sampled,
                        problem.fit_intercept)


# ---------------------------------------------------------------------------------------------
# neurons and results
# ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Neuron:
    """One active neuron alpha relu(w . x + b), defined by training samples and basis vectors.

    ``samples`` and ``basis`` are 0-based indices (printed 1-based as x_i and e_k). ``sign`` says
    which side of the hyperplane through the subset is active: w is sign * cross(subset) scaled.
    ``coefficient`` is the Lasso coefficient z = alpha ||w||_p, ``unit_weight`` = w / ||w||_p.

    Examples
    --------
    >>> import numpy as np
    >>> neuron = Neuron(index=1, samples=(0, 1), basis=(), sign=1, weight=np.array([1.0, 0.0]), bias=-0.5,
    ...                 output_weight=2.0, coefficient=2.0, unit_weight=np.array([1.0, 0.0]), unit_bias=-0.5,
    ...                 penalty="l1")
    >>> neuron(np.array([[1.0, 0.0], [0.0, 0.0]]))
    array([1., 0.])
    """

    index: int
    samples: tuple[int, ...]
    basis: tuple[int, ...]
    sign: int
    weight: np.ndarray
    bias: float
    output_weight: float | np.ndarray
    coefficient: float | np.ndarray  # the Lasso coefficient z (alpha * ||w||_p)
    unit_weight: np.ndarray  # w / ||w||_p
    unit_bias: float
    penalty: str
    has_bias: bool = True
    _points: np.ndarray = dataclasses.field(repr=False, default=None)  # the training data X
    #: names of the input coordinates (from the fit's data), used by the numeric formulas
    feature_names: tuple | None = dataclasses.field(repr=False, default=None)

    def describe(self) -> str:
        """Plain-text geometry, e.g. 'the line through x_7 and x_12'."""
        return describe_hyperplane(self.samples, self.basis, d=self.weight.shape[0], bias=self.has_bias,
                                   sign=self.sign)

    def expression(self, form: str = "structural", *, digits: int | None = 4):
        """The neuron as a sympy expression (ga_relu.explain.formulas): "structural" (wedge notation in the
        named samples x_i), "expanded" (polynomial in the coordinates x_{i,k} and [x]_k) or "numeric"
        (numbers substituted, in the feature names when known, rounded to ``digits`` significant
        digits; None keeps full precision and every term)."""
        from ..explain.formulas import neuron_expression

        return neuron_expression(self, form=form, digits=digits)

    def latex(self, form: str = "structural", *, digits: int | None = 4) -> str:
        """The neuron as LaTeX (ga_relu.explain.formulas), ``form`` as in :meth:`expression`."""
        from ..explain.formulas import neuron_latex

        return neuron_latex(self, form=form, digits=digits)

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.latex()}$"

    def __repr__(self) -> str:
        """One line: which subset, which side, how heavy (the arrays are in the attributes).

        >>> Neuron(index=3, samples=(6, 11), basis=(), sign=-1, weight=np.array([1.0, 0.0]), bias=-0.5,
        ...        output_weight=0.25, coefficient=0.25, unit_weight=np.array([1.0, 0.0]), unit_bias=-0.5,
        ...        penalty="l2")
        Neuron(3: {x_7, x_12}, sign -1, alpha=0.25, z=0.25)
        """
        names = [f"x_{i + 1}" for i in self.samples] + [f"e_{k + 1}" for k in self.basis]
        alpha = (f"{float(self.output_weight):.4g}" if np.ndim(self.output_weight) == 0 else
                 f"||alpha||={float(np.linalg.norm(self.output_weight)):.4g}")
        z = (f"{float(self.coefficient):.4g}" if np.ndim(self.coefficient) == 0 else
             f"{float(np.linalg.norm(self.coefficient)):.4g}")
        subset = "{" + ", ".join(names) + "}" if names else "no subset"
        return f"Neuron({self.index}: {subset}, sign {self.sign:+d}, alpha={alpha}, z={z})"

    def __call__(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        return np.maximum(X @ self.weight + self.bias, 0.0) * self.output_weight


@dataclasses.dataclass
class FitResult(ProblemSettings):
    r"""The result of :func:`ga_relu.fit`: the network, its value in (P), its neurons and how exact it is.

    The network f(x) = sum_j alpha_j relu(w_j . x + b_j) + c has value
    P = L(f(X), y) + (beta/2) sum_j (||w_j||_p^2 + alpha_j^2) (``objective``), equal to the Lasso value
    L(K z + c, y) + beta ||z||_1 of ``coefficients`` z. The :class:`~ga_relu.convex.problem.Problem`
    it solves is ``problem``; ``X``, ``y``, ``beta``, ``bias``, ``fit_intercept`` and the names
    ``penalty`` and ``loss`` are read from it.

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> result = ga_relu.fit(X, [0.0, 1.0, 1.0, 0.0], beta=0.1, method="wedge")
    >>> result.penalty, result.loss, result.case.theorem
    ('l1', 'squared', 'T2')
    >>> bool(result.objective <= 0.5 * np.sum(([0.0, 1.0, 1.0, 0.0] - np.mean([0.0, 1.0, 1.0, 0.0])) ** 2))
    True
    >>> print(result.summary().splitlines()[3].split(",")[0])  # no check has run: the theorem, unchecked
      optimal by theorem T2
    """

    network: ReLUNetwork
    objective: float
    neurons: list[Neuron]
    case: Case
    problem: Problem = dataclasses.field(repr=False)
    method: str
    dictionary: Dictionary
    coefficients: np.ndarray  # Lasso z over the dictionary's columns (the one the network realizes)
    intercept: float | np.ndarray
    dual: np.ndarray  # lambda = -dL/df at the training predictions
    status: str
    solve_time: float
    setup_time: float
    lasso_objective: float  # L + beta ||z||_1 at the solver's z (before dropping ~0 coefficients)
    info: dict = dataclasses.field(default_factory=dict)
    #: names of the d input coordinates (a CSV header, a DataFrame's columns), printed in numeric
    #: formulas, tables and plot axes instead of [x]_k; set with :meth:`with_feature_names`
    feature_names: tuple | None = None

    # X, y, beta, penalty, loss, bias, fit_intercept: from the problem (ProblemSettings)

    @property
    def exact(self) -> bool:
        """True when the theorem covering the case makes this the optimum of (P) (see certificate())."""
        return self.case.exact

    @property
    def n_columns(self) -> int:
        """Columns of the dictionary the network was read from."""
        return self.dictionary.n_columns

    def predict(self, X) -> np.ndarray:
        """The network's predictions f(X)."""
        return self.network(X)

    def certificate(self, **kwargs):
        """The dual certificate of this fit (ga_relu.certify). After column generation (l1, d >= 2,
        squared or logistic loss) it reuses the fit's final exhaustive pricing of the network's own
        lambda (``info["final_pricing"]``) instead of enumerating the vertices again, so it costs the
        residuals and the gap bound only; other options than ``tol``, ``gap_tol`` and ``random_state`` run the
        search asked for. Its random search (used only when the
        exact enumeration is out of reach) is seeded by the fit's ``random_state`` (kept in
        ``info["random_state"]``) unless ``random_state=`` is passed: a seeded fit certifies reproducibly."""
        from ..certification.certificate import certify_fit

        seed = self.info.get("random_state") if isinstance(self.info, dict) else None
        if seed is not None:
            kwargs.setdefault("random_state", seed)
        record = self.info.get("final_pricing") if isinstance(self.info, dict) else None
        # column generation's last pass priced this network's own lambda over the full vertex
        # dictionary: that is the certificate's oracle (ga_relu.certification.reused), unless the
        # caller asked for another search
        if record is not None and record.get("exhaustive", False) and set(kwargs) <= {"tol", "gap_tol", "random_state"}:
            from ..certification.reused import REUSED_ORACLE, replaying

            with replaying(record):
                return certify_fit(self, oracle=REUSED_ORACLE, **kwargs)
        return certify_fit(self, **kwargs)

    def prove(self, **kwargs):
        """An exact proof of optimality (ga_relu.proofs.exact.prove_fit): the KKT system on this fit's
        support solved and checked over the full dictionary in rational arithmetic."""
        from ..proofs.exact import prove_fit

        return prove_fit(self, **kwargs)

    def with_feature_names(self, feature_names) -> "FitResult":
        """Name the input coordinates (one name per column of X) and return this result.

        Numeric formulas, :meth:`table`, :meth:`expression` and the plot axes then use the names:
        ``relu(0.83 bmi - 0.52 s5 + 0.1)`` instead of [x]_1, [x]_2. Names that say nothing (integer
        column labels, numbers, the package's own x_k / e_k) are dropped, repeated names are an
        :class:`~ga_relu.errors.InvalidInputError` (``ga_relu.explain.symbolic.check_feature_names``).
        """
        from ..explain.symbolic import check_feature_names

        self.feature_names = check_feature_names(feature_names, self.network.dim)
        for nr in self.neurons:
            nr.feature_names = self.feature_names
        return self

    def expression(self, form: str = "numeric", *, digits: int | None = None):
        """The whole network f(x) = sum_j z_j relu(feature_j(x)) + c as one sympy expression.

        By default the numeric view at full precision (``digits=None``: every coefficient as the
        double the network computes with, no term left out), in the input coordinates [x]_k or the
        feature names: a function to differentiate, substitute or simplify with sympy. ``form`` as
        in :meth:`Neuron.expression`; pass ``digits`` to round for printing.
        """
        from ..explain.formulas import network_expression

        return network_expression(self, form=form, digits=digits)

    def to_latex(self, form: str = "structural", *, digits: int | None = 4) -> str:
        """f(x) = sum_j alpha_j relu(...) + c as LaTeX (ga_relu.explain.formulas)."""
        from ..explain.formulas import network_latex

        return network_latex(self, form=form, digits=digits)

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.to_latex()}$"

    def _repr_html_(self) -> str:
        """Jupyter's view: the summary, then a table of the neurons with their formulas (at most
        ``_HTML_ROWS``), and the certificate's verdict when one is held."""
        import html

        shown = self.neurons[:_HTML_ROWS]
        rows = []
        for nr in shown:
            alpha = nr.output_weight if np.ndim(nr.output_weight) == 0 else np.linalg.norm(nr.output_weight)
            rows.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
                nr.index, _subset_names(nr) or "-", f"{nr.sign:+d}", f"{alpha:.4g}", nr.describe(),
                _numeric_text(nr, self.feature_names))) + "</tr>")
        more = (f"<p>... {len(self.neurons) - len(shown)} more neurons (result.table() lists all)</p>"
                if len(self.neurons) > len(shown) else "")
        head = "".join(f"<th>{h}</th>" for h in ("#", "samples", "sign", "alpha", "neuron", "formula"))
        summary = html.escape(self.summary())
        return (f"<div><pre>{summary}</pre><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}"
                f"</tbody></table>{more}</div>")

    def table(self, max_rows: int | None = None) -> str:
        """A plain-text table of the neurons: defining samples, output weight, geometry, and the
        numeric formula (in the feature names when known)."""
        rows = [f"{'#':>3}  {'samples':<18} {'sign':>4}  {'alpha':>10}  neuron"]
        shown = self.neurons if max_rows is None else self.neurons[:max_rows]
        for nr in shown:
            alpha = nr.output_weight if np.ndim(nr.output_weight) == 0 else np.linalg.norm(nr.output_weight)
            formula = _numeric_text(nr, self.feature_names)
            rows.append(f"{nr.index:>3}  {_subset_names(nr):<18} {nr.sign:>+4d}  {alpha:>10.4g}  {nr.describe()}"
                        + (f": {formula}" if formula else ""))
        if max_rows is not None and len(self.neurons) > max_rows:
            rows.append(f"... {len(self.neurons) - max_rows} more")
        return "\n".join(rows)

    def summary(self) -> str:
        """A few lines: the problem, the dictionary (or the column generation), the objective and
        the theorem that covers it."""
        d = self.network.dim
        lines = [
            f"ga-relu fit: n={self.dictionary.n_samples}, d={d}, penalty={self.penalty}, bias={self.bias}, "
            f"loss={self.loss}, beta={self.beta:g}, method={self.method}",
            (f"column generation: the full dictionary's {self.dictionary.n_candidates:,} subsets priced in "
             f"{self.info.get('iterations', '?')} rounds, final working set {self.dictionary.n_columns:,} columns; "
             f"pricing ratio {self.info.get('ratio', float('nan')):.8g}"
             if self.method == "colgen" else
             f"dictionary: {self.dictionary.n_columns:,} columns from {self.dictionary.n_candidates:,} subsets "
             f"({self.dictionary.n_degenerate} degenerate, {self.dictionary.n_duplicates} duplicate dropped)"),
            f"objective of (P): {self.objective:.8g}  [{self.case.theorem}, {self.case.bound}: "
            f"{self.case.description}]",
            self._optimality_line(),
            f"active neurons: {len(self.neurons)}; solver {self.status} in {self.solve_time:.3f} s "
            f"(set-up {self.setup_time:.3f} s)",
        ]
        return "\n".join(lines)

    def _optimality_line(self) -> str:
        """What is known about optimality: a bound that was proved (a certificate held in ``info``, or
        a duality gap bound the method computed), else the theorem with the solver's accuracy,
        unchecked. Nothing is called optimal without a check that passed."""
        held = self.info.get("certificate") if isinstance(self.info, dict) else None
        if held is not None and hasattr(held, "optimal"):
            if held.optimal:
                return f"  {held.verdict()} (the certificate held by this fit)"
            return "  the certificate held by this fit did not certify it: see .certificate().summary()"
        gap = self.info.get("gap_bound") if isinstance(self.info, dict) else None
        if gap is not None and np.isfinite(gap) and self.method == "colgen":
            against = "(P)" if self.case.exact else "the full wedge dictionary's Lasso (an upper bound on (P))"
            return (f"  column generation's duality bound: P - P* <= {gap:.3g} (relative "
                    f"{self.info.get('relative_gap_bound', float('nan')):.3g}), P* the optimum of {against}; "
                    ".certificate() checks it independently")
        if not self.case.exact:
            return "  an upper bound on (P); .certificate() measures how far from optimal it can be"
        kkt = self.info.get("kkt_residual") if isinstance(self.info, dict) else None
        if kkt is not None and kkt > 1e-4:  # the same tolerance as the certificate's first-order check
            return (f"  by theorem {self.case.theorem} the Lasso equals (P), but the solver met its optimality "
                    f"conditions only to {kkt:.3g} (relative to beta): an upper bound on (P) until "
                    ".certificate() proves more")
        accuracy = (f"KKT residual {kkt:.3g}" if kkt is not None else
                    f"solver status {self.status!r} at its tolerance; no KKT residual recorded")
        return (f"  optimal by theorem {self.case.theorem}, up to the solver's accuracy ({accuracy}), not checked; "
                "call .certificate() to check")

    def __repr__(self) -> str:
        return (f"FitResult(objective={self.objective:.6g}, neurons={len(self.neurons)}, case={self.case.theorem}, "
                f"{self.case.bound})")


#: rows of the neuron table in FitResult._repr_html_ (a notebook cell, not a report)
_HTML_ROWS = 25


def _subset_names(nr: Neuron) -> str:
    """"x_7,x_12,e_1": the neuron's defining samples and basis vectors, 1-based."""
    return ",".join([f"x_{i + 1}" for i in nr.samples] + [f"e_{k + 1}" for k in nr.basis])


def _numeric_text(nr: Neuron, feature_names) -> str:
    """relu(0.83 bmi - 0.52 s5 + 0.1): the neuron's unit feature, rounded, in the feature names when
    known ("" for vector outputs, whose coefficient is a column)."""
    from ..errors import GaReluError
    from ..explain.formulas import neuron_expression

    try:
        expr = neuron_expression(nr, "numeric", digits=3, feature_names=feature_names)
    except GaReluError:  # a table must still print when one formula cannot be formed
        return ""
    return str(expr).replace("*", " ")


# ---------------------------------------------------------------------------------------------
# reconstruction
# ---------------------------------------------------------------------------------------------


def network_from_lasso(dictionary: Dictionary, z: np.ndarray, intercept, *, X: np.ndarray | None = None,
                       relative_tol: float = _ACTIVE_RELATIVE) -> tuple[ReLUNetwork, list[Neuron]]:
    r"""Neurons of a Lasso solution (docs/theory/problem.md, the reconstruction).

    A nonzero z_j on column (S, s) gives w_j = s sqrt(|z_j|) w_S, b_j alike (||w_S||_p = 1) and
    alpha_j = sign(z_j) sqrt(|z_j|), so (beta/2)(||w_j||_p^2 + alpha_j^2) = beta |z_j|. For several
    outputs the row Z_j gives w_j = s sqrt(||Z_j||) w_S and alpha_j = Z_j / sqrt(||Z_j||).
    Coefficients below ``relative_tol`` times the largest are dropped (solver residue).

    Returns
    -------
    network : ReLUNetwork
    neurons : list of Neuron
        Largest |z_j| first.

    Examples
    --------
    >>> import numpy as np
    >>> from ga_relu.convex.dictionary import wedge_dictionary
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> dictionary = wedge_dictionary(X, penalty="l1", bias=True)
    >>> z = np.zeros(dictionary.n_columns); z[0] = 4.0
    >>> net, neurons = network_from_lasso(dictionary, z, 0.0, X=X)
    >>> len(neurons), float(abs(neurons[0].output_weight))
    (1, 2.0)
    """
    size = group_norms(z)
    top = float(size.max()) if size.size else 0.0
    active = np.flatnonzero(size > relative_tol * top) if top > 0 else np.zeros(0, dtype=int)
    active = active[np.argsort(-size[active], kind="stable")]
    W, B, A, neurons = [], [], [], []
    for rank, j in enumerate(active):
        subset, s, w_unit, b_unit = dictionary.column(int(j))
        scale = np.sqrt(size[j])
        w, b = s * scale * w_unit, s * scale * b_unit
        alpha = z[j] / scale
        W.append(w), B.append(b), A.append(alpha)
        samples, basis = dictionary.split_subset(subset)
        neurons.append(Neuron(index=rank + 1, samples=samples, basis=basis, sign=s, weight=w, bias=float(b),
                              output_weight=alpha if np.ndim(alpha) else float(alpha), coefficient=z[j],
                              unit_weight=s * w_unit, unit_bias=s * b_unit, penalty=dictionary.penalty,
                              has_bias=dictionary.bias, _points=X))
    d = dictionary.dim
    n_out = None if z.ndim == 1 else z.shape[1]
    if W:
        net = ReLUNetwork(np.array(W), np.array(B), np.array(A), intercept)
    else:
        net = ReLUNetwork(np.zeros((0, d)), np.zeros(0), np.zeros((0,) if n_out is None else (0, n_out)), intercept)
    return net, neurons



@dataclasses.dataclass
class FitPath:
    """Fits along a regularization path, all on one dictionary and one compiled problem.

    Examples
    --------
    >>> import numpy as np
    >>> import ga_relu
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> fits = ga_relu.path(X, [0.0, 1.0, 1.0, 0.0], [0.05, 0.5])
    >>> len(fits), fits.coefficients.shape[0]
    (2, 2)
    """

    betas: np.ndarray
    fits: list[FitResult]
    dictionary: Dictionary

    @property
    def coefficients(self) -> np.ndarray:
        """Lasso coefficients, shape (n_betas, n_columns[, c])."""
        return np.array([f.coefficients for f in self.fits])

    def __iter__(self):
        return iter(self.fits)

    def __len__(self) -> int:
        return len(self.fits)

    def __getitem__(self, i):
        return self.fits[i]
