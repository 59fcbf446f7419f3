"""Printing results: plain-text tables for the terminal, Markdown tables for docs/BENCHMARKS.md,
percentiles over raw samples, and saving a run's figures as JSON under bench/results/."""
from __future__ import annotations

import json
import math
import os
import platform
import time
from pathlib import Path

from .server import ROOT

RESULTS = ROOT / "bench" / "results"


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction <= 1); 0.0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def text_table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        lines.append("  ".join(value.ljust(widths[i]) if i == 0 else value.rjust(widths[i])
                               for i, value in enumerate(row)))
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, float):
        if value == 0:
            return "0"
        return f"{value:.2f}" if abs(value) < 10 else f"{value:.0f}" if abs(value) >= 100 \
            else f"{value:.1f}"
    return str(value)


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "load_average": os.getloadavg()}


def machine_note() -> str:
    """'2 CPUs, load average 0.4 0.3 0.2': other work on the machine skews every figure."""
    return (f"{os.cpu_count()} CPUs, load average "
            + " ".join(f"{v:.1f}" for v in os.getloadavg()))


def save_results(kind: str, data: dict, path: Path | None = None) -> Path:
    """Write `data` (plus the machine) as JSON; default bench/results/<kind>-<time>.json."""
    if path is None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"kind": kind, "machine": machine(), **data}, indent=2,
                               default=str))
    return path
