"""Certified l1 optima beyond 3-D: column generation priced by the exact MILP, against the sampled fit.

For each data set (standardized; wine class 0 vs 1, breast_cancer, digits 0 vs 1) and loss, fit with
``method="colgen-milp"`` and report the time to a certified optimum, MILP time per round, rounds,
neurons and training accuracy, and in the same run the randomized-subset fit ``subsets=k`` with its
gap bound from the exact MILP oracle's certificate.

    .venv/bin/python benchmarks/bench_milp.py --data wine --n 130 --loss squared --beta 0.5
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def load(name: str, n: int):
    from sklearn import datasets

    if name == "wine":
        X, y = datasets.load_wine(return_X_y=True)
        keep = y < 2
        X, y = X[keep], np.where(y[keep] == 0, 1.0, -1.0)
    elif name == "breast_cancer":
        X, y = datasets.load_breast_cancer(return_X_y=True)
        y = np.where(y == 1, 1.0, -1.0)
    elif name == "digits":
        X, y = datasets.load_digits(return_X_y=True)
        keep = y < 2
        X, y = X[keep], np.where(y[keep] == 0, 1.0, -1.0)
    else:
        raise SystemExit(f"unknown data set {name!r}")
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))[:n]
    X, y = X[order], y[order]
    scale = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(scale > 0, scale, 1.0)  # constant pixels stay 0
    return X, y


def main():
    import ga_relu as gr

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="wine")
    parser.add_argument("--n", type=int, default=130)
    parser.add_argument("--loss", default="squared")
    parser.add_argument("--beta", type=float, default=0.5)
    parser.add_argument("--subsets", type=int, default=2000)
    args = parser.parse_args()
    X, y = load(args.data, args.n)
    start = time.perf_counter()
    result = gr.fit(X, y, beta=args.beta, loss=args.loss, method="colgen-milp", max_iter=200)
    seconds = time.perf_counter() - start
    info = result.info
    milp_rounds = [h for h in info["history"] if h.get("price_s", 0) > 0]
    accuracy = float(np.mean(np.sign(result.predict(X) if hasattr(result, "predict") else result.network(X)) == y))
    print(f"{args.data} n={len(y)} d={X.shape[1]} loss={args.loss} beta={args.beta}: colgen-milp "
          f"{seconds:.1f} s, rounds {info['iterations']}, neurons {result.network.width}, accuracy {accuracy:.3f}, "
          f"ratio {info['ratio']:.8g}, certified {info['certified']}, gap bound {info['gap_bound']:.3g}, "
          f"pricing {info['price_time']:.1f} s over {len(milp_rounds)} rounds")
    start = time.perf_counter()
    sampled = gr.fit(X, y, beta=args.beta, loss=args.loss, subsets=args.subsets, random_state=0)
    certificate = sampled.certificate(oracle="milp")
    print(f"  subsets={args.subsets}: objective {sampled.objective:.6g} vs {result.objective:.6g}, "
          f"MILP certificate ratio {certificate.ratio:.6g}, gap bound {certificate.gap_bound}, "
          f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
