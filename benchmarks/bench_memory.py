"""Peak memory of the full-dictionary solve (cvxpy + Clarabel, or the native logistic solver), per loss.

Run:  python benchmarks/bench_memory.py [--quick] [--json OUT]

Each case runs in a fresh Python subprocess, so that one case's allocations do not hide the next
one's: the child imports ga_relu and cvxpy, builds its data, warms the solver up on a tiny problem
(so that numba / cvxpy one-time costs are in the baseline), reads ``resource.getrusage`` ru_maxrss
(the baseline), runs ``ga_relu.fit(..., method="wedge")`` and reads ru_maxrss again. The increase
is the solve's peak, compared with the dense feature matrix's 8 n m bytes (m columns).

The fitted model (the constants of :mod:`ga_relu.convex.budget`) is

    peak bytes  ~=  a_loss * (8 n m)  +  b_loss * 8 m  +  c,

least squares over the cases below; the script prints a, b, c per loss and the largest ratio of
measured peak to 8 n m. It never runs the cases that issue 18 says must be refused (7 GB): the
largest matrix here is about 70 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

CHILD = r"""
import json, resource, sys, time
import numpy as np
import ga_relu as gr
import cvxpy  # noqa: F401  (its import is part of the baseline, not of the solve)
n, d, loss, penalty = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
r = np.random.default_rng(0)
X = r.standard_normal((n, d))
y = r.standard_normal(n)
if loss != "squared":
    y = np.where(y > 0, 1.0, -1.0)
warm = gr.fit(X[:6], y[:6] if loss == "squared" else np.array([1.0, -1.0] * 3), beta=1.0, loss=loss,
              penalty=penalty, method="wedge")
from ga_relu.convex.budget import peak_rss_bytes, reset_peak_rss
reset_peak_rss()  # the warm-up's own peak (imports, compiles) is not part of the solve's
before = peak_rss_bytes()
start = time.perf_counter()
result = gr.fit(X, y, beta=1.0, loss=loss, penalty=penalty, method="wedge")
seconds = time.perf_counter() - start
after = peak_rss_bytes()
print(json.dumps({"n": n, "d": d, "loss": loss, "penalty": penalty, "columns": result.dictionary.n_columns,
                  "matrix_bytes": 8 * n * result.dictionary.n_columns, "baseline_bytes": before,
                  "peak_increase_bytes": after - before, "seconds": seconds}))
"""

#: (n, d, loss, penalty): 2-D l1 with bias has 2 C(n + 2, 2) columns
CASES = [(n, 2, loss, "l1") for loss in ("squared", "logistic", "hinge") for n in (60, 100, 140)] + [
    (24, 3, "squared", "l2"), (30, 3, "squared", "l2")]
QUICK = [(n, 2, "squared", "l1") for n in (60, 100)]


def run_case(n, d, loss, penalty) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(n), str(d), loss, penalty], capture_output=True,
                         text=True, timeout=900, cwd=Path(__file__).resolve().parents[1])
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def fit_model(rows: list[dict]) -> tuple[float, float, float]:
    """Least squares peak ~ a (8 n m) + b (8 m) + c."""
    A = np.array([[r["matrix_bytes"], 8 * r["columns"], 1.0] for r in rows])
    coef, *_ = np.linalg.lstsq(A, np.array([r["peak_increase_bytes"] for r in rows], dtype=float), rcond=None)
    return tuple(float(v) for v in coef)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two small cases only")
    parser.add_argument("--json", metavar="OUT", help="write the measurements as JSON")
    args = parser.parse_args(argv)
    rows = []
    for case in QUICK if args.quick else CASES:
        row = run_case(*case)
        rows.append(row)
        print(f"n={row['n']:4d} d={row['d']} {row['loss']:8s} {row['penalty']}  columns={row['columns']:7,d}  "
              f"matrix={row['matrix_bytes'] / 2**20:7.1f} MiB  peak+={row['peak_increase_bytes'] / 2**20:8.1f} MiB  "
              f"ratio={row['peak_increase_bytes'] / row['matrix_bytes']:6.1f}  {row['seconds']:.1f} s", flush=True)
    for loss in sorted({r["loss"] for r in rows}):
        mine = [r for r in rows if r["loss"] == loss]
        worst = max(r["peak_increase_bytes"] / r["matrix_bytes"] for r in mine)
        if len(mine) >= 3:
            a, b, c = fit_model(mine)
            print(f"{loss:8s}: peak ~ {a:.2f} * 8nm + {b:.1f} * 8m + {c / 2**20:.1f} MiB; worst ratio {worst:.1f}")
        else:
            print(f"{loss:8s}: worst ratio peak / 8nm {worst:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
