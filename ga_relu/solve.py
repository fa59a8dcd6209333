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


class LassoProgram:
    """The compiled cvxpy problem for a fixed feature matrix K (n x p), targets y and loss."""

    def __init__(self, K: np.ndarray, y: np.ndarray, *, loss: str = "squared", fit_intercept: bool = True,
                 solver: str | None = None):
        import cvxpy as cp

        self.K, self.y, self.loss, self.fit_intercept = K, y, loss, fit_intercept
        self.solver = solver or options.solver
        n, p = K.shape
        multi = y.ndim == 2
        if multi and loss != "squared":
            raise ValueError(f"several outputs (group Lasso, T5) are supported for the squared loss only, not {loss!r}")
        self.beta = cp.Parameter(nonneg=True, name="beta")
        shape = (p, y.shape[1]) if multi else (p,)
        self.z = cp.Variable(shape, name="z")
        self.c = cp.Variable(y.shape[1] if multi else (), name="c") if fit_intercept else None
        pred = K @ self.z
        if fit_intercept:
            pred = pred + (np.ones((n, 1)) @ cp.reshape(self.c, (1, y.shape[1]), order="C") if multi else self.c)
        penalty = cp.sum(cp.norm(self.z, 2, axis=1)) if multi else cp.norm1(self.z)
        self._margin = None
        if loss == "squared":
            data = 0.5 * cp.sum_squares(pred - y)
        elif loss == "logistic":
            data = cp.sum(cp.logistic(-cp.multiply(y, pred)))
        elif loss == "hinge":
            slack = cp.Variable(n, nonneg=True, name="slack")
            self._margin = slack >= 1 - cp.multiply(y, pred)
            data = cp.sum(slack)
        else:
            raise ValueError(f"unknown loss {loss!r}")
        constraints = [self._margin] if self._margin is not None else []
        self.problem = cp.Problem(cp.Minimize(data + self.beta * penalty), constraints)

    def solve(self, beta: float) -> LassoSolution:
        """Solve at this beta (recompiling nothing after the first call); raise on any non-optimal status."""
        import cvxpy as cp

        self.beta.value = beta
        start = time.perf_counter()
        # tight tolerances first; the solver's own defaults (1e-8) when those stall (e.g. logistic
        # loss on separable data, where the optimum has large weights)
        for settings in (solver_settings(self.solver), {}):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)  # "solution may be inaccurate": checked below
                    self.problem.solve(solver=self.solver, **settings)
            except cp.error.SolverError as exc:
                error = exc
                continue
            error = None
            if self.problem.status == cp.OPTIMAL:
                break
        elapsed = time.perf_counter() - start
        if error is not None:
            raise SolverError(
                f"{self.solver} failed on the Lasso ({self.K.shape[0]} samples, {self.K.shape[1]} columns): {error}. "
                "Try rescaling X and y to unit scale, a larger beta, or fewer columns (subsets=K)"
            ) from error
        status = self.problem.status
        if status != cp.OPTIMAL:
            raise SolverError(
                f"{self.solver} returned status {status!r} (not 'optimal') on the Lasso with beta={beta:g}; "
                "the fit would be inaccurate. Try rescaling X and y to unit scale, a larger beta, or a "
                "smaller dictionary (subsets=K or method='colgen')"
            )
        z = np.asarray(self.z.value, dtype=float)
        c = (np.asarray(self.c.value, dtype=float) if self.y.ndim == 2 else float(self.c.value)) if self.c is not None else 0.0
        f = self.K @ z + c
        if self.loss == "hinge":
            mu = np.clip(np.asarray(self._margin.dual_value, dtype=float), 0.0, 1.0)
            lam = self.y * mu
        else:
            lam = dual_vector(self.loss, f, self.y)
        solution = LassoSolution(z=z, intercept=c, lam=lam, status=status, solve_time=elapsed,
                                 solver_value=float(self.problem.value))
        return solution
