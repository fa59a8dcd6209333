"""The convex program: a (group) Lasso over dictionary columns, solved with cvxpy + Clarabel.

    minimize_z,c   L(K z + c, y) + beta * sum_j ||z_j||_2

z_j is a scalar (one output: the penalty is ||z||_1) or a row of Z (several outputs: the group
Lasso of T5). beta is a ``cp.Parameter``, so a regularization path re-solves the same compiled
problem. The dual vector lambda (theory.md: lambda = -dL/df at the optimum) is returned with the
solution; for the hinge loss it is read off the solver's dual of the margin constraint.
"""

from __future__ import annotations

import dataclasses
import time
import warnings

import numpy as np

from .config import options
from .errors import SolverError
from .losses import dual_vector, loss_value


def solver_settings(solver: str) -> dict:
    """Keyword arguments for ``Problem.solve``: the configured Clarabel tolerances, if Clarabel."""
    return dict(options.clarabel_settings) if solver == "CLARABEL" else {}


@dataclasses.dataclass
class LassoSolution:
    z: np.ndarray  # (p,) or (p, c)
    intercept: np.ndarray | float
    lam: np.ndarray  # (n,) or (n, c)
    status: str
    solve_time: float
    solver_value: float

    def objective(self, K: np.ndarray, y: np.ndarray, loss: str, beta: float) -> float:
        """L(Kz + c, y) + beta * sum ||z_j||, recomputed in numpy (not the solver's value)."""
        f = K @ self.z + self.intercept
        penalty = np.abs(self.z).sum() if self.z.ndim == 1 else np.linalg.norm(self.z, axis=1).sum()
        return loss_value(loss, f, y) + beta * float(penalty)


@dataclasses.dataclass
class _Formulation:
    """One compiled cvxpy problem for K / feature_scale and y / target_scale."""

    problem: object
    z: object
    c: object
    beta: object
    margin: object
    feature_scale: float
    target_scale: float


class LassoProgram:
    """The compiled cvxpy problem for a fixed feature matrix K (n x p), targets y and loss.

    It is solved on unit scale: K = t K' and, for the squared loss, y = s y'. With z = (s/t) z' and
    c = s c' the objective is s^2 [L(K'z' + c', y') + beta/(s t) ||z'||] (s = 1 for labels), so only
    the value of the beta parameter changes. Clarabel's exponential-cone steps (logistic loss) can
    stall on one scaling and not on another: when the unit-scale problem fails with every fallback
    setting, the same problem on the data's own scale is compiled and tried too.
    """

    def __init__(self, K: np.ndarray, y: np.ndarray, *, loss: str = "squared", fit_intercept: bool = True,
                 solver: str | None = None):
        self.K, self.y, self.loss, self.fit_intercept = K, y, loss, fit_intercept
        self.solver = solver or options.solver
        if y.ndim == 2 and loss != "squared":
            raise ValueError(f"several outputs (group Lasso, T5) are supported for the squared loss only, not {loss!r}")
        feature_scale = float(np.abs(K).max(initial=0.0)) or 1.0
        target_scale = (float(np.abs(y).max(initial=0.0)) or 1.0) if loss == "squared" else 1.0
        self._scalings = [(feature_scale, target_scale)]
        if (feature_scale, target_scale) != (1.0, 1.0):
            self._scalings.append((1.0, 1.0))
        self._compiled: dict[tuple[float, float], _Formulation] = {}

    def _formulation(self, feature_scale: float, target_scale: float) -> _Formulation:
        key = (feature_scale, target_scale)
        if key not in self._compiled:
            self._compiled[key] = self._build(self.K / feature_scale, self.y / target_scale, feature_scale,
                                              target_scale)
        return self._compiled[key]

    def _build(self, K, y, feature_scale, target_scale) -> _Formulation:
        import cvxpy as cp

        n, p = K.shape
        multi = y.ndim == 2
        beta = cp.Parameter(nonneg=True, name="beta")
        z = cp.Variable((p, y.shape[1]) if multi else (p,), name="z")
        c = cp.Variable(y.shape[1] if multi else (), name="c") if self.fit_intercept else None
        pred = K @ z
        if c is not None:
            pred = pred + (np.ones((n, 1)) @ cp.reshape(c, (1, y.shape[1]), order="C") if multi else c)
        penalty = cp.sum(cp.norm(z, 2, axis=1)) if multi else cp.norm1(z)
        margin = None
        if self.loss == "squared":
            data = 0.5 * cp.sum_squares(pred - y)
        elif self.loss == "logistic":
            data = cp.sum(cp.logistic(-cp.multiply(y, pred)))
        elif self.loss == "hinge":
            slack = cp.Variable(n, nonneg=True, name="slack")
            margin = slack >= 1 - cp.multiply(y, pred)
            data = cp.sum(slack)
        else:
            raise ValueError(f"unknown loss {self.loss!r}")
        problem = cp.Problem(cp.Minimize(data + beta * penalty), [margin] if margin is not None else [])
        return _Formulation(problem, z, c, beta, margin, feature_scale, target_scale)

    def _attempts(self):
        """(formulation, settings) in order: tight tolerances, the solver's defaults, then Clarabel
        without equilibration and with shorter steps; on each scaling in turn."""
        settings = [solver_settings(self.solver), {}]
        if self.solver == "CLARABEL":
            settings += [{"equilibrate_enable": False}, {"max_step_fraction": 0.9}]
        for scaling in self._scalings:
            for setting in settings:
                yield scaling, setting

    def solve(self, beta: float) -> LassoSolution:
        """Solve at this beta (recompiling nothing after the first call); raise on any non-optimal status."""
        import cvxpy as cp

        start = time.perf_counter()
        error, status, form = None, None, None
        for scaling, setting in self._attempts():
            form = self._formulation(*scaling)
            form.beta.value = beta / (form.target_scale * form.feature_scale)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # "solution may be inaccurate": checked below
                    form.problem.solve(solver=self.solver, **setting)
            except cp.error.SolverError as exc:
                error = exc
                continue
            error, status = None, form.problem.status
            if status == cp.OPTIMAL:
                break
        elapsed = time.perf_counter() - start
        if error is not None:
            raise SolverError(
                f"{self.solver} failed on the Lasso ({self.K.shape[0]} samples, {self.K.shape[1]} columns, "
                f"loss {self.loss!r}, beta={beta:g}) with every fallback setting: {error} Try a larger beta, "
                "the hinge loss for (nearly) separable classes, or fewer columns (subsets=K)"
            ) from error
        if status != cp.OPTIMAL:
            raise SolverError(
                f"{self.solver} returned status {status!r} (not 'optimal') on the Lasso with beta={beta:g}; "
                "the fit would be inaccurate. Try a larger beta, rescaling X and y, or a smaller dictionary "
                "(subsets=K or method='colgen')"
            )
        unscale = form.target_scale / form.feature_scale
        z = np.asarray(form.z.value, dtype=float) * unscale
        c = 0.0
        if form.c is not None:
            c = (np.asarray(form.c.value, dtype=float) if self.y.ndim == 2 else float(form.c.value)) * form.target_scale
        if self.loss == "hinge":
            lam = self.y * np.clip(np.asarray(form.margin.dual_value, dtype=float), 0.0, 1.0)
        else:
            lam = dual_vector(self.loss, self.K @ z + c, self.y)
        return LassoSolution(z=z, intercept=c, lam=lam, status=status, solve_time=elapsed,
                             solver_value=float(form.problem.value) * form.target_scale**2)
