"""Batched cross products against a per-subset Python loop and numpy.linalg.det; import time.

Run:  python benchmarks/bench_algebra.py [--quick]

For each case (10^6 cross products in R^3: stacks of shape (m, 2, 3); 10^5 in R^5: (m, 4, 5)) it
prints, measured in the same run, the best of a few repeats of

* ``cross_batch`` (ga_relu's batched path),
* numpy.linalg.det on the d stacked (d-1) x (d-1) minors (cross_k = (-1)^k det(A without column k)),
  timed with and without building the minors,
* a Python loop calling ``ga_relu.cross`` once per subset, timed on a subsample and extrapolated
  linearly to m (said so in the output),

and the wall time of ``python -c "import ga_relu"`` (fresh subprocesses, min of several).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np

try:
    import ga_relu  # noqa: F401
except ModuleNotFoundError:  # run from a checkout without installing
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ga_relu.algebra.batched import cross_batch, signed_volume_batch
from ga_relu.algebra.blades import cross


def best_of(repeats: int, function, *args) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def stacked_minors(A: np.ndarray) -> np.ndarray:
    d = A.shape[2]
    return np.stack([np.delete(A, k, axis=2) for k in range(d)], axis=1)


def minors_cross(A: np.ndarray) -> np.ndarray:
    d = A.shape[2]
    return np.linalg.det(stacked_minors(A)) * (-1.0) ** np.arange(d)


def python_loop(A: np.ndarray) -> list:
    return [cross(*subset) for subset in A]


def bench_cross(d: int, m: int, loop_sample: int, repeats: int) -> None:
    rng = np.random.default_rng(d)
    A = rng.standard_normal((m, d - 1, d))
    cross_batch(A[:10])  # build the layout tables once (clifford, about 1 s per process)
    cross(*A[0])
    ours = best_of(repeats, cross_batch, A)
    minors = stacked_minors(A)
    det_only = best_of(repeats, np.linalg.det, minors)
    det_total = best_of(repeats, minors_cross, A)
    loop = best_of(1, python_loop, A[:loop_sample]) * m / loop_sample
    error = np.max(np.abs(cross_batch(A) - minors_cross(A)))
    print(f"cross products in R^{d}, m = {m:,} (stack shape {A.shape}):")
    print(f"  cross_batch                          {ours:9.4f} s")
    print(f"  numpy.linalg.det on stacked minors   {det_only:9.4f} s   ratio batch/det {ours / det_only:6.3f}")
    print(f"  ... including building the minors   {det_total:9.4f} s   ratio batch/det {ours / det_total:6.3f}")
    print(
        f"  Python loop of ga_relu.cross         {loop:9.4f} s   ratio batch/loop {ours / loop:8.5f}"
        f"   (timed on {loop_sample:,} subsets, extrapolated x{m // loop_sample})"
    )
    print(f"  max |batch - det| = {error:.2e}")


def bench_volume(d: int, m: int, repeats: int) -> None:
    A = np.random.default_rng(10 + d).standard_normal((m, d, d))
    signed_volume_batch(A[:10])
    ours = best_of(repeats, signed_volume_batch, A)
    det = best_of(repeats, np.linalg.det, A)
    print(f"signed volumes in R^{d}, m = {m:,}: signed_volume_batch {ours:.4f} s, numpy.linalg.det {det:.4f} s, "
          f"ratio {ours / det:.3f}")


def bench_import(repeats: int) -> None:
    def wall(code: str) -> float:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times.append(time.perf_counter() - start)
        return min(times)

    package, bare, numpy_only = wall("import ga_relu"), wall("pass"), wall("import numpy")
    print(f'python -c "import ga_relu": {package:.3f} s (min of {repeats}); '
          f"bare interpreter {bare:.3f} s, import numpy {numpy_only:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller stacks, one repeat")
    args = parser.parse_args()
    scale, repeats = (10, 1) if args.quick else (1, 3)
    print(f"numpy {np.__version__}, Python {sys.version.split()[0]}")
    bench_cross(3, 10**6 // scale, 2000, repeats)
    bench_cross(5, 10**5 // scale, 2000, repeats)
    bench_volume(3, 10**6 // scale, repeats)
    bench_volume(5, 10**5 // scale, repeats)
    bench_import(5)


if __name__ == "__main__":
    main()
