"""Weight-decay certificates in the plane and in 3-D: the sweeps against the chamber oracle, against n.

Prints, per n, the seconds of one exact maximization by each oracle on the same dual vector and
their values (the chamber oracle, one cone program per activation pattern, only up to
``--chambers-up-to`` samples in the plane and ``--chambers-3d-up-to`` in 3-D), plus the thread
settings and machine load: in the plane the angular sweep, in 3-D the sphere sweep (with a bias,
and at the largest n also without). Then the pattern column generation (method="exact_colgen") on
the two-spiral data at n = ``--spiral``, against the randomized wedge fit (subsets=k), in the same run.
In 3-D, the pattern column generation priced by the sphere sweep (with a bias, beta = 0.01 n: ~10
neurons) at n = ``--colgen-3d``: seconds to a certified fit and of its certificate, rounds,
patterns, and the full chamber program (method="exact") side by side up to ``--exact-3d-up-to``.

Run: ``python benchmarks/bench_l2_certificate.py [--spiral 160] [--chambers-up-to 50]
[--sizes-3d 20 40 80 160] [--chambers-3d-up-to 20] [--colgen-3d 40 80 120] [--exact-3d-up-to 40]``.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import ga_relu as gr
from ga_relu.certification.angular import AngularOracle
from ga_relu.certification.oracles import ChamberOracle, OracleSettings
from ga_relu.certification.sphere_sweep import SphereSweepOracle
from ga_relu.convex.problem import Problem


def environment() -> str:
    threads = {k: os.environ.get(k, "unset") for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                                       "NUMBA_NUM_THREADS")}
    return f"threads {threads}; load average {os.getloadavg()}; cpus {os.cpu_count()}"


def certificate_cost(ns, chambers_up_to: int) -> None:
    rng = np.random.default_rng(0)
    print("n, angular seconds, angular value, chamber seconds, chamber value")
    for n in ns:
        X = rng.uniform(-1, 1, size=(n, 2))
        y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2
        lam = rng.normal(size=n)
        lam -= lam.mean()
        problem = Problem(X, y, beta=0.01, penalty="l2")
        t0 = time.perf_counter()
        angular = AngularOracle(OracleSettings())(problem, lam)
        t_angular = time.perf_counter() - t0
        line = f"{n}, {t_angular:.4f}, {angular.value:.12g}"
        if n <= chambers_up_to:
            t0 = time.perf_counter()
            chambers = ChamberOracle(OracleSettings())(problem, lam)
            line += f", {time.perf_counter() - t0:.3f}, {chambers.value:.12g}"
        print(line, flush=True)


def certificate_cost_3d(ns, chambers_up_to: int) -> None:
    rng = np.random.default_rng(0)
    print("3-D: n, bias, sphere-sweep seconds, sphere value, arcs, regions evaluated, chamber seconds, chamber value")
    for n in ns:
        X = rng.uniform(-1, 1, size=(n, 3))
        y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2 - X[:, 2]
        lam = rng.normal(size=n)
        lam -= lam.mean()
        for bias in (True, False) if n == max(ns) else (True,):
            problem = Problem(X, y, beta=0.01, penalty="l2", bias=bias)
            t0 = time.perf_counter()
            swept = SphereSweepOracle(OracleSettings())(problem, lam)
            t_swept = time.perf_counter() - t0
            regions = swept.method.split("arc and region (")[1].split(" ")[0]
            line = f"{n}, {bias}, {t_swept:.3f}, {swept.value:.12g}, {swept.n_candidates:,}, {regions}"
            if n <= chambers_up_to:
                t0 = time.perf_counter()
                chambers = ChamberOracle(OracleSettings(max_patterns=10**6))(problem, lam)
                line += f", {time.perf_counter() - t0:.2f}, {chambers.value:.12g}"
            print(line, flush=True)


def colgen_3d(ns, exact_up_to: int) -> None:
    print("3-D exact weight decay (bias, beta = 0.01 n): n, exact_colgen seconds, certificate seconds, optimal, "
          "rounds, patterns, neurons, relative gap bound, objective; method='exact' seconds, objective, relative "
          "difference")
    for n in ns:
        rng = np.random.default_rng(0)
        X = rng.uniform(-1, 1, size=(n, 3))
        y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2 - X[:, 2] + 0.1 * rng.normal(size=n)
        beta = 0.01 * n
        fitted, t_fit, certificate, t_cert = _exact_colgen_and_certificate(X, y, beta)
        info = fitted.info
        line = (f"{n}, {t_fit:.1f}, {t_cert:.1f}, {certificate.optimal}, {info['rounds']}, {info['n_patterns']}, "
                f"{fitted.network.width}, {info['relative_gap_bound']:.2g}, {fitted.objective:.10g}")
        if n <= exact_up_to:
            t0 = time.perf_counter()
            full = gr.fit(X, y, beta=beta, penalty="l2", method="exact", compare_wedge=False, max_patterns=10**5)
            line += (f"; {time.perf_counter() - t0:.1f}, {full.objective:.10g}, "
                     f"{(fitted.objective - full.objective) / full.objective:.2g}")
        print(line + f"  (load {os.getloadavg()[0]:.1f})", flush=True)


def _exact_colgen_and_certificate(X, y, beta: float):
    """(fit, its seconds, certificate, its seconds) of method="exact_colgen" with weight decay."""
    t0 = time.perf_counter()
    fitted = gr.fit(X, y, beta=beta, penalty="l2", method="exact_colgen")
    t_fit = time.perf_counter() - t0
    t0 = time.perf_counter()
    certificate = fitted.certificate()
    return fitted, t_fit, certificate, time.perf_counter() - t0


def spiral(n: int, beta: float, subsets: int) -> None:
    X, y = gr.make_spiral(n)
    exact, t_exact, certificate, t_cert = _exact_colgen_and_certificate(X, y, beta)
    print(f"spiral n={n} beta={beta:g}: exact_colgen objective {exact.objective:.8g} in {t_exact:.1f} s "
          f"({exact.info['rounds']} rounds, {exact.info['n_patterns']} patterns, gap bound "
          f"{exact.info['gap_bound']:.3g}); certificate {t_cert:.2f} s, ratio {certificate.ratio:.8g}", flush=True)
    t0 = time.perf_counter()
    wedge = gr.fit(X, y, beta=beta, penalty="l2", method="wedge", subsets=subsets, random_state=0)
    print(f"  wedge subsets={subsets}: objective {wedge.objective:.8g} (an upper bound) in "
          f"{time.perf_counter() - t0:.1f} s; ratio to the exact optimum {wedge.objective / exact.objective:.6f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chambers-up-to", type=int, default=50)
    parser.add_argument("--spiral", type=int, default=160)
    parser.add_argument("--sizes-3d", type=int, nargs="*", default=[20, 40, 80, 160])
    parser.add_argument("--chambers-3d-up-to", type=int, default=20)
    parser.add_argument("--colgen-3d", type=int, nargs="*", default=[40, 80, 120])
    parser.add_argument("--exact-3d-up-to", type=int, default=40)
    parser.add_argument("--skip-2d", action="store_true", help="only the 3-D rows")
    parser.add_argument("--beta", type=float, default=1e-2)
    parser.add_argument("--subsets", type=int, default=12_000)
    args = parser.parse_args()
    print(environment())
    if not args.skip_2d:
        certificate_cost([20, 50, 120, 250, 500, 1000], args.chambers_up_to)
    certificate_cost_3d(args.sizes_3d, args.chambers_3d_up_to)
    colgen_3d(args.colgen_3d, args.exact_3d_up_to)
    if args.spiral and not args.skip_2d:
        spiral(args.spiral, args.beta, args.subsets)


if __name__ == "__main__":
    main()
