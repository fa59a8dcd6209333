"""Column generation against the full solve, at every beta users meet (issue 14, item 4).

(a) 2-D data with bias, weight-decay (l2) wedge dictionary, n = 120, y = sin(3 x1) + x2^2:
    C(120, 2) = 7,140 lines, 14,280 columns. At each beta in {0.05, 1e-2, 1e-3, 1e-4} the full
    dictionary is solved by cvxpy + Clarabel (fit(method="wedge")) and by column generation, which
    certifies its answer by pricing every column (ratio <= 1 + tol); times, their ratio and the
    relative objective difference are printed side by side, with the restricted solves' share.
    At beta = 1e-4 column generation either certifies or prints the error it stopped with (its
    time limit states the gap bound reached); the full solve's own value is only the solver's.
(b) ``--large``: l1, 2-D with bias, n = 1000 and 5000 at beta in {0.1, 0.01}: the column-generation
    fit and its ``certificate()``, once per thread setting of ``--threads`` (e.g. ``1,default``),
    side by side: the oversubscription question (numba and BLAS threads on a loaded machine).

Every run prints the thread settings (environment variables, numba's threads, threadpoolctl's
BLAS pools) and the machine load (os.getloadavg, nproc) first: the figures are ratios measured
in one run, on whatever load the machine had.

``--threads 1,default`` runs (a) too once per thread setting (BLAS and numba pinned to one thread, and
left alone), side by side.

    python benchmarks/bench_colgen.py [--n 120] [--betas 0.05,1e-2,1e-3,1e-4] [--large] [--threads 1,default]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time

import numpy as np

import ga_relu
from ga_relu.convex.colgen import fit_colgen
from ga_relu.errors import GaReluError

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")


def machine() -> str:
    """Thread settings and load, one line each: environment, numba, BLAS pools, load average."""
    env = ", ".join(f"{v}={os.environ.get(v, 'unset')}" for v in THREAD_VARIABLES)
    try:
        import numba

        numba_threads = f"numba threads {numba.get_num_threads()} (of {numba.config.NUMBA_NUM_THREADS})"
    except ImportError:
        numba_threads = "numba not installed"
    try:
        from threadpoolctl import threadpool_info

        pools = "; ".join(f"{p['internal_api']} {p['num_threads']}" for p in threadpool_info()) or "none loaded"
    except ImportError:
        pools = "threadpoolctl not installed"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"  threads: {env}\n  {numba_threads}; BLAS pools: {pools}\n"
            f"  load average (1, 5, 15 min): {load}; nproc {os.cpu_count()}")


@contextlib.contextmanager
def pinned(threads: str):
    """numba, BLAS and ``ga_relu.options.threads`` (BLAS pools and the sweep's pricing threads
    inside column generation) set to ``threads`` ("default": unchanged) for the block."""
    if threads == "default":
        yield
        return
    count = int(threads)
    with ga_relu.options.override(threads=count), _pinned_pools(count):
        yield


@contextlib.contextmanager
def _pinned_pools(count: int):
    """numba's and threadpoolctl's thread counts set to ``count`` for the block."""
    try:
        import numba

        before = numba.get_num_threads()
        numba.set_num_threads(count)
    except ImportError:
        numba, before = None, None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        limits = contextlib.nullcontext()
    else:
        limits = threadpool_limits(limits=count)
    try:
        with limits:
            yield
    finally:
        if numba is not None:
            numba.set_num_threads(before)


def data(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    return X, np.sin(3 * X[:, 0]) + X[:, 1] ** 2


def timed(fn):
    start = time.perf_counter()
    try:
        return fn(), time.perf_counter() - start, None
    except GaReluError as exc:
        return None, time.perf_counter() - start, f"{type(exc).__name__}: {str(exc)[:100]}"


def small_beta(n: int, betas, thread_settings=("default",)) -> None:
    X, y = data(n)
    fit_colgen(X[:20], y[:20], beta=0.05, penalty="l2", bias=True)  # warm-up: imports, outside the timings
    print(f"(a) n = {n}, 2-D with bias, penalty l2, y = sin(3 x1) + x2^2")
    print(f"  {'beta':>8}{'threads':>9}{'full (s)':>10}{'colgen (s)':>12}{'speed-up':>10}{'rel. diff':>12}{'rounds':>8}"
          f"{'subsets':>9}{'solves (s)':>12}{'pricing (s)':>12}  certified")
    for beta in betas:
        for threads in thread_settings:
            kwargs = dict(beta=beta, penalty="l2", bias=True)
            with pinned(threads):
                full, t_full, full_error = timed(lambda: ga_relu.fit(X, y, method="wedge", **kwargs))
                cg, t_cg, cg_error = timed(lambda: fit_colgen(X, y, **kwargs))
            if full_error or cg_error:
                print(f"  {beta:>8g}{threads:>9}{t_full:>10.2f}{t_cg:>12.2f}  {full_error or ''} {cg_error or ''}")
                continue
            info = cg.info
            rel = (cg.objective - full.objective) / abs(full.objective)
            print(f"  {beta:>8g}{threads:>9}{t_full:>10.2f}{t_cg:>12.2f}{t_full / t_cg:>9.1f}x{rel:>+12.1e}"
                  f"{info['iterations']:>8}{info['working_set_size']:>9}{info['solve_time_total']:>12.2f}"
                  f"{info['price_time']:>12.2f}  ratio {info['ratio']:.8f}, gap {info['gap_bound']:.1e} "
                  f"(relative {info['relative_gap_bound']:.1e})")
    print("  targets: speed-up >= 10x at every beta, |rel. diff| <= 1e-6; rel. diff < 0: column generation's "
          "objective is the lower one (its certificate bounds its own distance from the optimum, the gap)")


def large(sizes, betas, thread_settings) -> None:
    print("(b) l1, 2-D with bias: column generation and certificate()")
    print(f"  {'n':>6}{'beta':>7}{'threads':>9}{'fit (s)':>10}{'certificate (s)':>17}  result")
    for n in sizes:
        X, y = data(n, seed=1)
        timed(lambda: ga_relu.fit(X, y, beta=1.0, penalty="l1", method="colgen"))  # warm-up: numba's kernels
        for beta in betas:
            for threads in thread_settings:
                with pinned(threads):
                    fit, t_fit, error = timed(lambda: ga_relu.fit(X, y, beta=beta, penalty="l1", method="colgen"))
                    if error:
                        print(f"  {n:>6}{beta:>7g}{threads:>9}{t_fit:>10.1f}{'':>17}  {error}")
                        continue
                    cert, t_cert, error = timed(fit.certificate)
                note = error or f"optimal={cert.optimal}, ratio {cert.ratio:.8f}"
                print(f"  {n:>6}{beta:>7g}{threads:>9}{t_fit:>10.1f}{t_cert:>17.1f}  {note}")
    print("  target: certified in <= 10 s at n = 1000, <= 120 s at n = 5000")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=120)
    parser.add_argument("--betas", default="0.05,1e-2,1e-3,1e-4")
    parser.add_argument("--large", action="store_true", help="also part (b), n = 1000 and 5000")
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--threads", default="default", help="thread settings (numba, BLAS), e.g. 1,default")
    args = parser.parse_args()
    print("benchmark: column generation against the full solve")
    print(machine())
    small_beta(args.n, [float(b) for b in args.betas.split(",")], args.threads.split(","))
    if args.large:
        large([int(s) for s in args.sizes.split(",")], [0.1, 0.01], args.threads.split(","))
    print("after the run:")
    print(machine())


if __name__ == "__main__":
    main()
