"""How far the weight-decay wedge bound (T4) is above the exact optimum (docs/theory/bounds.md).

Standard normal data, beta = 0.1, seeds 0-5: 2-D with n = 10 and 3-D with n = 8; prints
wedge / exact - 1 per instance. Run: ``.venv/bin/python benchmarks/measure_t4_gap.py``.
"""

import os
import warnings

import numpy as np

import ga_relu as gr


def main() -> None:
    warnings.simplefilter("ignore")
    print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.2f}")
    gaps = []
    for d, n in [(2, 10), (3, 8)]:
        for seed in range(6):
            r = np.random.default_rng(seed)
            X, y = r.standard_normal((n, d)), r.standard_normal(n)
            wedge = gr.fit(X, y, beta=0.1, penalty="l2", method="wedge")
            exact = gr.fit(X, y, beta=0.1, penalty="l2", method="exact")
            gaps.append(wedge.objective / exact.objective - 1)
            print(f"d={d} n={n} seed={seed}: wedge / exact - 1 = {gaps[-1]:.3f}")
    print(f"max {max(gaps):.3f}, median {np.median(gaps):.3f}")


if __name__ == "__main__":
    main()
