"""Logistic Lasso on wedge dictionaries: the native proximal-Newton solver vs cvxpy + Clarabel.

Prints, side by side in one run, the wall time and the objective of both solvers, the native
solution's KKT residual (max violation / beta) and the time ratio. ``--skip-slow`` skips the
Clarabel solve that takes about a minute and a half (setosa vs rest).
"""

import os
import sys
import time

import numpy as np
from sklearn.datasets import load_iris

import ga_relu
from ga_relu.errors import SolverError
from ga_relu.convex.problem import Problem
from ga_relu.convex.solvers import LassoProgram, logistic_kkt_residual, logistic_lasso
from ga_relu.convex.wedge import wedge_program


def wedge_matrix(X, y):
    problem = Problem(X, y, beta=0.1, penalty="l1", bias=True, loss="logistic", fit_intercept=True)
    return wedge_program(problem).K, problem.y


def main() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    iris = load_iris()
    cases = [
        ("petals vers/virg", *wedge_matrix(*ga_relu.load_iris_petals()[:2]), [1, 0.1, 0.01]),
        ("gauss n=20 d=3", *wedge_matrix(X, np.sign(X[:, 0] + 0.3 * X[:, 1])), [0.1]),
        ("setosa vs rest", *wedge_matrix(iris.data[:, 2:4], np.where(iris.target == 0, 1.0, -1.0)), [0.1]),
    ]
    skip = {("setosa vs rest", 0.1)} if "--skip-slow" in sys.argv else set()
    print(f"cores: {os.cpu_count()}")
    print(f"{'instance':17} {'shape':>11} {'beta':>5} | {'native s':>8} {'P native':>16} {'KKT/beta':>8} | "
          f"{'Clarabel s':>10} {'P Clarabel':>16} {'status':>10} | ratio")
    for name, K, y, betas in cases:
        for beta in betas:
            start = time.perf_counter()
            native = logistic_lasso(K, y, beta)
            t_native = time.perf_counter() - start
            p_native = native.objective(K, y, "logistic", beta)
            kkt = logistic_kkt_residual(K, y, native.z, native.intercept, beta)
            if (name, beta) in skip:
                t_cone, p_cone, status = float("nan"), float("nan"), "skipped"
            else:
                program = LassoProgram(K, y, loss="logistic")
                start = time.perf_counter()
                try:
                    cone = program._solve_cone(beta, start)
                    status, p_cone = cone.status, cone.objective(K, y, "logistic", beta)
                except SolverError:
                    status, p_cone = "failed", float("nan")
                t_cone = time.perf_counter() - start
            print(f"{name:17} {str(K.shape):>11} {beta:>5g} | {t_native:8.3f} {p_native:16.12g} {kkt:8.1e} | "
                  f"{t_cone:10.2f} {p_cone:16.12g} {status:>10} | {t_cone / t_native:7.0f}x")


if __name__ == "__main__":
    main()
