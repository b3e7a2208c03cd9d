"""Charts go to files only: evaluations, benchmarks and load tests run on servers and in CI,
with no display."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


def save(fig: Figure, path: Path, dpi: int = 110) -> None:
    """Writes the chart and frees it (figures left open pile up over a long run)."""
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)


__all__ = ["plt", "save"]
