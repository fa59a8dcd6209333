"""The CLI with no options (issue 17): time, peak memory and certificate of each default run.

Each case is `ga-relu fit FILE --target target --beta 1 [--loss logistic]` in a fresh process
(peak memory: that process's ru_maxrss), stopped at ``--timeout`` seconds (60 by default: the
issue's bound). Data: scikit-learn's diabetes (2 and 3 standardized features, standardized
target), breast_cancer (2 and 5 standardized features, labels +-1, logistic), moons (n = 1500,
noise 0.2, seed 0, logistic) and the package's iris petals (logistic).

Run: ``.venv/bin/python benchmarks/bench_defaults.py [--timeout 60] [--only diabetes-2,...]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

CHILD = r"""
import json, resource, sys, time, io, contextlib
start = time.perf_counter()
from ga_relu.interfaces.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    rc = main(sys.argv[1:])
text = out.getvalue()
print(json.dumps({"rc": rc, "seconds": time.perf_counter() - start,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "lines": [l for l in text.splitlines() if l.startswith(("certificate", "ga-relu fit", "  column"))]}))
"""


def _standardize(a: np.ndarray) -> np.ndarray:
    return (a - a.mean(axis=0)) / a.std(axis=0)


def _write(folder: str, name: str, X: np.ndarray, y: np.ndarray) -> str:
    path = os.path.join(folder, f"{name}.csv")
    header = ",".join([f"x{j + 1}" for j in range(X.shape[1])] + ["target"])
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", header=header, comments="", fmt="%.17g")
    return path


def cases(folder: str) -> list[tuple[str, str, list[str]]]:
    """(name, csv path, extra CLI arguments) of the issue's default runs."""
    from sklearn import datasets

    from ga_relu.interfaces.datasets import load_iris_petals

    diabetes = datasets.load_diabetes()
    names = list(diabetes.feature_names)
    target = _standardize(diabetes.target)
    cancer = datasets.load_breast_cancer()
    labels = np.where(cancer.target == 1, 1.0, -1.0)
    Xm, ym = datasets.make_moons(1500, noise=0.2, random_state=0)
    iris = load_iris_petals()
    Xi, yi = (iris[0], iris[1]) if isinstance(iris, tuple) else (iris.X, iris.y)
    logistic = ["--loss", "logistic"]
    out = []
    for cols in (["bmi", "s5"], ["bmi", "s5", "bp"]):
        X = _standardize(diabetes.data[:, [names.index(c) for c in cols]])
        out.append((f"diabetes-{len(cols)}", _write(folder, f"diabetes{len(cols)}", X, target), []))
    for k in (2, 5):
        out.append((f"breast_cancer-{k}", _write(folder, f"cancer{k}", _standardize(cancer.data[:, :k]), labels),
                    logistic))
    out.append(("moons-1500", _write(folder, "moons", Xm, np.where(ym == 1, 1.0, -1.0)), logistic))
    out.append(("iris-petals", _write(folder, "iris", np.asarray(Xi, float), np.asarray(yi, float)), logistic))
    return out


def run_case(path: str, extra: list[str], timeout: float) -> dict:
    argv = ["fit", path, "--target", "target", "--beta", "1", *extra]
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"rc": None, "seconds": time.perf_counter() - start, "peak_mib": None,
                "lines": [f"did not finish within {timeout:g} s"]}
    if done.returncode != 0 or not done.stdout.strip():
        return {"rc": done.returncode, "seconds": time.perf_counter() - start, "peak_mib": None,
                "lines": (done.stdout + done.stderr).strip().splitlines()[-2:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--only", help="comma-separated case names")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        for name, path, extra in cases(folder):
            if args.only and name not in args.only.split(","):
                continue
            row = run_case(path, extra, args.timeout)
            peak = "-" if row["peak_mib"] is None else f"{row['peak_mib']:.0f} MiB"
            print(f"{name:<16} rc={row['rc']}  {row['seconds']:6.1f} s  {peak:>9}  " + " | ".join(row["lines"]),
                  flush=True)


if __name__ == "__main__":
    main()
