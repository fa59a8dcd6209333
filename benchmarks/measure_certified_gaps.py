"""How tight the certificates are: the relative gap bound of fits across cases (issue 12's note).

For d = 1, 2, 3, every loss, both penalties and methods auto / colgen on 12 standard normal samples
(seed d, beta = 0.05), prints whether the certificate says optimal, its ratio, and the relative
weak-duality gap bound P - P* <= g it proves. Run: ``.venv/bin/python benchmarks/measure_certified_gaps.py``.
"""

import os
import time
import warnings

import numpy as np

import ga_relu as gr


def main() -> None:
    warnings.simplefilter("ignore")
    print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.2f}, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}")
    print(f"{'d':>2} {'loss':9} {'pen':3} {'method':7} {'optimal':7} {'ratio':>12} {'relative gap':>12} {'s':>6}")
    for d in (1, 2, 3):
        for loss in ("squared", "logistic", "hinge"):
            for penalty in ("l1", "l2"):
                for method in ("auto", "colgen"):
                    r = np.random.default_rng(d)
                    X, y = r.standard_normal((12, d)), r.standard_normal(12)
                    if loss != "squared":
                        y = np.sign(y)
                    start = time.perf_counter()
                    fit = gr.fit(X, y, beta=0.05, loss=loss, penalty=penalty, method=method)
                    cert = fit.certificate()
                    rel = cert.relative_gap if cert.relative_gap is not None else float("nan")
                    print(f"{d:>2} {loss:9} {penalty:3} {method:7} {str(cert.optimal):7} {cert.ratio:12.10f} "
                          f"{rel:12.3g} {time.perf_counter() - start:6.2f}")


if __name__ == "__main__":
    main()
