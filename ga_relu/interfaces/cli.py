"""The ``ga-relu`` command line: ``ga-relu demo`` and ``ga-relu fit FILE.csv``.

``ga-relu demo [--plot OUT.png]`` trains on bundled data (the iris petal pair versicolor/virginica
and a synthetic two-spiral set) and prints, per fit, the summary, the neurons with their defining
samples, their formulas, the value of problem (P), which theorem says whether it is exact, and the
dual certificate.

``ga-relu fit FILE.csv --target COL --beta B [...]`` fits a CSV file (header row, numeric columns)
and can write the result as JSON (``--json``), LaTeX (``--latex``) and a picture (``--plot``).
Output files are written atomically: every file is first written to a temporary file in its own
folder and moved into place only when all of them are ready, so a failing run leaves none behind.

Output files are written atomically and together: each to a temporary file in its own folder
(with the mode the umask gives), then all moved into place as one transaction. If any of them
cannot be put in place (an immutable or otherwise unwritable target, say), the ones already moved
get their previous contents back, so a failing run changes no file. Output folders are checked
before the fit starts, so a missing or read-only folder fails at once. Ctrl-C during the fit leaves
no file; two runs writing the same file leave one of them, whole.

Errors print one line ``ga-relu: error: ...`` on stderr, never a traceback. Exit status: 0
success, 1 data, solver or file errors, 2 usage errors (unknown options, bad parameter values),
3 an internal error (a bug: the line names the exception; please report it), 130 interrupted.
Warnings raised by the libraries underneath are collected and printed once each, as one line
``ga-relu: warning: ...``, after a successful run.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
import time
import warnings

import numpy as np

from .._files import check_output_folder, check_writable_folder, figure_writer, staged_files, text_writer
from ..errors import GaReluError

PROG = "ga-relu"
EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

# the demo's fits: small enough that the whole demo takes a few seconds
DEMO_IRIS = dict(beta=1.0, penalty="l1", bias=True, loss="logistic")
DEMO_SPIRAL_DATA = dict(n=100, turns=1.0, noise=0.0)  # enough points to show two spirals
DEMO_SPIRAL = dict(beta=0.1, penalty="l1", bias=True, loss="squared")
DEMO_TABLE_ROWS = 12


class CommandError(GaReluError):
    """A user-facing failure: one line of text and an exit status."""

    def __init__(self, message: str, status: int = EXIT_DATA):
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line (CommandError) instead of exiting."""

    def error(self, message):
        raise CommandError(f"{message} (see '{self.prog} --help')", EXIT_USAGE)


# ---------------------------------------------------------------------------------------------
# argument types: parameter validation goes through ga_relu.validation
# ---------------------------------------------------------------------------------------------


def _beta(text: str) -> float:
    from ..validation import check_beta

    try:
        return check_beta(float(text), "--beta")
    except (ValueError, GaReluError) as exc:
        raise argparse.ArgumentTypeError(
            str(exc) if isinstance(exc, GaReluError) else f"--beta must be a positive number, got {text!r}"
        ) from None


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"--beta-fraction must be a positive number (e.g. 0.01), got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _seed(text: str) -> int:
    """A random seed: a whole number >= 0 (numpy's seeds are non-negative)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"a seed must be a whole number >= 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``ga-relu {demo,fit}``; usage errors raise CommandError (exit status 2).

    Examples
    --------
    >>> args = build_parser().parse_args(["fit", "data.csv", "--target", "y", "--beta", "0.5"])
    >>> args.command, args.beta, args.penalty, args.bias
    ('fit', 0.5, 'l1', True)
    """
    from ..convex.fitting import method_names
    from ..convex.losses import LOSSES
    from ..convex.penalties import PENALTIES

    parser = _Parser(prog=PROG, description="Optimal two-layer ReLU networks whose neurons are wedge "
                                            "products of training samples (convex training, certificates).")
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{demo,fit}", parser_class=_Parser)
    commands.required = True

    demo = commands.add_parser("demo", help="fit bundled data (iris petals, a spiral) and explain the result")
    demo.add_argument("--plot", metavar="OUT.png", help="also draw both fits into this image file")
    demo.add_argument("--no-certificate", action="store_true", help="skip the dual certificates")

    fit = commands.add_parser("fit", help="fit a CSV file (header row, numeric columns)")
    fit.add_argument("file", metavar="FILE.csv", help="CSV file with a header row")
    fit.add_argument("--target", required=True, metavar="COL", help="name of the target column")
    fit.add_argument("--features", metavar="A,B", help="comma-separated feature columns (default: all but the target)")
    scale = fit.add_mutually_exclusive_group()
    scale.add_argument("--beta", type=_beta, help="regularization strength beta > 0 of problem (P), absolute")
    scale.add_argument("--beta-fraction", type=_fraction, metavar="F",
                       help="beta as a fraction F of beta_max, the smallest beta at which the optimal network is "
                            "empty (default 0.01 when --beta is not given; 1 gives no neurons, smaller F more)")
    fit.add_argument("--penalty", choices=PENALTIES, default="l1",
                     help="l1 (exact: T1/T2) or l2 (weight decay: wedge dictionary gives an upper bound)")
    fit.add_argument("--no-bias", dest="bias", action="store_false", help="hidden neurons without bias")
    fit.add_argument("--no-intercept", dest="fit_intercept", action="store_false", help="no output offset c")
    fit.add_argument("--loss", choices=LOSSES, default="squared",
                     help="squared (regression), logistic or hinge (targets must be -1/+1)")
    fit.add_argument("--subsets", type=_positive_int, metavar="K",
                     help="sample K random subsets (randomized method: an upper bound)")
    fit.add_argument("--random-state", type=_seed, metavar="S", default=0,
                     help="seed (>= 0) for --subsets and the certificate's random search (default 0: reproducible)")
    fit.add_argument("--max-patterns", type=_positive_int, metavar="N",
                     help="most activation patterns the exact l2 certificate (and --method exact) enumerates")
    fit.add_argument("--certificate-search", action="store_true",
                     help="certify by random search (a lower bound on the ratio, no proof) when the exact "
                          "enumeration is too large")
    loud = fit.add_mutually_exclusive_group()
    loud.add_argument("--verbose", action="store_true", help="progress bars and column generation's status line (shown on a terminal unless --quiet; this flag is kept for scripts that pass it)")
    loud.add_argument("--quiet", action="store_true", help="print only the value of (P), the certificate "
                                                           "verdict and the files written")
    fit.add_argument("--method", choices=method_names(), default="auto", help="see ga_relu.fit")
    fit.add_argument("--no-certificate", action="store_true", help="skip the dual certificate")
    fit.add_argument("--json", metavar="OUT", help="write the full result as JSON")
    fit.add_argument("--latex", metavar="OUT", help="write f(x) as LaTeX")
    fit.add_argument("--plot", metavar="OUT.png", help="draw the fit (1-D or 2-D data)")
    return parser


# ---------------------------------------------------------------------------------------------
# CSV input
# ---------------------------------------------------------------------------------------------


def read_csv(path: str, target: str, features: list[str] | None = None
             ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(X, y, feature names) from a CSV file with a header row; every used cell must be a number.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(path, "w").write("a,b,y\\n1,2,0\\n3,4,1\\n")
    >>> X, y, names = read_csv(path, "y")
    >>> X.tolist(), y.tolist(), names
    ([[1.0, 2.0], [3.0, 4.0]], [0.0, 1.0], ['a', 'b'])
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = [row for row in csv.reader(handle) if row and any(cell.strip() for cell in row)]
    except FileNotFoundError:
        raise CommandError(f"file not found: {path}") from None
    except IsADirectoryError:
        raise CommandError(f"{path} is a folder, not a CSV file") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from None
    if not rows:
        raise CommandError(f"{path} is empty; expected a header row and data rows")
    header = [name.strip() for name in rows[0]]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise CommandError(f"{path}: duplicate column name(s) {duplicated}; rename them")
    if len(rows) < 2:
        raise CommandError(f"{path} has a header but no data rows")
    if target not in header:
        raise CommandError(f"unknown column {target!r} for --target; {path} has columns {header}")
    if features is None:
        features = [name for name in header if name != target]
        if not features:
            raise CommandError(f"{path} has only the target column {target!r}; add feature columns")
    else:
        unknown = [name for name in features if name not in header]
        if unknown:
            raise CommandError(f"unknown column(s) {unknown} in --features; {path} has columns {header}")
        if target in features:
            raise CommandError(f"--features contains the target column {target!r}; leave it out")
    wanted = [header.index(name) for name in features] + [header.index(target)]
    values = np.empty((len(rows) - 1, len(wanted)))
    for r, row in enumerate(rows[1:]):
        line = r + 2  # 1-based, after the header
        if len(row) != len(header):
            raise CommandError(f"{path}, line {line}: {len(row)} fields, but the header has {len(header)}")
        for k, col in enumerate(wanted):
            cell = row[col].strip()
            try:
                values[r, k] = float(cell)
            except ValueError:
                raise CommandError(f"{path}, line {line}, column {header[col]!r}: {cell!r} is not a number "
                                   "(every feature and target cell must be numeric)") from None
            if not math.isfinite(values[r, k]):
                raise CommandError(f"{path}, line {line}, column {header[col]!r}: {cell!r} is not finite; "
                                   "drop or impute that row")
    return values[:, :-1], values[:, -1], list(features)


# ---------------------------------------------------------------------------------------------
# output: atomic, all or nothing
# ---------------------------------------------------------------------------------------------


def _plotting():
    """ga_relu.interfaces.plotting with a non-interactive backend (the CLI only writes files)."""
    import matplotlib

    matplotlib.use("Agg")
    from . import plotting

    return plotting


# ---------------------------------------------------------------------------------------------
# reports
# ---------------------------------------------------------------------------------------------


#: library hints that name Python calls or keywords, and what a command-line user types instead
_CLI_WORDS = (
    ("pass exhaustive=False", "pass --certificate-search"),
    ("exhaustive=False", "--certificate-search"),
    ("raise max_patterns", "raise --max-patterns"),
    ("max_patterns=", "--max-patterns "),
    ("call .certificate() to check", "the certificate below checks it (unless --no-certificate)"),
    (".certificate() measures how far from optimal it can be", "the certificate below bounds how far from "
                                                                 "optimal it can be"),
    (".certificate() checks it independently", "the certificate below checks it independently"),
    ("see .certificate().summary()", "see the certificate below"),
    ("subsets=K", "--subsets K"),
    ("method='colgen'", "--method colgen"),
    ("method='wedge'", "--method wedge"),
    ("method='exact'", "--method exact"),
)


def cli_words(text: str) -> str:
    """A library message with its Python keywords replaced by this command line's flags.

    >>> cli_words("pass exhaustive=False for a lower bound, or raise max_patterns")
    'pass --certificate-search for a lower bound, or raise --max-patterns'
    """
    for python, flag in _CLI_WORDS:
        text = text.replace(python, flag)
    return text


def _optional(function):
    """(value, None), or (None, reason) when the library refuses with a GaReluError (a SolverError
    in the certificate, say): one failing part of the report does not stop the others."""
    try:
        return function(), None
    except GaReluError as exc:
        return None, cli_words(f"{type(exc).__name__}: {exc}")


def _formulas(result, max_rows: int | None) -> tuple[list[str], str | None]:
    """One structural formula line per neuron (ga_relu.explain.formulas), or the reason there is none."""
    shown = result.neurons if max_rows is None else result.neurons[:max_rows]
    lines, reason = _optional(lambda: [str(nr.expression("structural")) for nr in shown])
    if lines is None:
        return [], reason
    return [f"{nr.index:>3}  {text}" for nr, text in zip(shown, lines)], None


def _certificate(result, enabled: bool, options: dict | None = None):
    if not enabled:
        return None, "skipped (--no-certificate)"
    return _optional(lambda: result.certificate(**(options or {})))


def _exactness_line(result) -> str:
    case = result.case
    if case.exact:
        return (f"value of (P): {result.objective:.10g}. By theorem {case.theorem} the Lasso over this "
                "dictionary equals (P), so this is its optimum up to the solver's accuracy: not checked "
                "here; the certificate line says whether it is proved")
    return (f"value of (P): {result.objective:.10g}, an UPPER BOUND on the optimum ({case.theorem}: "
            f"{case.description})")


def _certificate_lines(cert, reason) -> list[str]:
    if cert is None:
        return [f"certificate: not available ({reason})"]
    return [f"certificate: ratio max|lambda.relu(Xw+b)|/beta = {cert.ratio:.8g} "
            f"({'exhaustive' if cert.exhaustive else 'not exhaustive: a lower bound on the ratio'}); "
            + ("certified global optimum of (P)" if cert.optimal else "NOT certified optimal")]


def report(result, *, title: str, certificate: bool = True, max_rows: int | None = DEMO_TABLE_ROWS,
           accuracy: bool = False, out=None, certificate_options: dict | None = None, quiet: bool = False) -> dict:
    """Print the summary, neuron table, formulas, value and certificate of a fit; return the
    certificate for reuse (``{"certificate": ..., "certificate_reason": ...}``).

    Examples
    --------
    >>> import io, ga_relu as gr
    >>> result = gr.fit([[0.0], [1.0], [2.0], [3.0]], [1.0, 0.0, 1.0, 3.0], beta=0.1)
    >>> out = io.StringIO()
    >>> report(result, title="line", certificate=False, out=out)["certificate_reason"]
    'skipped (--no-certificate)'
    >>> "value of (P)" in out.getvalue()
    True
    """
    out = sys.stdout if out is None else out
    if quiet:
        cert, cert_reason = _certificate(result, certificate, certificate_options)
        print(f"value of (P): {result.objective:.10g} ({result.case.theorem}, {result.case.bound}); "
              f"{len(result.neurons)} neurons", file=out)
        print("\n".join(_certificate_lines(cert, cert_reason)), file=out, flush=True)
        return {"certificate": cert, "certificate_reason": cert_reason}
    print(f"\n== {title} ==", file=out)
    print(cli_words(result.summary()), file=out)
    print("\nneurons: alpha_j relu(w_j . x + b_j), each the hyperplane through its samples "
          "(x_i = row i of the data, 1-based; e_k = basis vector k)", file=out)
    print(result.table(max_rows=max_rows), file=out)
    print(f"intercept c = {np.round(result.intercept, 6) + 0.0}", file=out)
    formulas, reason = _formulas(result, max_rows)
    if formulas:
        print("\nformulas (structural, ga_relu.explain.formulas): z_j relu(feature_j), z_j = alpha_j ||w_j||", file=out)
        print("\n".join(formulas), file=out)
        if max_rows is not None and len(result.neurons) > max_rows:
            print(f"... {len(result.neurons) - max_rows} more", file=out)
    else:
        print(f"\nformulas: not available ({reason})", file=out)
    print("", file=out)
    print(_exactness_line(result), file=out)
    cert, cert_reason = _certificate(result, certificate, certificate_options)
    print("\n".join(_certificate_lines(cert, cert_reason)), file=out)
    if accuracy:
        predicted = np.where(result.predict(result.X) > 0, 1.0, -1.0)
        print(f"training accuracy (sign of f): {np.mean(predicted == result.y):.3f}", file=out)
    out.flush()
    return {"certificate": cert, "certificate_reason": cert_reason}


def result_to_dict(result, *, certificate=None, certificate_reason=None, feature_names=None,
                   source=None, target=None, total_seconds=None) -> dict:
    """Everything needed to rebuild and check the network: the value of (P), the case, every
    neuron's defining subset, weights, bias and output weight, the intercept, the dictionary size,
    timings, and the certificate when one was computed (JSON-ready: lists and floats).

    Examples
    --------
    >>> import json, ga_relu as gr
    >>> result = gr.fit([[0.0], [1.0], [2.0], [3.0]], [1.0, 0.0, 1.0, 3.0], beta=0.1)
    >>> document = json.loads(json.dumps(result_to_dict(result)))
    >>> document["format"], document["n_samples"], document["certificate"]
    ('ga-relu fit result', 4, None)
    """
    def num(value):
        array = np.asarray(value, dtype=float)
        return float(array) if array.ndim == 0 else array.tolist()

    d = result.network.dim
    names = list(feature_names) if feature_names is not None else [f"x{k + 1}" for k in range(d)]
    neurons = []
    for nr in result.neurons:
        neurons.append({
            "index": nr.index,
            "samples": [int(i) for i in nr.samples],
            "sample_names": [f"x_{i + 1}" for i in nr.samples],
            "basis": [int(k) for k in nr.basis],
            "basis_names": [f"e_{k + 1}" for k in nr.basis],
            "sign": int(nr.sign),
            "weight": num(nr.weight),
            "bias": float(nr.bias),
            "output_weight": num(nr.output_weight),
            "coefficient": num(nr.coefficient),
            "description": nr.describe(),
        })
    dictionary = result.dictionary
    cert = None
    if certificate is not None:
        cert = {
            "ratio": float(certificate.ratio),
            "exhaustive": bool(certificate.exhaustive),
            "optimal": bool(certificate.optimal),
            "first_order_residual": float(certificate.first_order_residual),
            "gap_bound": None if certificate.gap_bound is None else float(certificate.gap_bound),
            "method": certificate.method,
            "seconds": float(certificate.seconds),
        }
    return {
        "format": "ga-relu fit result",
        "indexing": "samples are 0-based rows of the data (header excluded); sample_names are 1-based (x_i is "
                    "data row i); basis are 0-based feature indices, basis_names 1-based",
        "network": "f(x) = sum_j output_weight_j * relu(weight_j . x + bias_j) + intercept",
        "problem": "objective = L(f(X), y) + (beta/2) sum_j (||weight_j||_p^2 + output_weight_j^2), "
                   "p = 1 for penalty l1, 2 for l2",
        "source": source,
        "target": target,
        "features": names,
        "n_samples": int(dictionary.n_samples),
        "n_features": int(d),
        "beta": float(result.beta),
        "penalty": result.penalty,
        "bias": bool(result.bias),
        "loss": result.loss,
        "fit_intercept": bool(result.fit_intercept),
        "method": result.method,
        "objective": float(result.objective),
        "case": {"theorem": result.case.theorem, "exact": bool(result.case.exact), "bound": result.case.bound,
                 "description": result.case.description},
        "exact": bool(result.case.exact),
        "status": result.status,
        "intercept": num(result.intercept),
        "neurons": neurons,
        "dictionary": {"columns": int(dictionary.n_columns), "candidate_subsets": int(dictionary.n_candidates),
                       "degenerate": int(dictionary.n_degenerate), "duplicates": int(dictionary.n_duplicates),
                       "sampled": bool(dictionary.sampled)},
        "timings": {"setup_seconds": float(result.setup_time), "solve_seconds": float(result.solve_time),
                    "total_seconds": None if total_seconds is None else float(total_seconds)},
        "certificate": cert,
        "certificate_note": None if cert is not None else certificate_reason,
    }


# ---------------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------------


def run_demo(args, out=None) -> int:
    """Algebra, then the iris petal pair and a spiral: fit, table, formulas, value, certificate.

    ``args`` as parsed by :func:`build_parser` (``ga-relu demo``); returns the exit status. The demo
    solves two fits and their certificates (seconds), so the example is not run:

    >>> run_demo(build_parser().parse_args(["demo", "--no-certificate"]))  # doctest: +SKIP
    0
    """
    from ..algebra.demo import algebra_demo
    from ..convex.fitting import fit
    from .datasets import iris_petals_csv, load_iris_petals, make_spiral

    out = sys.stdout if out is None else out
    start = time.perf_counter()
    if args.plot:
        check_writable_folder(args.plot)
    print("ga-relu demo: optimal ReLU networks whose neurons are wedge products of training samples", file=out)
    text, reason = _optional(algebra_demo)
    print("\n== geometric algebra ==", file=out)
    print(text if text is not None else f"algebra demo: not available ({reason})", file=out)

    X, y, names = load_iris_petals()
    iris = fit(X, y, **DEMO_IRIS)
    report(iris, title=f"iris petals ({names[0]}, {names[1]}): versicolor (y=-1) vs virginica (y=+1), "
                       f"n={len(y)} (Fisher 1936, via scikit-learn); loss={DEMO_IRIS['loss']}, "
                       f"beta={DEMO_IRIS['beta']:g}",
           certificate=not args.no_certificate, accuracy=True, out=out)

    Xs, ys = make_spiral(**DEMO_SPIRAL_DATA)
    spiral = fit(Xs, ys, **DEMO_SPIRAL)
    report(spiral, title=f"two spirals, n={len(ys)}, labels -1/+1, least squares; beta={DEMO_SPIRAL['beta']:g}",
           certificate=not args.no_certificate, accuracy=True, out=out)

    if args.plot:
        plotting = _plotting()
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(12.8, 5.0))
        try:
            plotting.plot_fit(iris, ax=axes[0], title="iris petals: versicolor vs virginica")
            plotting.plot_fit(spiral, ax=axes[1], max_neurons=DEMO_TABLE_ROWS,
                              title=f"two spirals (the {DEMO_TABLE_ROWS} largest of {len(spiral.neurons)} "
                                    "neurons drawn)")
            _INTERRUPTS.check()
            with staged_files() as stage:
                stage(args.plot, figure_writer(fig, args.plot))
        finally:
            plt.close(fig)
        print(f"\nwrote {args.plot}", file=out)
    print(f"\ntry: {PROG} fit {iris_petals_csv()} --target label --loss logistic --beta 1 --json fit.json", file=out)
    print(f"demo finished in {time.perf_counter() - start:.1f} s", file=out)
    return EXIT_OK


def run_fit(args, out=None) -> int:
    """Fit a CSV file; print the report; write --json / --latex / --plot all or nothing.

    Examples
    --------
    >>> import io, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "line.csv")
    >>> _ = open(path, "w").write("x,y\\n0,1\\n1,0\\n2,1\\n3,3\\n")
    >>> args = build_parser().parse_args(["fit", path, "--target", "y", "--beta", "0.1", "--no-certificate"])
    >>> run_fit(args, out=io.StringIO())
    0
    """
    from ..convex.fitting import fit
    from ..convex.losses import get_loss

    out = sys.stdout if out is None else out
    _check_outputs(args)
    X, y, names = read_csv(args.file, args.target, _feature_names(args.features))
    _check_plot_dimension(args, X.shape[1])
    # printed (and flushed) before the fit, which may take a while: the user sees what is being fit
    print(f"data: {args.file}: n={X.shape[0]}, features {names} (x_i = data row i, 1-based), target {args.target!r}",
          file=out, flush=True)
    from ..convex.selection import DEFAULT_BETA_FRACTION, relative

    beta = args.beta if args.beta is not None else relative(args.beta_fraction or DEFAULT_BETA_FRACTION)
    method_options = {}
    if args.max_patterns is not None and args.method == "exact":
        method_options["max_patterns"] = args.max_patterns
    start = time.perf_counter()
    result = fit(X, y, beta=beta, penalty=args.penalty, bias=args.bias, loss=args.loss,
                 fit_intercept=args.fit_intercept, subsets=args.subsets, random_state=args.random_state,
                 method=args.method, verbose=not args.quiet, **method_options)  # progress shows only on a terminal
    seconds = time.perf_counter() - start
    result = result.with_feature_names(names)  # the CSV header names the coordinates in formulas and plots
    if "beta_max" in result.info and not args.quiet:
        print(f"beta = {result.beta:.6g} = {result.info['beta_fraction']:g} * beta_max (beta_max = "
              f"{result.info['beta_max']:.6g}, the smallest beta with no neurons)", file=out, flush=True)
    certificate_options = {"random_state": args.random_state}
    if args.max_patterns is not None:
        certificate_options["max_patterns"] = args.max_patterns
    if args.certificate_search:
        certificate_options["exhaustive"] = False
    info = report(result, title=f"fit {os.path.basename(args.file)}", certificate=not args.no_certificate,
                  max_rows=None, accuracy=get_loss(args.loss).classification, out=out,
                  certificate_options=certificate_options, quiet=args.quiet)
    document = None
    if args.json:
        document = result_to_dict(result, certificate=info["certificate"],
                                  certificate_reason=info["certificate_reason"], feature_names=names,
                                  source=os.path.abspath(args.file), target=args.target, total_seconds=seconds)
    _write_fit_outputs(args, result, document)
    for label, path in (("JSON", args.json), ("LaTeX", args.latex), ("plot", args.plot)):
        if path:
            print(f"wrote {label}: {path}", file=out)
    return EXIT_OK


def _check_plot_dimension(args, d: int) -> None:
    """--plot draws 1-D and 2-D data only: refused before the fit, not after it."""
    if args.plot and d not in (1, 2):
        raise CommandError(f"--plot draws 1-D or 2-D data, but the data have {d} features; drop --plot or "
                           "choose one or two columns with --features", EXIT_USAGE)


def _check_outputs(args) -> None:
    """Before any work: every output folder exists and takes new files, no two outputs share a path,
    and no output would overwrite the input file."""
    outputs = [(flag, path) for flag, path in (("--json", args.json), ("--latex", args.latex), ("--plot", args.plot))
               if path]
    seen: dict[str, str] = {}
    source = os.path.realpath(args.file)
    for flag, path in outputs:
        real = os.path.realpath(path)
        if real in seen:
            raise CommandError(f"{seen[real]} and {flag} both write {path}; give each output its own file", EXIT_USAGE)
        if real == source:
            raise CommandError(f"{flag} {path} would overwrite the input file; choose another output path", EXIT_USAGE)
        seen[real] = flag
        check_output_folder(path)
        check_writable_folder(path)


def _feature_names(text: str | None) -> list[str] | None:
    """The columns named by --features (None: all but the target)."""
    if text is None:
        return None
    features = [name.strip() for name in text.split(",") if name.strip()]
    if not features:
        raise CommandError("--features is empty; give comma-separated column names", EXIT_USAGE)
    return features


def _write_fit_outputs(args, result, document: dict | None) -> None:
    """--json (``document``), --latex and --plot, staged together: all are written or none."""
    latex = None
    if args.latex:
        latex, reason = _optional(result.to_latex)
        if latex is None:
            raise CommandError(f"--latex: no LaTeX formula available ({reason})")
    fig = None
    try:
        if args.plot:
            fig = _plotting().plot_fit(result)
        _INTERRUPTS.check()  # a Ctrl-C swallowed by a finalizer still stops the command before writing
        with staged_files() as stage:
            if document is not None:
                stage(args.json, text_writer(json.dumps(_finite_json(document), indent=2, allow_nan=False) + "\n"))
            if latex is not None:
                stage(args.latex, text_writer(latex + "\n"))
            if fig is not None:
                stage(args.plot, figure_writer(fig, args.plot))
    finally:
        if fig is not None:
            import matplotlib.pyplot as plt

            plt.close(fig)


def _finite_json(document: dict) -> dict:
    """The document with every inf / nan (which JSON cannot hold) written as null, and their places
    and values listed under ``"non_finite"`` (so that nothing is silently lost).

    Examples
    --------
    >>> _finite_json({"a": 1.0, "b": [float("inf"), 2.0]})
    {'a': 1.0, 'b': [None, 2.0], 'non_finite': {'b[0]': 'inf'}}
    """
    found: dict[str, str] = {}

    def clean(value, where: str):
        if isinstance(value, float) and not math.isfinite(value):
            found[where] = repr(value)
            return None
        if isinstance(value, dict):
            return {k: clean(v, f"{where}.{k}" if where else str(k)) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return value

    cleaned = clean(document, "")
    if found:
        cleaned["non_finite"] = found
    return cleaned


def main(argv=None) -> int:
    """Entry point of the ``ga-relu`` console script; returns the exit status: 0 success, 1 data,
    solver or file errors, 2 usage errors, 3 internal errors, 130 interrupted (each error printed
    as one line on stderr).

    Examples
    --------
    >>> main(["--version"])
    ga-relu 0.1.0
    0
    >>> main(["fit", "no-such-file.csv", "--target", "y", "--beta", "1"])
    1
    """
    collected: dict[str, int] = {}
    with warnings.catch_warnings():
        # library warnings (numpy overflow, solver notes) would print raw multi-line text on stderr:
        # count them and print each once, as one line, after a successful run
        warnings.simplefilter("default")
        warnings.showwarning = lambda message, category, *_args, **_kwargs: _collect(collected, message, category)
        status = _run(argv)
    if status == EXIT_OK:
        for text, count in collected.items():
            print(f"{PROG}: warning: {text}" + (f" ({count} times)" if count > 1 else ""), file=sys.stderr)
    return status


def _collect(collected: dict, message, category) -> None:
    text = " ".join(f"{category.__name__}: {message}".split())
    collected[text] = collected.get(text, 0) + 1


class _FinalizerInterrupts:
    """Ctrl-C that lands in an object's finalizer (numba/llvmlite's ``__del__`` during a compile) is
    "ignored" by Python: it prints a traceback and carries on, so the command would finish and
    write its files as if never interrupted. While a command runs, such interrupts are recorded
    instead, and :meth:`check` turns them back into KeyboardInterrupt before anything is written."""

    def __init__(self):
        self.seen = False
        self._previous = None

    def __enter__(self):
        self.seen, self._previous = False, sys.unraisablehook
        sys.unraisablehook = self._hook
        return self

    def __exit__(self, *exc) -> bool:
        sys.unraisablehook = self._previous
        return False

    def _hook(self, unraisable) -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
            self.seen = True
        else:
            self._previous(unraisable)

    def check(self) -> None:
        if self.seen:
            raise KeyboardInterrupt


_INTERRUPTS = _FinalizerInterrupts()


def _run(argv) -> int:
    """Parse and run one command; every failure becomes one line on stderr and an exit status."""
    with _INTERRUPTS:
        return _run_command(argv)


def _run_command(argv) -> int:
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help / --version
            return int(exc.code or 0)
        return run_demo(args) if args.command == "demo" else run_fit(args)
    except CommandError as exc:
        _error(str(exc))
        return exc.status
    except GaReluError as exc:
        _error(str(exc))
        return EXIT_DATA
    except OSError as exc:
        _error(f"{exc.strerror or exc}{': ' + exc.filename if getattr(exc, 'filename', None) else ''}")
        return EXIT_DATA
    except KeyboardInterrupt:
        _error("interrupted; no output file was written or changed")
        return EXIT_INTERRUPTED
    except ArithmeticError as exc:  # OverflowError, FloatingPointError, ZeroDivisionError
        _error(f"numbers out of floating-point range ({type(exc).__name__}: {exc}); rescale the data "
               "(e.g. standardize each column) and fit again")
        return EXIT_DATA
    except MemoryError:
        _error("out of memory; use a smaller problem or --subsets K for a sampled fit")
        return EXIT_DATA
    except Exception as exc:  # a bug: still one line, naming it, never a traceback
        _error(f"internal error ({type(exc).__name__}: {exc}); please report it with the command line and data")
        return EXIT_INTERNAL


def _error(message: str) -> None:
    print(f"{PROG}: error: {' '.join(str(message).split())}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
