"""The ga-relu command line, run in-process: demo, fit with JSON/LaTeX/plot output, errors."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from ga_relu.interfaces.cli import main
from ga_relu.interfaces.datasets import iris_petals_csv, load_iris_petals

CSV = str(iris_petals_csv())


def _single_error_line(captured, status, expected_status, fragment):
    assert status == expected_status
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("ga-relu: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in captured.err + captured.out


def test_demo_prints_an_honest_table(tmp_path, capsys):
    picture = tmp_path / "demo.png"
    assert main(["demo", "--plot", str(picture)]) == 0
    out = capsys.readouterr().out
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "iris petals" in out and "two spirals" in out
    assert "samples" in out and "alpha" in out  # the neuron table's header
    assert "line through x_" in out  # neurons named by their defining samples
    assert "x_" in out and "relu(" in out  # formulas in the samples (explain) or the table
    assert out.count("value of (P): ") == 2
    # every claim of exactness is tied to a theorem, and optimality only to a certificate
    for line in out.splitlines():
        if line.startswith("value of (P): "):
            assert "By theorem T" in line or "UPPER BOUND" in line
        if "certified global optimum" in line:
            assert line.startswith("certificate: ratio") and "exhaustive" in line
    assert out.count("certificate: ") == 2
    assert "training accuracy" in out


def _recompute_objective(document, X, y):
    """Problem (P) from the JSON's weights, written out independently of ga_relu."""
    f = np.full(len(X), document["intercept"])
    penalty = 0.0
    p = {"l1": 1, "l2": 2}[document["penalty"]]
    for neuron in document["neurons"]:
        w, b, a = np.array(neuron["weight"]), neuron["bias"], neuron["output_weight"]
        f += a * np.maximum(X @ w + b, 0.0)
        penalty += np.linalg.norm(w, p) ** 2 + a**2
    loss = {"squared": 0.5 * np.sum((f - y) ** 2), "logistic": np.sum(np.log1p(np.exp(-y * f))),
            "hinge": np.sum(np.maximum(0.0, 1.0 - y * f))}[document["loss"]]
    return loss + document["beta"] / 2 * penalty


def test_fit_bundled_csv_writes_json_latex_and_plot(tmp_path, capsys):
    out_json, out_tex, out_png = tmp_path / "fit.json", tmp_path / "fit.tex", tmp_path / "fit.png"
    status = main(["fit", CSV, "--target", "label", "--loss", "logistic", "--beta", "1",
                   "--json", str(out_json), "--latex", str(out_tex), "--plot", str(out_png)])
    printed = capsys.readouterr().out
    assert status == 0
    assert "line through x_" in printed and "value of (P)" in printed
    document = json.loads(out_json.read_text())
    X, y, names = load_iris_petals()
    assert document["features"] == names and document["target"] == "label"
    assert document["n_samples"] == 100 and document["n_features"] == 2
    assert document["objective"] == pytest.approx(_recompute_objective(document, X, y), rel=1e-6)
    assert document["case"]["theorem"] == "T2" and document["exact"] is True
    assert document["dictionary"]["columns"] > 0 and document["timings"]["solve_seconds"] > 0
    assert document["neurons"], "expected at least one active neuron"
    for neuron in document["neurons"]:
        w, b = np.array(neuron["weight"]), neuron["bias"]
        # the hyperplane passes through its defining samples; a basis vector e_k lies in it (w_k = 0)
        np.testing.assert_allclose(X[neuron["samples"]] @ w + b, 0.0, atol=1e-9)
        np.testing.assert_allclose(w[neuron["basis"]], 0.0, atol=1e-12)
        assert neuron["sample_names"] == [f"x_{i + 1}" for i in neuron["samples"]]
    certificate = document["certificate"]
    if certificate is not None:
        assert certificate["exhaustive"] and certificate["ratio"] <= 1 + 1e-3
    latex = out_tex.read_text()
    first = document["neurons"][0]["sample_names"][0]  # e.g. x_69
    assert "relu" in latex and first.replace("_", "_{") in latex
    assert out_png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(os.listdir(tmp_path)) == ["fit.json", "fit.png", "fit.tex"]  # no temporary files left


def test_fit_selected_features_squared_loss(tmp_path, capsys):
    data = tmp_path / "line.csv"
    xs = np.arange(6.0)
    rows = ["note,x,y"] + [f"row{i},{x:g},{abs(x - 2.5):g}" for i, x in enumerate(xs)]
    data.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out.json"
    assert main(["fit", str(data), "--target", "y", "--features", "x", "--beta", "0.01", "--json", str(out)]) == 0
    capsys.readouterr()
    document = json.loads(out.read_text())
    assert document["case"]["theorem"] == "T3"
    # 1-D: breakpoints at training points, w x_k + b = 0 at the defining sample
    for neuron in document["neurons"]:
        (k,) = neuron["samples"]
        assert neuron["weight"][0] * xs[k] + neuron["bias"] == pytest.approx(0.0, abs=1e-9)
    assert document["objective"] == pytest.approx(_recompute_objective(document, xs[:, None], np.abs(xs - 2.5)),
                                                  rel=1e-6)


def test_failed_run_leaves_no_output(tmp_path, capsys):
    out_json = tmp_path / "out.json"
    status = main(["fit", CSV, "--target", "label", "--beta", "-1", "--json", str(out_json)])
    _single_error_line(capsys.readouterr(), status, 2, "beta")
    assert not out_json.exists()
    # a failure after the fit (bad image suffix): the JSON is not written either, an old file is kept
    out_json.write_text("old")
    status = main(["fit", CSV, "--target", "label", "--beta", "1", "--no-certificate", "--json", str(out_json),
                   "--plot", str(tmp_path / "fit.unknown")])
    _single_error_line(capsys.readouterr(), status, 1, "image format")
    assert out_json.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["out.json"]


@pytest.mark.parametrize(
    "make_args, expected_status, fragment",
    [
        (lambda d: ["fit", str(d / "missing.csv"), "--target", "y", "--beta", "1"], 1, "file not found"),
        (lambda d: ["fit", CSV, "--target", "species", "--beta", "1"], 1, "unknown column 'species'"),
        (lambda d: ["fit", CSV, "--target", "label", "--features", "petal_length_cm,sepal", "--beta", "1"], 1,
         "unknown column(s) ['sepal']"),
        (lambda d: ["fit", str(d / "words.csv"), "--target", "y", "--beta", "1"], 1, "'abc' is not a number"),
        (lambda d: ["fit", CSV, "--target", "label", "--beta", "0"], 2, "beta must be positive"),
        (lambda d: ["fit", CSV, "--target", "label", "--beta", "abc"], 2, "--beta must be a positive number"),
        (lambda d: ["fit", CSV, "--target", "label", "--beta", "1", "--penalty", "l7"], 2, "invalid choice"),
        (lambda d: ["fit", CSV, "--beta", "1"], 2, "--target"),
        (lambda d: ["frobnicate"], 2, "invalid choice"),
        (lambda d: ["fit", str(d / "zero_one.csv"), "--target", "y", "--beta", "1", "--loss", "logistic"], 1,
         "labels in {-1, +1}"),
        (lambda d: ["fit", CSV, "--target", "label", "--beta", "1", "--json", str(d / "no" / "x.json")], 1,
         "does not exist"),
    ],
)
def test_errors_are_one_line(tmp_path, capsys, make_args, expected_status, fragment):
    (tmp_path / "words.csv").write_text("x,y\n1,2\nabc,3\n")
    (tmp_path / "zero_one.csv").write_text("x,y\n0,0\n1,1\n2,0\n3,1\n")
    status = main(make_args(tmp_path))
    _single_error_line(capsys.readouterr(), status, expected_status, fragment)


def test_help_and_module_entry_point(capsys):
    assert main(["--help"]) == 0
    assert "demo" in capsys.readouterr().out
    run = subprocess.run([sys.executable, "-m", "ga_relu", "fit", "nowhere.csv", "--target", "y", "--beta", "1"],
                         capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(__file__)), timeout=60)
    assert run.returncode == 1
    assert run.stderr.strip() == "ga-relu: error: file not found: nowhere.csv"


def test_report_states_the_certificate_it_computed_or_that_it_skipped_it(tmp_path, capsys):
    """The certificate line is the dual ratio of the fitted network, recomputed here from the JSON's
    weights by a dense search over breakpoints (exact in 1-D); with --no-certificate the report says
    that it skipped the certificate and claims no optimality."""
    from reference import dense_dual_ratio

    data = tmp_path / "line.csv"
    data.write_text("x,y\n0,1\n1,0\n2,1\n3,3\n")
    X, y = np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([1.0, 0.0, 1.0, 3.0])
    assert main(["fit", str(data), "--target", "y", "--beta", "0.1", "--json", str(tmp_path / "fit.json")]) == 0
    out = capsys.readouterr().out
    document = json.loads((tmp_path / "fit.json").read_text())
    f = np.full(len(X), document["intercept"])
    for neuron in document["neurons"]:
        f += neuron["output_weight"] * np.maximum(X @ np.array(neuron["weight"]) + neuron["bias"], 0.0)
    expected = dense_dual_ratio(X, y - f, 0.1, penalty="l1", bias=True, n_dirs=64)
    line = next(line for line in out.splitlines() if line.startswith("certificate: "))
    printed = float(line.split(" = ")[1].split()[0])
    assert printed == pytest.approx(expected, rel=1e-6) and "(exhaustive)" in line
    assert document["certificate"]["ratio"] == pytest.approx(expected, rel=1e-6)

    assert main(["fit", str(data), "--target", "y", "--beta", "0.1", "--no-certificate",
                 "--json", str(tmp_path / "skipped.json")]) == 0
    out = capsys.readouterr().out
    assert "certificate: not available (skipped (--no-certificate))" in out
    assert "certified" not in out
    document = json.loads((tmp_path / "skipped.json").read_text())
    assert document["certificate"] is None and document["certificate_note"] == "skipped (--no-certificate)"


def _csv(tmp_path, X, y, names):
    path = tmp_path / "data.csv"
    rows = [",".join([*names, "y"])] + [",".join(repr(float(v)) for v in [*row, t]) for row, t in zip(X, y)]
    path.write_text("\n".join(rows) + "\n")
    return str(path)


def test_plot_of_3d_data_is_refused_before_the_fit(tmp_path, capsys, monkeypatch):
    import ga_relu.convex.fitting as fitting

    rng = np.random.default_rng(0)
    path = _csv(tmp_path, rng.normal(size=(8, 3)), rng.normal(size=8), ["a", "b", "c"])
    monkeypatch.setattr(fitting, "fit", lambda *a, **k: pytest.fail("the fit ran before --plot was checked"))
    status = main(["fit", path, "--target", "y", "--beta", "1", "--plot", str(tmp_path / "p.png"),
                   "--json", str(tmp_path / "r.json")])
    _single_error_line(capsys.readouterr(), status, 2, "--plot draws 1-D or 2-D data")
    assert not (tmp_path / "r.json").exists()


def test_beta_fraction_quiet_and_default_fraction(tmp_path, capsys):
    import ga_relu as gr

    X, y, _ = load_iris_petals()
    path = _csv(tmp_path, X[::3], 10.0 * X[::3, 0] ** 2, ["length", "width"])
    assert main(["fit", path, "--target", "y", "--beta-fraction", "0.1", "--quiet"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith("data: ") and out[1].startswith("value of (P): ") and out[2].startswith("certificate:")
    assert len(out) == 3
    assert main(["fit", path, "--target", "y", "--no-certificate", "--json", str(tmp_path / "r.json")]) == 0
    document = json.loads((tmp_path / "r.json").read_text())
    assert document["beta"] == pytest.approx(0.01 * gr.beta_max(X[::3], 10.0 * X[::3, 0] ** 2))
    assert "0.01 * beta_max" in capsys.readouterr().out
    status = main(["fit", path, "--target", "y", "--beta", "1", "--beta-fraction", "0.1"])
    _single_error_line(capsys.readouterr(), status, 2, "not allowed with argument")


def test_random_state_reaches_the_certificate_search(tmp_path, capsys):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(14, 3))
    path = _csv(tmp_path, X, X[:, 0] ** 2 - X[:, 1], ["a", "b", "c"])
    ratios = []
    for seed in ("3", "3", "4"):
        assert main(["fit", path, "--target", "y", "--beta", "0.5", "--penalty", "l2", "--certificate-search",
                     "--random-state", seed, "--quiet"]) == 0
        line = [t for t in capsys.readouterr().out.splitlines() if t.startswith("certificate:")][0]
        ratios.append(line.split("= ")[1].split(" ")[0])
    assert ratios[0] == ratios[1] and ratios[0] != ratios[2]


def test_library_hints_name_the_cli_flags(tmp_path, capsys):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(14, 3))
    path = _csv(tmp_path, X, X[:, 0] ** 2 - X[:, 1], ["a", "b", "c"])
    assert main(["fit", path, "--target", "y", "--beta", "0.5", "--penalty", "l2", "--max-patterns", "5"]) == 0
    out = capsys.readouterr().out
    assert ".certificate()" not in out and "exhaustive=False" not in out and "max_patterns" not in out


def test_csv_header_names_reach_the_formulas(tmp_path, capsys):
    X, y, _ = load_iris_petals()
    path = _csv(tmp_path, X[::4], X[::4, 0] - 2.0 * np.abs(X[::4, 1] - 1.5), ["petal_len", "petal_wid"])
    assert main(["fit", path, "--target", "y", "--beta", "0.05", "--no-certificate", "--latex",
                 str(tmp_path / "f.tex")]) == 0
    out = capsys.readouterr().out
    assert "petal_len" in out.split("data:")[1].split("\n", 1)[1] or "petal_wid" in out.split("data:")[1].split("\n", 1)[1]
