"""tools/bench/chart.py: draws `make bench`'s ratios (Linux's figure over
Anode's, per row; above 1 means Anode takes fewer instructions) as an SVG
with matplotlib (Debian's python3-matplotlib, installed by bench-deps.sh)."""
import matplotlib

matplotlib.use("Agg")  # no display: files only
import matplotlib.pyplot as plt  # noqa: E402 (after the backend is chosen)

BAR_HEIGHT_IN = 0.32
MIN_HEIGHT_IN = 3.0
WIDTH_IN = 9.0
EVEN = 1.0  # the ratio at which both systems are equal


def draw(rows, path, title):
    """rows: (name, ratio) pairs, top to bottom."""
    names = [n for n, _ in rows][::-1]
    ratios = [r for _, r in rows][::-1]
    fig, ax = plt.subplots(figsize=(WIDTH_IN, max(MIN_HEIGHT_IN, BAR_HEIGHT_IN * len(rows) + 1.5)))
    colours = ["tab:green" if r >= EVEN else "tab:red" for r in ratios]
    # Bars grow from 1 (even), right where Anode is faster, left where slower.
    ax.barh(names, [r - EVEN for r in ratios], left=EVEN, color=colours)
    ax.axvline(EVEN, color="black", linewidth=1)
    ax.set_xscale("log")
    ax.set_xlabel("Linux / Anode (guest instructions; > 1: Anode faster)")
    ax.set_title(title)
    for y, r in enumerate(ratios):
        ax.annotate(f"{r:.2f}x", (r, y), xytext=(3, -3), textcoords="offset points", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, format="svg")
    plt.close(fig)
