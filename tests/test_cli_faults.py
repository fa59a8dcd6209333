"""The command line's fault table: every bad input or environment gives one line on stderr, a
non-zero exit status, no traceback, and leaves the output folder as it was (no partial, temporary or
backup file, an existing output untouched). In-process (``main(argv)``) where possible; SIGINT and
two concurrent runs in subprocesses. Also the input checks at the library's entry points that the
CLI relies on (complex data, seeds, options)."""

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pytest

import ga_relu
from ga_relu.errors import InvalidInputError, InvalidTypeError
from ga_relu.interfaces.cli import main

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _write_csv(path, X, y, names=None):
    names = names or [f"x{k + 1}" for k in range(X.shape[1])]
    rows = [",".join(names + ["y"])] + [",".join(f"{v:.17g}" for v in list(x) + [t]) for x, t in zip(X, y)]
    path.write_text("\n".join(rows) + "\n")
    return path


def _snapshot(folder):
    """{name: bytes} of every file in the folder (hidden temporaries and backups included)."""
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder)) if (folder / name).is_file()}


def _assert_one_line(err, fragment):
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ga-relu: error: "), err
    assert fragment in lines[0], err
    assert "Traceback" not in err


def _chattr(flag, path):
    """chattr +i / -i (root only); False when that is not possible here."""
    if shutil.which("chattr") is None or os.geteuid() != 0:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


@pytest.fixture
def work(tmp_path):
    """A data folder and a separate output folder holding an old result (which must survive faults)."""
    data, outputs = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    outputs.mkdir()
    r = np.random.default_rng(0)
    _write_csv(data / "t.csv", r.standard_normal((8, 2)), r.standard_normal(8))
    (outputs / "old.json").write_text('{"old": true}\n')
    return data, outputs


@contextlib.contextmanager
def _unwritable_folder(folder):
    """The folder made read-only (chmod 555; as root, which ignores modes, also chattr +i)."""
    folder.chmod(0o555)
    immutable = _chattr("+i", folder)
    try:
        probe = folder / ".probe"
        try:
            probe.write_text("x")
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip("cannot make a folder unwritable here (root without chattr)")
        yield
    finally:
        if immutable:
            _chattr("-i", folder)
        folder.chmod(0o755)


def _big_3d(data):
    r = np.random.default_rng(1)
    return _write_csv(data / "big.csv", r.uniform(-1, 1, (7, 3)) * 1e150, r.standard_normal(7))


# (name, argv builder (data folder, output folder), expected status, fragment of the one-line message,
#  set-up of extra files)
FAULTS = [
    ("missing file", lambda d, o: ["fit", str(d / "nope.csv"), "--target", "y", "--beta", "1"], 1,
     "file not found", None),
    ("empty file", lambda d, o: ["fit", str(d / "empty.csv"), "--target", "y", "--beta", "1"], 1,
     "is empty", lambda d: (d / "empty.csv").write_text("")),
    ("blank lines only", lambda d, o: ["fit", str(d / "blank.csv"), "--target", "y", "--beta", "1"], 1,
     "is empty", lambda d: (d / "blank.csv").write_text("\n  \n,\n")),
    ("header only", lambda d, o: ["fit", str(d / "head.csv"), "--target", "y", "--beta", "1"], 1,
     "no data rows", lambda d: (d / "head.csv").write_text("x,y\n")),
    ("folder as input", lambda d, o: ["fit", str(d), "--target", "y", "--beta", "1"], 1, "is a folder", None),
    ("binary input", lambda d, o: ["fit", str(d / "bin.csv"), "--target", "y", "--beta", "1"], 1,
     "cannot read", lambda d: (d / "bin.csv").write_bytes(b"\xff\xfe\x00\x81x,y\n")),
    ("non-numeric cell", lambda d, o: ["fit", str(d / "words.csv"), "--target", "y", "--beta", "1"], 1,
     "'abc' is not a number", lambda d: (d / "words.csv").write_text("x,y\n1,2\nabc,3\n4,5\n")),
    ("complex cell", lambda d, o: ["fit", str(d / "cplx.csv"), "--target", "y", "--beta", "1"], 1,
     "'1+2j' is not a number", lambda d: (d / "cplx.csv").write_text("x,y\n1,2\n1+2j,3\n4,5\n")),
    ("overflowing cell", lambda d, o: ["fit", str(d / "huge.csv"), "--target", "y", "--beta", "1"], 1,
     "is not finite", lambda d: (d / "huge.csv").write_text("x,y\n1,2\n1e400,3\n4,5\n")),
    ("ragged row", lambda d, o: ["fit", str(d / "ragged.csv"), "--target", "y", "--beta", "1"], 1,
     "line 3: 3 fields", lambda d: (d / "ragged.csv").write_text("x,y\n1,2\n1,2,3\n")),
    ("negative seed", lambda d, o: ["fit", str(d / "t.csv"), "--target", "y", "--beta", "1", "--subsets", "5",
                                    "--random-state", "-1", "--json", str(o / "a.json")], 2, "whole number >= 0", None),
    ("word seed", lambda d, o: ["fit", str(d / "t.csv"), "--target", "y", "--beta", "1", "--random-state", "x"], 2,
     "whole number >= 0", None),
    ("zero subsets", lambda d, o: ["fit", str(d / "t.csv"), "--target", "y", "--beta", "1", "--subsets", "0"], 2,
     "positive integer", None),
    ("beta nan", lambda d, o: ["fit", str(d / "t.csv"), "--target", "y", "--beta", "nan"], 2, "beta", None),
    ("beta inf", lambda d, o: ["fit", str(d / "t.csv"), "--target", "y", "--beta", "inf"], 2, "beta", None),
    ("missing output folder", lambda d, o: ["fit", str(d / "t.csv"), "--target", "y", "--beta", "1",
                                            "--json", str(o / "no" / "a.json")], 1, "does not exist", None),
    ("output is a folder", lambda d, o: ["fit", str(d / "t.csv"), "--target", "y", "--beta", "1",
                                         "--json", str(o)], 1, "is a folder", None),
    ("one file for two outputs", lambda d, o: ["fit", str(d / "t.csv"), "--target", "y", "--beta", "1",
                                               "--json", str(o / "a.txt"), "--latex", str(o / "a.txt")], 2,
     "both write", None),
    ("output over the input", lambda d, o: ["fit", str(d / "t.csv"), "--target", "y", "--beta", "1",
                                            "--json", str(d / "t.csv")], 2, "overwrite the input", None),
]


@pytest.mark.parametrize("name, make_argv, status, fragment, setup", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_table(work, capsys, name, make_argv, status, fragment, setup):
    data, outputs = work
    if setup is not None:
        setup(data)
    before_data, before_out = _snapshot(data), _snapshot(outputs)
    assert main(make_argv(data, outputs)) == status
    captured = capsys.readouterr()
    _assert_one_line(captured.err, fragment)
    assert _snapshot(outputs) == before_out  # nothing written, nothing left behind, the old file intact
    assert _snapshot(data) == before_data


def test_read_only_output_folder_fails_before_the_fit(work, capsys, monkeypatch):
    data, outputs = work
    fitted = []
    monkeypatch.setattr("ga_relu.convex.fitting.fit", lambda *a, **k: fitted.append(1))
    before = _snapshot(outputs)
    with _unwritable_folder(outputs):
        status = main(["fit", str(data / "t.csv"), "--target", "y", "--beta", "1", "--json", str(outputs / "a.json")])
    _assert_one_line(capsys.readouterr().err, "does not take new files")
    assert status == 1 and not fitted  # refused at once, not after the work
    assert _snapshot(outputs) == before


@pytest.mark.parametrize("existed", [True, False])
def test_immutable_target_changes_no_file(work, capsys, existed):
    """issue 18.3: --json out.json --latex locked.tex with locked.tex immutable: exit 1, and out.json
    is neither created nor changed (the first replacement is undone)."""
    data, outputs = work
    locked, out_json = outputs / "locked.tex", outputs / "out.json"
    locked.write_text("locked\n")
    if existed:
        out_json.write_text("previous\n")
    if not _chattr("+i", locked):
        pytest.skip("chattr +i needs root and chattr")
    try:
        before = _snapshot(outputs)
        status = main(["fit", str(data / "t.csv"), "--target", "y", "--beta", "0.5", "--no-certificate",
                       "--json", str(out_json), "--latex", str(locked)])
        after = _snapshot(outputs)
    finally:
        _chattr("-i", locked)
    assert status == 1
    _assert_one_line(capsys.readouterr().err, "cannot write")
    assert after == before
    assert out_json.exists() == existed


def test_outputs_follow_the_umask(work, capsys):
    data, outputs = work
    previous = os.umask(0o027)  # process-wide, restored at once; the test runs serially
    try:
        assert main(["fit", str(data / "t.csv"), "--target", "y", "--beta", "1", "--no-certificate",
                     "--json", str(outputs / "a.json"), "--latex", str(outputs / "a.tex")]) == 0
    finally:
        os.umask(previous)
    capsys.readouterr()
    for name in ("a.json", "a.tex"):
        assert stat.S_IMODE(os.stat(outputs / name).st_mode) == 0o640  # 0o666 & ~0o027, not mkstemp's 0o600


def test_huge_values_in_3d_give_a_result_or_one_line(work, capsys):
    """issue 12.4: values around 1e150 in 3-D gave an OverflowError traceback."""
    data, outputs = work
    path = _big_3d(data)
    status = main(["fit", str(path), "--target", "y", "--beta", "0.5", "--json", str(outputs / "big.json"),
                   "--latex", str(outputs / "big.tex")])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    if status == 0:
        document = json.loads((outputs / "big.json").read_text())  # JSON without inf/nan literals
        assert document["n_samples"] == 7
        assert all(line.startswith("ga-relu: warning: ") for line in captured.err.splitlines())
    else:
        assert status == 1
        _assert_one_line(captured.err, "")
        assert sorted(os.listdir(outputs)) == ["old.json"]


@pytest.mark.parametrize("error, status, fragment", [
    (OverflowError("int too large to convert to float"), 1, "floating-point range"),
    (RuntimeError("something unexpected"), 3, "internal error (RuntimeError: something unexpected)"),
    (KeyboardInterrupt(), 130, "interrupted"),
    (ga_relu.errors.SolverError("the solver failed"), 1, "the solver failed"),
])
def test_any_failure_inside_the_fit_is_one_line(work, capsys, monkeypatch, error, status, fragment):
    data, outputs = work

    def failing_fit(*args, **kwargs):
        raise error

    monkeypatch.setattr("ga_relu.convex.fitting.fit", failing_fit)
    before = _snapshot(outputs)
    assert main(["fit", str(data / "t.csv"), "--target", "y", "--beta", "1", "--json", str(outputs / "old.json")]) \
        == status
    _assert_one_line(capsys.readouterr().err, fragment)
    assert _snapshot(outputs) == before


def test_ctrl_c_swallowed_by_a_finalizer_still_stops_before_writing(work, capsys, monkeypatch):
    """Python ignores a KeyboardInterrupt raised in a __del__ (as when Ctrl-C lands in numba's
    compiler finalizers): the fit returns normally, yet the command must stop and write nothing."""
    data, outputs = work
    real_fit = ga_relu.convex.fitting.fit

    class InterruptedFinalizer:
        def __del__(self):
            raise KeyboardInterrupt

    def fit_hit_by_ctrl_c(*args, **kwargs):
        InterruptedFinalizer()  # collected at once: the interrupt is "ignored" by the interpreter
        return real_fit(*args, **kwargs)

    monkeypatch.setattr("ga_relu.convex.fitting.fit", fit_hit_by_ctrl_c)
    before = _snapshot(outputs)
    assert main(["fit", str(data / "t.csv"), "--target", "y", "--beta", "1", "--json", str(outputs / "old.json")]) \
        == 130
    _assert_one_line(capsys.readouterr().err, "interrupted")
    assert _snapshot(outputs) == before


def test_failure_while_writing_the_second_file_restores_the_first(work, capsys, monkeypatch):
    """A replacement that fails half way (simulated for the second target) undoes the first."""
    data, outputs = work
    (outputs / "a.json").write_text("old json\n")
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if str(dst).endswith("a.tex"):
            raise PermissionError(1, "Operation not permitted", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr("ga_relu._files.os.replace", replace)
    before = _snapshot(outputs)
    status = main(["fit", str(data / "t.csv"), "--target", "y", "--beta", "1", "--no-certificate",
                   "--json", str(outputs / "a.json"), "--latex", str(outputs / "a.tex")])
    assert status == 1
    _assert_one_line(capsys.readouterr().err, "a.tex: Operation not permitted")
    assert _snapshot(outputs) == before


# -- subprocess cases ------------------------------------------------------------------------------


def _cli(*argv):
    env = dict(os.environ, PYTHONUNBUFFERED="1", MPLBACKEND="Agg")
    return subprocess.Popen([sys.executable, "-m", "ga_relu", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO, env=env)


def test_sigint_mid_fit_leaves_no_file(work):
    data, outputs = work
    r = np.random.default_rng(2)
    path = _write_csv(data / "slow.csv", r.standard_normal((100, 2)), r.standard_normal(100))  # a ~10 s fit
    (outputs / "fit.json").write_text("previous\n")
    before = _snapshot(outputs)
    process = _cli("fit", str(path), "--target", "y", "--beta", "0.01", "--json", str(outputs / "fit.json"),
                   "--latex", str(outputs / "fit.tex"))
    try:
        first = process.stdout.readline()  # printed just before the fit starts
        assert first.startswith("data: "), first + process.stderr.read()
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    # 130 from the CLI's own handler; -SIGINT when CPython, having seen the interrupt in a finalizer
    # (numba compiling on a cold cache), re-raises the signal at exit after the handler ran. Either
    # way the command stopped, said so in one line, and wrote nothing.
    assert process.returncode in (130, -signal.SIGINT), err
    _assert_one_line(err, "interrupted")
    assert _snapshot(outputs) == before


def test_two_concurrent_runs_leave_one_whole_file(work):
    data, outputs = work
    r = np.random.default_rng(3)
    paths = [_write_csv(data / f"run{k}.csv", r.standard_normal((6, 2)), r.standard_normal(6)) for k in range(2)]
    target = outputs / "shared.json"
    processes = [_cli("fit", str(p), "--target", "y", "--beta", "0.5", "--no-certificate", "--json", str(target))
                 for p in paths]
    results = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [err for _, err in results]
    document = json.loads(target.read_text())  # whole, parseable
    assert document["source"] in {str(p) for p in paths}
    written = json.loads(target.read_text())
    assert written == document
    assert sorted(os.listdir(outputs)) == ["old.json", "shared.json"]  # no temporaries or backups left


# -- the library's entry points ----------------------------------------------------------------------


def _small():
    r = np.random.default_rng(4)
    return r.standard_normal((6, 2)), r.standard_normal(6)


@pytest.mark.parametrize("where", ["X", "y", "X list", "y object"])
def test_complex_data_is_refused_everywhere(where):
    X, y = _small()
    if where == "X":
        X = X + 0j  # even a zero imaginary part: the caller decides to drop it
    elif where == "y":
        y = y + 1j
    elif where == "X list":
        X = [[complex(a, 1), b] for a, b in X]
    else:
        y = np.array(list(y[:-1]) + [1 + 2j], dtype=object)
    with pytest.raises(InvalidTypeError, match="complex"):
        ga_relu.fit(X, y, beta=1.0)
    network = ga_relu.fit(*_small(), beta=1.0).network
    with pytest.raises(InvalidTypeError, match="complex"):
        ga_relu.certify(network, X, y, beta=1.0)
    # the estimators run scikit-learn's check_X_y first, which refuses complex data itself
    with pytest.raises((TypeError, ValueError), match="(?i)complex"):
        ga_relu.WedgeReLURegressor(beta=1.0).fit(X, y)


def test_seeds_and_options_are_checked():
    from ga_relu.validation import check_random_state

    for bad in (-1, True, 1.5, "3"):
        with pytest.raises(InvalidInputError, match="random_state"):
            check_random_state(bad)
    assert check_random_state(7).integers(10**6) == np.random.default_rng(7).integers(10**6)
    options = ga_relu.options
    budget, chunk, progress = options.memory_budget_bytes, options.chunk_columns, options.progress
    with pytest.raises(InvalidTypeError, match="memory_budget_bytes"):
        options.memory_budget_bytes = "x"
    with pytest.raises(InvalidTypeError, match="memory_budget_bytes"):
        with options.override(memory_budget_bytes="x"):
            pass  # pragma: no cover
    with pytest.raises(InvalidInputError, match="must be > 0"):
        options.chunk_columns = 0
    with pytest.raises(InvalidTypeError):
        options.progress = "yes"
    with pytest.raises(InvalidInputError, match="unknown option 'memory_budget'"):
        options.memory_budget = 10
    with pytest.raises(InvalidInputError, match="unknown option"):
        with options.override(chunk_column=5):
            pass  # pragma: no cover
    assert (options.memory_budget_bytes, options.chunk_columns, options.progress) == (budget, chunk, progress)
    with options.override(memory_budget_bytes=10**6, progress=not progress):
        assert options.memory_budget_bytes == 10**6 and options.progress is (not progress)
    assert (options.memory_budget_bytes, options.progress) == (budget, progress)
