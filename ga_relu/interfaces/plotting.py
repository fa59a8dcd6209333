"""Figures of fits, regularization paths and dual certificates (matplotlib, imported lazily).

Every function draws on ``ax`` when given, else on a new :class:`matplotlib.figure.Figure` that is
not registered with pyplot (no global state is touched: no ``plt.show``, no rcParams). Each returns
the Figure: leave it as a notebook cell's last value to display it, or write it with
:func:`save_figure`.

* :func:`plot_fit` -- 1-D: data, the network and its breakpoints at the defining samples x_k
  (f is linear between consecutive x_k); 2-D: data, decision regions (classifier) or level sets
  (regression) and each active neuron's line {x : w . x + b = 0} drawn through its defining samples
  (for an axis-parallel l1 neuron, the line through the sample parallel to e_k), labelled with its
  output weight alpha.
* :func:`plot_path` -- Lasso coefficients z_S against beta, one curve per subset S.
* :func:`plot_certificate` -- 2-D: the dual value max_b |lambda . relu(X w + b)| / beta over unit
  directions w, the bound 1 and the network's neurons; a network is a global optimum of (P) iff the
  curve stays below 1 (docs/theory/certificates.md).

Artists carry a ``gid`` so that tests and users can find them: "data", "network", "breakpoint",
"neuron-line", "defining-samples", "coefficient", "dual-value", "bound", "maximum",
"active-neuron".
"""

from __future__ import annotations

import numpy as np

from .._files import check_output_folder, figure_writer, write_atomically
from ..convex.duality import best_breakpoint_bias
from ..convex.losses import LossName, get_loss
from ..convex.penalties import Penalty, PenaltyName, get_penalty
from ..errors import InvalidInputError
from ..validation import check_matrix

__all__ = ["plot_fit", "plot_path", "plot_certificate", "save_figure", "dual_value_on_circle", "line_in_box",
           "subset_label", "axis_names", "place_labels", "CLASS_COLOURS"]


#: colours of the two classes (label -1: blue, label +1: red), colour-blind safe; use them in your own
#: figures so that they agree with plot_fit
CLASS_COLOURS = ("#4477AA", "#EE6677")
_CLASS_COLOURS = CLASS_COLOURS
_NEURON_COLOUR = "#222222"


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def _new_axes(ax, figsize):
    """(figure, axes): the given axes, or a fresh pyplot-free Figure with one subplot."""
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _check_fit_result(result, caller: str):
    from ..convex.results import FitResult

    if not isinstance(result, FitResult):
        raise InvalidInputError(
            f"{caller} takes the FitResult returned by ga_relu.fit (or one fit of ga_relu.path), got "
            f"{type(result).__name__}; for a bare ReLUNetwork use plot_certificate(network, X, y, ...)"
        )
    if result.X is None:
        raise InvalidInputError(f"{caller}: this FitResult carries no training data (result.X is None); "
                                "refit with ga_relu.fit, which stores X and y")
    return result


def axis_names(result_or_d, feature_names=None) -> list[str]:
    """Axis labels of the input coordinates: the feature names when known, else $[x]_k$ (x in 1-D).

    The notation of :mod:`ga_relu.explain.symbolic`: x_i is a sample, [x]_k coordinate k of the input.

    Examples
    --------
    >>> axis_names(2), axis_names(2, ["bmi", "s5"]), axis_names(1)
    (['$[x]_1$', '$[x]_2$'], ['bmi', 's5'], ['$x$'])
    """
    from ..explain.symbolic import check_feature_names

    if isinstance(result_or_d, (int, np.integer)):
        d = int(result_or_d)
    else:
        d = result_or_d.network.dim
        feature_names = getattr(result_or_d, "feature_names", None) if feature_names is None else feature_names
    names = check_feature_names(feature_names, d) or (None,) * d
    default = ["$x$"] if d == 1 else [f"$[x]_{k + 1}$" for k in range(d)]
    return [default[k] if names[k] is None else names[k] for k in range(d)]


def _renderer(fig):
    """A renderer to measure text with; the layout (constrained or tight) is settled first, so that
    the measured boxes are those of the final figure."""
    fig.draw_without_rendering()
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()


def place_labels(ax, candidates, *, max_labels: int | None = None, pad_px: float = 2.0, avoid: list | None = None,
                 **text_kwargs):
    """Place text labels without overlaps: each label goes to its first free candidate position.

    ``candidates`` is a list of (text, positions, gid): positions (data coordinates) in order of
    preference. Labels are placed in the order given (put the important ones first); a label is
    kept at the first position where its box (measured by matplotlib's renderer, grown by
    ``pad_px``) overlaps no box placed before and lies inside the axes, else it is left out. At most
    ``max_labels`` are placed. ``avoid`` is a list of display-space boxes (Bbox) already taken; the
    boxes placed are appended to it, so successive calls avoid each other. Returns (placed Text
    artists, number left out).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> texts, left_out = place_labels(ax, [("a", [(0.5, 0.5)], "x"), ("b", [(0.5, 0.5)], "x")])
    >>> len(texts), left_out  # the second label would cover the first
    (1, 1)
    """
    fig = ax.figure
    renderer = _renderer(fig)
    frame = ax.get_window_extent(renderer)
    taken = [] if avoid is None else avoid
    placed, left_out = [], 0
    for text, positions, gid in candidates:
        if max_labels is not None and len(placed) >= max_labels:
            left_out += 1
            continue
        artist = ax.text(0.0, 0.0, text, gid=gid, **text_kwargs)
        artist.set_in_layout(False)  # labels inside the axes must not move the layout they were placed on
        for position in positions:
            artist.set_position(position)
            box = artist.get_window_extent(renderer).padded(pad_px)
            inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1)
            if inside and not any(box.overlaps(other) for other in taken):
                taken.append(box)
                placed.append(artist)
                break
        else:
            artist.remove()
            left_out += 1
    return placed, left_out


def _fit_title(result) -> str:
    """The fit in words: loss, data size, penalty, beta and the network's width."""
    loss = {"squared": "Least-squares", "logistic": "Logistic", "hinge": "Hinge-loss"}.get(result.loss, result.loss)
    penalty = "l1 penalty" if result.penalty == "l1" else "weight decay"
    width = len(result.neurons)
    return (f"{loss} fit of {result.X.shape[0]} samples in {result.X.shape[1]}-D: {width} neuron"
            f"{'' if width == 1 else 's'} ({penalty}, beta = {result.beta:g})")


def _subtitle(ax, text: str) -> None:
    """A smaller grey line under the title (gid "subtitle"): the theorem and what it guarantees."""
    ax.annotate(text, (0.5, 1.0), xycoords="axes fraction", xytext=(0, 3), textcoords="offset points",
                ha="center", va="bottom", fontsize=7.5, color="0.35", gid="subtitle")


def subset_label(samples, basis=(), sign: int | None = None) -> str:
    """Mathtext name of a vertex subset, e.g. ``$\\{x_{3}, e_{1}\\}^{+}$`` (indices printed 1-based).

    Examples
    --------
    >>> print(subset_label((2,), (0,), sign=1))
    $\\{x_{3}, e_{1}\\}^{+}$
    """
    names = [f"x_{{{i + 1}}}" for i in samples] + [f"e_{{{k + 1}}}" for k in basis]
    body = ", ".join(names) if names else r"\varnothing"
    signs = {1: "^{+}", -1: "^{-}", None: ""}
    return f"$\\{{{body}\\}}{signs[None if sign is None else int(np.sign(sign))]}$"


def _scalar_output(value, output: int) -> float:
    return float(value) if np.ndim(value) == 0 else float(np.asarray(value)[output])


def _check_output(y: np.ndarray, output: int) -> None:
    n_out = 1 if y.ndim == 1 else y.shape[1]
    if not isinstance(output, (int, np.integer)) or not 0 <= output < n_out:
        raise InvalidInputError(f"output must be an integer in 0..{n_out - 1} (the fit has {n_out} "
                                f"output(s)), got {output!r}")


def _box(X: np.ndarray, include_origin: bool, margin: float = 0.12) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper corners of the plotting window: the data (and origin) plus a margin."""
    pts = np.vstack([X, np.zeros((1, X.shape[1]))]) if include_origin else X
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    return lo - margin * span, hi + margin * span


def line_in_box(w, b: float, lo, hi) -> np.ndarray | None:
    """End points (2 x 2) of the segment of the line {x : w . x + b = 0} inside the box [lo, hi].

    The line is p0 + t u with p0 = -b w / ||w||^2 (its point nearest the origin) and u = (-w_2, w_1);
    the t-interval inside the box is clipped axis by axis (Liang-Barsky). None when it misses the box.

    Examples
    --------
    >>> line_in_box([1.0, 0.0], -0.5, [0.0, 0.0], [1.0, 1.0]).tolist()  # the line x_1 = 0.5
    [[0.5, 0.0], [0.5, 1.0]]
    >>> line_in_box([1.0, 0.0], -2.0, [0.0, 0.0], [1.0, 1.0]) is None
    True
    """
    w = np.asarray(w, dtype=float)
    norm2 = float(w @ w)
    if norm2 == 0.0:
        return None
    p0 = -b * w / norm2
    u = np.array([-w[1], w[0]]) / np.sqrt(norm2)
    t_lo, t_hi = -np.inf, np.inf
    for k in range(2):
        if abs(u[k]) < 1e-15:  # u is a unit vector: a component at round-off level is 0
            if not lo[k] <= p0[k] <= hi[k]:
                return None
            continue
        t1, t2 = (lo[k] - p0[k]) / u[k], (hi[k] - p0[k]) / u[k]
        t_lo, t_hi = max(t_lo, min(t1, t2)), min(t_hi, max(t1, t2))
    if not t_lo < t_hi:
        return None
    return np.array([p0 + t_lo * u, p0 + t_hi * u])


# ---------------------------------------------------------------------------------------------
# fits
# ---------------------------------------------------------------------------------------------


def plot_fit(result, ax=None, *, output: int = 0, grid_size: int = 200, max_neurons: int | None = None,
             annotate: bool = True, max_labels: int = 12, title: str | None = None, figsize=(6.4, 5.0)):
    """Draw a 1-D or 2-D fit: the data, the network and its neurons at their defining samples.

    1-D: the samples (x_i, y_i), the network x -> f(x) on a fine grid, and a dashed vertical line at
    each breakpoint x_k of an active neuron relu(+-(x - x_k)) (gid "breakpoint"), with f(x_k) marked.
    2-D: decision regions sign f(x) and the boundary f = 0 for the classification losses, level sets
    of f for the squared loss; each active neuron's line w . x + b = 0 (gid "neuron-line", through its
    defining samples, which are ringed; gid "defining-samples") labelled alpha_j. Without bias the
    lines pass through the origin.

    ``output`` picks the output of a vector-output fit (T5); ``max_neurons`` draws only the largest
    |alpha_j| (neurons are sorted by |z_j|). Labels never overlap: they are placed with collision
    avoidance, the largest neurons first, at most ``max_labels``; those left out are counted in a
    note under the legend (the neuron table lists them all). Axes carry the feature names when the
    fit has them (``result.feature_names``), else [x]_1, [x]_2. The title says what was fitted; the
    theorem is in the subtitle. Returns the Figure.

    Examples
    --------
    >>> import ga_relu as gr
    >>> result = gr.fit([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0], beta=0.1)
    >>> fig = plot_fit(result)
    >>> type(fig).__name__, "network" in {line.get_gid() for line in fig.axes[0].lines}
    ('Figure', True)
    """
    result = _check_fit_result(result, "plot_fit")
    X, y = result.X, result.y
    _check_output(y, output)
    d = X.shape[1]
    if d not in (1, 2):
        raise InvalidInputError(
            f"plot_fit draws fits with 1 or 2 features; this fit has d = {d}. Print result.table() or "
            "result.to_latex() instead, or fit a 1-D/2-D projection of the data to picture it"
        )
    if not isinstance(grid_size, (int, np.integer)) or grid_size < 2:
        raise InvalidInputError(f"grid_size must be an integer >= 2, got {grid_size!r}")
    fig, ax = _new_axes(ax, figsize)
    neurons = result.neurons if max_neurons is None else result.neurons[:max_neurons]
    y_out = y if y.ndim == 1 else y[:, output]
    if not isinstance(max_labels, (int, np.integer)) or isinstance(max_labels, bool) or max_labels < 0:
        raise InvalidInputError(f"max_labels must be an integer >= 0, got {max_labels!r}")
    draw = _plot_fit_1d if d == 1 else _plot_fit_2d
    draw(result, ax, X, y_out, neurons, output, int(grid_size), annotate, int(max_labels))
    if title is None:
        title = _fit_title(result)
    ax.set_title(title, fontsize=10, pad=16)
    _subtitle(ax, f"theorem {result.case.theorem} ({result.case.bound})")
    return fig


def _network_values(result, points: np.ndarray, output: int) -> np.ndarray:
    f = result.network(points)
    return f if f.ndim == 1 else f[:, output]


def _left_out_note(left_out: int) -> str | None:
    if not left_out:
        return None
    return f"{left_out} label{'s' if left_out > 1 else ''} left out to avoid overlaps (result.table() lists all)"


def _plot_fit_1d(result, ax, X, y, neurons, output, grid_size, annotate, max_labels):
    x = X[:, 0]
    lo, hi = _box(X, include_origin=not result.bias)
    grid = np.linspace(lo[0], hi[0], max(grid_size, 4 * len(x)))
    # put every breakpoint on the grid so the kinks are drawn sharp
    grid = np.union1d(grid, x)
    classifier = get_loss(result.loss).classification
    ax.plot(grid, _network_values(result, grid[:, None], output), color=_NEURON_COLOUR, lw=1.8, gid="network",
            label="network f(x) (solid)")
    if classifier:
        colours = np.where(y > 0, _CLASS_COLOURS[1], _CLASS_COLOURS[0])
        ax.scatter(x, y, c=colours, s=30, zorder=3, gid="data", label="labels y_i = +-1")
        ax.axhline(0.0, color="0.6", lw=0.8)
    else:
        ax.scatter(x, y, color="C0", s=30, zorder=3, gid="data", label="samples (x_i, y_i)")
    breaks: dict[float, list] = {}
    for nr in neurons:
        # T3: relu(+-(x - x_k)) breaks at its sample; T1 (no bias): relu(+-x) breaks at 0
        where = float(X[nr.samples[0], 0]) if nr.samples else 0.0
        breaks.setdefault(where, []).append(nr)
    first = True
    for where, group in sorted(breaks.items()):
        ax.axvline(where, color="0.45", ls="--", lw=0.9, gid="breakpoint", zorder=1,
                   label="breakpoint at a sample x_k (dashed)" if first else None)
        fx = float(_network_values(result, np.array([[where]]), output)[0])
        ax.plot([where], [fx], "o", mfc="white", mec=_NEURON_COLOUR, ms=6, zorder=4, gid="breakpoint-value")
        first = False
    ax.set_xlim(lo[0], hi[0])
    ax.set_xlabel(axis_names(result)[0])
    ax.set_ylabel("y, f(x)")
    note = None
    if annotate and breaks:
        bottom, top = ax.get_ylim()
        ax.set_ylim(bottom, top)  # fixed, so that the labels placed below stay where they were measured
        span = top - bottom
        # the largest neuron's breakpoint first; each name tries a few heights under the top edge
        order = sorted(breaks.items(), key=lambda item: -max(abs(_scalar_output(nr.output_weight, output))
                                                                for nr in item[1]))
        candidates = [(f"$x_{{{group[0].samples[0] + 1}}}$" if group[0].samples else "$0$",
                       [(where, top - f * span) for f in (0.04, 0.1, 0.16, 0.22, 0.28)], "breakpoint-label")
                      for where, group in order]
        _, left_out = place_labels(ax, candidates, max_labels=max_labels, fontsize=8, ha="center", va="top",
                                   color="0.25", zorder=6)
        note = _left_out_note(left_out)
    legend = ax.legend(loc="lower right", fontsize=8, title=note, title_fontsize=7)
    legend.set_gid("legend")


def _scatter_classes(ax, X, y) -> None:
    """The samples of the two classes y = -1 / +1 in their colours."""
    for label, colour in zip((-1, 1), _CLASS_COLOURS):
        pick = y == label
        ax.scatter(X[pick, 0], X[pick, 1], color=colour, s=28, edgecolors="k", linewidths=0.5, zorder=3,
                   gid="data", label=f"y = {label:+d}")


def _plot_fit_2d(result, ax, X, y, neurons, output, grid_size, annotate, max_labels):
    from matplotlib.lines import Line2D

    lo, hi = _box(X, include_origin=not result.bias)
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], grid_size), np.linspace(lo[1], hi[1], grid_size))
    F = _network_values(result, np.column_stack([g0.ravel(), g1.ravel()]), output).reshape(g0.shape)
    boundary = None
    if get_loss(result.loss).classification:
        from matplotlib.colors import ListedColormap

        ax.contourf(g0, g1, np.where(F > 0, 1.0, -1.0), levels=[-2, 0, 2], cmap=ListedColormap(_CLASS_COLOURS),
                    alpha=0.22)
        if F.min() < 0 < F.max():
            ax.contour(g0, g1, F, levels=[0.0], colors="k", linewidths=1.4)
            boundary = Line2D([], [], color="k", lw=1.4, label="decision boundary f = 0")
        _scatter_classes(ax, X, y)
    else:
        filled = ax.contourf(g0, g1, F, levels=14, cmap="viridis", alpha=0.75)
        ax.figure.colorbar(filled, ax=ax, label="f(x)", shrink=0.8)
        if y.ndim == 1 and np.all(np.isin(y, (-1.0, 1.0))):
            # least squares on +-1 labels: show the classes apart from the level sets, and f = 0
            if F.min() < 0 < F.max():  # white, so that it is not taken for a neuron's line
                ax.contour(g0, g1, F, levels=[0.0], colors="w", linewidths=2.0)
                boundary = Line2D([], [], color="w", lw=2.0, label="f = 0 (white)")
            _scatter_classes(ax, X, y)
        else:
            ax.scatter(X[:, 0], X[:, 1], c=y, cmap="viridis", norm=filled.norm, s=28, edgecolors="k",
                       linewidths=0.6, zorder=3, gid="data", label="samples (colour: y)")
    defining = sorted({i for nr in neurons for i in nr.samples})
    if defining:
        ax.scatter(X[defining, 0], X[defining, 1], s=140, facecolors="none", edgecolors=_NEURON_COLOUR,
                   linewidths=1.6, zorder=4, gid="defining-samples", label="defining samples x_i")
    if not result.bias:
        ax.plot([0.0], [0.0], "k+", ms=10, zorder=4, gid="origin")
    segments = []
    for nr in neurons:
        ends = line_in_box(nr.weight, nr.bias, lo, hi)
        if ends is None:  # cannot happen for lines through samples inside the window
            continue
        alpha = _scalar_output(nr.output_weight, output)
        ax.plot(ends[:, 0], ends[:, 1], color=_NEURON_COLOUR, lw=0.8 + 1.6 * min(1.0, abs(alpha) / _largest(neurons,
                output)), ls="-" if alpha > 0 else "--", gid="neuron-line", zorder=2,
                label=f"{nr.index}: {subset_label(nr.samples, nr.basis, nr.sign)}, $\\alpha$ = {alpha:+.3g}")
        segments.append((nr, alpha, ends))
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal", adjustable="box")
    names = axis_names(result)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    handles = [a for a in ax.collections if a.get_gid() in ("data", "defining-samples")]
    signs = {alpha > 0 for _, alpha, _ in segments}
    if True in signs:
        handles.append(Line2D([], [], color=_NEURON_COLOUR, lw=1.6, ls="-",
                              label=r"neuron line $w\cdot x + b = 0$, $\alpha > 0$ (solid)"))
    if False in signs:
        handles.append(Line2D([], [], color=_NEURON_COLOUR, lw=1.6, ls="--",
                              label=r"neuron line, $\alpha < 0$ (dashed)"))
    if boundary is not None:
        handles.append(boundary)
    note = None
    if annotate:
        left_out = _label_neurons_2d(ax, X, segments, defining, lo, hi, max_labels)
        note = _left_out_note(left_out)
    legend = ax.legend(handles=handles, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2,
                       frameon=False, title=note, title_fontsize=7)
    legend.set_gid("legend")


def _label_neurons_2d(ax, X, segments, defining, lo, hi, max_labels) -> int:
    """alpha_j on each neuron's line (largest first, several places along it), then the names x_i of
    the defining samples (beside each sample); all without overlaps. Returns how many were left out."""
    along = (0.5, 0.3, 0.7, 0.15, 0.85, 0.4, 0.6, 0.22, 0.78, 0.08, 0.92)
    candidates = [(f"$\\alpha_{{{nr.index}}}$={alpha:+.2g}", [tuple(ends[0] + t * (ends[1] - ends[0])) for t in along],
                   "neuron-label") for nr, alpha, ends in segments]
    box = dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.75)
    taken: list = []
    placed, left_out = place_labels(ax, candidates, max_labels=max_labels, fontsize=7, ha="center", va="center",
                                    zorder=5, bbox=box, avoid=taken)
    step = 0.025 * (np.asarray(hi) - np.asarray(lo))
    offsets = [(1, 1), (1, -1), (-1, 1), (-1, -1), (1.8, 0), (-1.8, 0), (0, 1.6), (0, -1.6)]
    samples = [(f"$x_{{{i + 1}}}$", [tuple(X[i] + np.multiply(o, step)) for o in offsets], "sample-label")
               for i in defining]
    _, more = place_labels(ax, samples, fontsize=8, ha="center", va="center", zorder=6, avoid=taken)
    return left_out + more


def _largest(neurons, output) -> float:
    return max((abs(_scalar_output(nr.output_weight, output)) for nr in neurons), default=1.0) or 1.0


# ---------------------------------------------------------------------------------------------
# regularization paths
# ---------------------------------------------------------------------------------------------


def plot_path(fit_path, ax=None, *, max_labels: int = 12, relative_tol: float = 1e-6, log_beta: bool = True,
              figsize=(6.4, 4.4)):
    """Lasso coefficients z_S (per column: subset S and sign) against beta along a path.

    Only columns that are nonzero somewhere on the path are drawn (|z| > relative_tol * max |z|);
    vector outputs draw ||Z_S||_2. The ``max_labels`` largest curves are named by their subsets in
    the legend. Returns the Figure.

    Examples
    --------
    >>> import ga_relu as gr
    >>> fig = plot_path(gr.path([[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 0.0, 1.0], [0.05, 0.1, 0.5]))
    >>> fig.axes[0].get_xscale()
    'log'
    """
    from ..convex.results import FitPath

    if not isinstance(fit_path, FitPath):
        raise InvalidInputError(f"plot_path takes the FitPath returned by ga_relu.path, got "
                                f"{type(fit_path).__name__}")
    betas = np.asarray(fit_path.betas, dtype=float)
    Z = np.asarray(fit_path.coefficients, dtype=float)
    if Z.ndim == 3:
        Z = np.linalg.norm(Z, axis=2)
    order = np.argsort(betas)
    betas, Z = betas[order], Z[order]
    size = np.abs(Z).max(axis=0)
    top = float(size.max()) if size.size else 0.0
    active = np.flatnonzero(size > relative_tol * top) if top > 0 else np.zeros(0, dtype=int)
    active = active[np.argsort(-size[active], kind="stable")]
    fig, ax = _new_axes(ax, figsize)
    dictionary = fit_path.dictionary
    import matplotlib

    colours = matplotlib.colormaps["tab20"].colors
    for rank, j in enumerate(active):
        subset, sign, _, _ = dictionary.column(int(j))
        samples, basis = dictionary.split_subset(subset)
        label = subset_label(samples, basis, sign) if rank < max_labels else None
        ax.plot(betas, Z[:, j], marker="o", ms=3, lw=1.3, color=colours[rank % len(colours)], gid="coefficient",
                label=label)
    ax.axhline(0.0, color="0.5", lw=0.8)
    if log_beta and np.all(betas > 0) and len(betas) > 1:
        ax.set_xscale("log")
    ax.set_xlabel(r"$\beta$")
    ax.set_ylabel(r"Lasso coefficient $z_S = \alpha_S \, \|w_S\|_p$")
    ax.set_title(f"Regularization path: {len(active)} of {dictionary.n_columns} columns ever active", fontsize=10)
    if len(active):
        ax.legend(fontsize=7, ncol=2 if min(len(active), max_labels) > 6 else 1, title="subset S, sign",
                  title_fontsize=7)
    return fig


# ---------------------------------------------------------------------------------------------
# dual certificates
# ---------------------------------------------------------------------------------------------


def dual_value_on_circle(X, lam, directions, *, bias: bool, penalty: Penalty | PenaltyName) -> np.ndarray:
    r""":math:`\max_b |\lambda \cdot \operatorname{relu}(X w + b)|` for :math:`w = u / \|u\|_p`, u each
    row of ``directions`` (unit vectors).

    Without bias b = 0. With bias the function of b is piecewise linear with kinks at
    :math:`b = -x_i \cdot w`, constant (:math:`\lambda \cdot X w`, since sum lambda = 0 at an
    optimum) for b above :math:`-\min_i x_i \cdot w` and 0 below :math:`-\max_i x_i \cdot w`, so
    its maximum is at one of the kinks: :math:`\max_i |\lambda \cdot \operatorname{relu}((X - x_i) w)|`.

    Examples
    --------
    >>> X, lam = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), np.array([1.0, -1.0, 0.0])
    >>> dual_value_on_circle(X, lam, np.array([[1.0, 0.0]]), bias=False, penalty="l2")
    array([1.])
    """
    U = np.asarray(directions, dtype=float)
    W = U / get_penalty(penalty).norms(U)[:, None]
    P = X @ W.T  # (n, m)
    if not bias:
        return np.abs(lam @ np.maximum(P, 0.0))
    return np.abs(best_breakpoint_bias(P.T, lam)[0])


def _critical_directions(X: np.ndarray, bias: bool, penalty: Penalty, limit: int = 4000) -> np.ndarray:
    """Unit directions where the dual value can peak: normals of lines through two samples (bias) or
    through the origin and one sample (no bias), and the axes (vertices of the l1 ball)."""
    if bias:
        i, j = np.triu_indices(len(X), k=1)
        diffs = X[i] - X[j]
    else:
        diffs = X
    normals = np.column_stack([diffs[:, 1], -diffs[:, 0]])
    normals = normals[np.linalg.norm(normals, axis=1) > 0]
    if len(normals) > limit:
        normals = normals[:: int(np.ceil(len(normals) / limit))]
    extra = [normals, -normals]
    if penalty.basis_vertices:
        extra.append(np.vstack([np.eye(2), -np.eye(2)]))
    D = np.vstack(extra)
    return D / np.linalg.norm(D, axis=1, keepdims=True)


def _certificate_inputs(result_or_network, X, y, *, beta, penalty, bias, loss):
    """(network, X, lambda, beta, Penalty, bias) of :func:`plot_certificate`, validated: from a
    FitResult (its own data and dual) or from a ReLUNetwork with X, y and beta."""
    from ..convex.results import FitResult
    from ..networks.relu import ReLUNetwork
    from ..validation import check_beta

    if isinstance(result_or_network, FitResult):
        res = _check_fit_result(result_or_network, "plot_certificate")
        if X is not None or y is not None:
            raise InvalidInputError("plot_certificate(result) uses the fit's own X and y; pass X and y only "
                                    "with a ReLUNetwork")
        network, X, y = res.network, res.X, res.y
        beta = res.beta if beta is None else beta
        penalty, bias, loss = res.penalty, res.bias, res.loss
        lam = np.asarray(res.dual, dtype=float)
    elif isinstance(result_or_network, ReLUNetwork):
        network = result_or_network
        if X is None or y is None or beta is None:
            raise InvalidInputError("plot_certificate(network, X, y, beta=...) needs the training data X, y "
                                    "and the regularization strength beta of problem (P)")
        X = check_matrix(X)
        loss = get_loss("squared" if loss is None else loss)
        y = loss.check_targets(y, X.shape[0])
        penalty = "l1" if penalty is None else penalty
        bias = True if bias is None else bias
        if X.shape[1] != network.dim:
            raise InvalidInputError(f"the network takes {network.dim} features, X has {X.shape[1]} columns")
        lam = loss.dual_vector(network(X), y)
    else:
        raise InvalidInputError(f"plot_certificate takes a FitResult or a ReLUNetwork, got "
                                f"{type(result_or_network).__name__}")
    beta = check_beta(beta)
    penalty = get_penalty(penalty)
    if lam.ndim != 1:
        raise InvalidInputError("plot_certificate draws scalar-output networks; for vector outputs (T5) use "
                                "ga_relu.certify, which prices ||lambda^T relu(X w + b)||_2")
    if X.shape[1] != 2:
        raise InvalidInputError(
            f"plot_certificate draws the circle of directions of 2-D data; X has d = {X.shape[1]} features. "
            "Use ga_relu.certify(...) for the certificate ratio in any dimension"
        )
    return network, X, lam, beta, penalty, bool(bias)


def _certificate_verdict(max_ratio: float, lam: np.ndarray, penalty: Penalty, bias: bool) -> str:
    """The title's verdict on the drawn maximum of the dual ratio (the ratio itself for l1, whose
    vertices are among the directions drawn; a lower bound on it for weight decay)."""
    holds = max_ratio <= 1 + 1e-4  # the ratio's bound is 1; 1e-4 is the solver tolerance certify allows
    lam_sum = float(np.sum(lam))
    # relative to the dual's size: sum(lambda) is a sum of n entries, each exact to solver tolerance
    if bias and abs(lam_sum) > 1e-6 * max(1.0, float(np.abs(lam).sum())):
        # a neuron with b -> +inf acts as a constant: its dual value grows like b * |sum(lambda)|
        return f"NOT optimal: sum(lambda) = {lam_sum:.3g} != 0, unbounded as b -> +inf"
    if penalty.p == 1:
        return "optimal (certificate holds)" if holds else "NOT optimal: a neuron above 1 lowers the objective"
    return "no violation found (a lower bound on the ratio)" if holds else "NOT optimal: ratio > 1"


def plot_certificate(result_or_network, X=None, y=None, *, beta: float | None = None,
                     penalty: PenaltyName | None = None, bias: bool | None = None, loss: LossName | None = None,
                     n_directions: int = 720, ax=None, figsize=(7.0, 4.2)):
    """The dual certificate in 2-D: max_b |lambda . relu(X w + b)| / beta over unit directions w.

    lambda = -dL/df at the network's predictions (the solver's dual for a FitResult). A network is a
    global optimum of (P), among all widths, iff this curve stays <= 1 (and the finite problem is at
    a stationary point); a peak above 1 names a neuron that would lower the objective. The curve
    reaches 1 at the network's neurons, and for the l1 penalty it can stay at 1 over a whole arc:
    where the activation pattern does not change, the value at w = u / ||u||_1 is a weighted average
    of its values at the arc's two ends (a linear function over ||u||_1, itself linear on a quadrant),
    so when both ends reach 1 every direction between them does: equally good neurons, not a
    violation. Directions
    are angles theta, w = (cos theta, sin theta) / ||.||_p. With bias, the best b for each direction
    is used (see :func:`dual_value_on_circle`).

    With a bias and sum(lambda) != 0 the ratio is infinite (b -> +inf gives a constant neuron); the
    title says so, and the curve then shows the best bias among the kinks b = -x_i . w.

    Besides an even grid of ``n_directions`` angles, the curve is evaluated at the normals of lines
    through samples (and the axes, for l1): for the l1 penalty these contain every vertex where the
    maximum can occur (T1/T2), so the plotted maximum is the certificate ratio itself; for weight
    decay it is a lower bound on the ratio (dense directions, not a proof).

    ``result_or_network``: a FitResult (X, y, beta, penalty, bias, loss taken from it) or a
    ReLUNetwork together with X, y and beta (penalty "l1", bias True, loss "squared" by default).
    The network's neurons are marked at their directions (gid "active-neuron"). Returns the Figure.

    Examples
    --------
    >>> from ga_relu.networks.relu import ReLUNetwork
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> fig = plot_certificate(ReLUNetwork([[1.0, 1.0]], [-1.0], [1.0]), X, [0.0, 0.0, 0.0, 1.0], beta=0.1)
    >>> sorted({line.get_gid() for line in fig.axes[0].lines} - {None})
    ['active-neuron', 'bound', 'dual-value', 'maximum']
    """
    network, X, lam, beta, penalty, bias = _certificate_inputs(result_or_network, X, y, beta=beta, penalty=penalty,
                                                               bias=bias, loss=loss)
    if not isinstance(n_directions, (int, np.integer)) or n_directions < 8:
        raise InvalidInputError(f"n_directions must be an integer >= 8, got {n_directions!r}")

    grid = np.linspace(0.0, 2 * np.pi, int(n_directions), endpoint=False)
    U = np.vstack([np.column_stack([np.cos(grid), np.sin(grid)]), _critical_directions(X, bool(bias), penalty)])
    theta = np.mod(np.arctan2(U[:, 1], U[:, 0]), 2 * np.pi)
    order = np.argsort(theta)
    theta, U = theta[order], U[order]
    ratio = dual_value_on_circle(X, lam, U, bias=bool(bias), penalty=penalty) / beta

    fig, ax = _new_axes(ax, figsize)
    deg = np.degrees(theta)
    ax.plot(deg, ratio, color="C0", lw=1.3, gid="dual-value",
            label=r"$\max_b |\lambda^\top \mathrm{relu}(Xw+b)| / \beta$" if bias else
            r"$|\lambda^\top \mathrm{relu}(Xw)| / \beta$")
    ax.axhline(1.0, color="C3", ls="--", lw=1.2, gid="bound", label="bound 1 (dashed): optimal iff the curve stays below")
    top = int(np.argmax(ratio))
    ax.plot([deg[top]], [ratio[top]], "*", color="C3", ms=13, zorder=5, gid="maximum",
            label=f"maximum {ratio[top]:.4f} at {deg[top]:.1f} deg")
    W = network.W
    live = np.linalg.norm(W, axis=1) > 0
    if live.any():
        U_net = W[live] / np.linalg.norm(W[live], axis=1, keepdims=True)
        net_ratio = dual_value_on_circle(X, lam, U_net, bias=bool(bias), penalty=penalty) / beta
        net_deg = np.degrees(np.mod(np.arctan2(U_net[:, 1], U_net[:, 0]), 2 * np.pi))
        ax.plot(net_deg, net_ratio, "o", mfc="none", mec="k", ms=8, mew=1.4, zorder=4, gid="active-neuron",
                label="the network's neurons")
    ax.set_xlim(0, 360)
    ax.set_xticks(np.arange(0, 361, 45))
    ax.set_xlabel(r"direction $\theta$ of $w = (\cos\theta, \sin\theta)/\|\cdot\|_{%s}$ (degrees)"
                  % penalty.p)
    ax.set_ylabel(r"dual value / $\beta$")
    verdict = _certificate_verdict(float(ratio[top]), lam, penalty, bias)
    ax.set_title(f"Can one more neuron lower the objective? Largest dual value / beta: {ratio[top]:.4f} "
                 f"(optimal iff <= 1)\n{verdict}", fontsize=9, pad=14)
    _subtitle(ax, f"{penalty.name} penalty, bias={bool(bias)}, beta = {beta:g}; "
                  + ("the l1 vertices are among the directions drawn" if penalty.p == 1 else
                     "weight decay: dense directions, a lower bound on the ratio"))
    ax.set_ylim(bottom=0.0, top=max(1.15, 1.08 * float(ratio.max())))
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, frameon=False)
    return fig


# ---------------------------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------------------------


def save_figure(fig, path, *, dpi: int = 150, **savefig_kwargs) -> str:
    """Write ``fig`` to ``path`` atomically (a temporary file in the same folder, then os.replace:
    :func:`ga_relu._files.write_atomically`), so a reader never sees half a file.

    The format follows the suffix (.png, .pdf, .svg, ...); ``savefig_kwargs`` go to
    ``Figure.savefig`` (``bbox_inches="tight"`` unless given). Returns the path written.

    Examples
    --------
    >>> import os, tempfile
    >>> from matplotlib.figure import Figure
    >>> path = save_figure(Figure(figsize=(1, 1)), os.path.join(tempfile.mkdtemp(), "empty.png"))
    >>> open(path, "rb").read(4)
    b'\\x89PNG'
    """
    check_output_folder(path)  # a missing folder is reported before an unknown suffix
    return write_atomically(path, figure_writer(fig, path, dpi=dpi, **savefig_kwargs))
