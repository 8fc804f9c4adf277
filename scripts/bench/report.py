#!/usr/bin/env python3
"""Turns one run of scripts/bench.sh into a table and a plot (standard library only).

Usage: report.py OUT_DIR    reads OUT_DIR/case-*.s*.json (hyperfine, one per series) and
                            case-*.rss, prints the Markdown table, writes OUT_DIR/cli.svg

A case's series are merged: wall time is the median of all its runs; CPU time is user +
system, the mean over all runs (hyperfine keeps no per-run CPU times, only each series'
mean). Every ratio compares two commands timed in the same series.
"""
import glob
import json
import os
import statistics
import sys
from xml.sax.saxutils import escape

TOOLS = ["keylint", "dotenv-linter", "floor"]
COLORS = {"keylint": "#2b6cb0", "dotenv-linter": "#c05621", "floor": "#a0aec0"}


def load(out):
    cases = []
    for path in sorted(glob.glob(os.path.join(out, "case-*.rss"))):
        rss = json.load(open(path))
        series = sorted(glob.glob(path[: -len(".rss")] + ".s*.json"))
        results = merged(json.load(open(each))["results"] for each in series)
        cases.append({"label": rss["label"], "files": rss["files"], "rss": rss, "results": results})
    return cases


def merged(series):
    """Each command's runs over all series: every wall time, and CPU means weighted by runs."""
    by_command = {}
    for results in series:
        for result in results:
            by_command.setdefault(result["command"], []).append(result)
    merged = {}
    for command, results in by_command.items():
        times = [time for result in results for time in result["times"]]
        mean = lambda field: sum(r[field] * len(r["times"]) for r in results) / len(times)
        merged[command] = {"times": times, "user": mean("user"), "system": mean("system")}
    return merged


def wall(result):
    return statistics.median(result["times"]) * 1000


def cpu(result):
    return (result["user"] + result["system"]) * 1000


def ms(value):
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.1f} ms"


def table(cases):
    lines = [
        "| corpus | files | keylint wall | dotenv-linter wall | floor wall | **wall ratio** | keylint CPU | dotenv-linter CPU | **CPU ratio** | keylint peak RSS | dotenv-linter peak RSS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for case in cases:
        k, d, f = (case["results"][tool] for tool in TOOLS)
        lines.append(
            f"| {case['label']} | {case['files']:,} | {ms(wall(k))} | {ms(wall(d))} | {ms(wall(f))} "
            f"| **{wall(k) / wall(d):.2f}** | {ms(cpu(k))} | {ms(cpu(d))} | **{cpu(k) / cpu(d):.2f}** "
            f"| {case['rss']['keylint']} MB | {case['rss']['dotenv-linter']} MB |"
        )
        for name, other in case["results"].items():
            if name not in TOOLS:
                notes.append(
                    f"- {case['label']}: `{name}` {ms(wall(other))} wall, {ms(cpu(other))} CPU in the same series; "
                    f"keylint / `{name}`: **{wall(k) / wall(other):.2f}** wall, {cpu(k) / cpu(other):.2f} CPU."
                )
    return "\n".join(lines + ([""] + notes if notes else [])) + "\n"


def svg(cases):
    """Two panels (wall, CPU), one group of bars per corpus, each bar relative to
    dotenv-linter in the same run and labelled with its absolute time."""
    label_width, panel_width, bar, gap = 250, 330, 13, 14
    group = bar * len(TOOLS) + gap
    top = 58
    height = top + group * len(cases) + 40
    width = label_width + 2 * panel_width + 30
    scale_max = max(
        max(wall(c["results"][t]) / wall(c["results"]["dotenv-linter"]), cpu(c["results"][t]) / cpu(c["results"]["dotenv-linter"]))
        for c in cases for t in TOOLS
    )
    scale_max = max(1.5, scale_max * 1.05)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        '<text x="10" y="18" font-size="14" font-weight="bold">keylint lint against dotenv-linter and a do-nothing floor, same runs (dotenv-linter = 1×)</text>',
    ]
    x = 10
    for index, tool in enumerate(TOOLS):
        parts.append(f'<rect x="{x}" y="28" width="10" height="10" fill="{COLORS[tool]}"/>')
        name = "floor (walk + read every file)" if tool == "floor" else tool
        parts.append(f'<text x="{x + 14}" y="37">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    panels = [("wall time (median)", wall, 0.5), ("CPU time, user + system (mean)", cpu, 1.0)]
    for panel, (title, measure, target) in enumerate(panels):
        left = label_width + panel * (panel_width + 15)
        span = panel_width - 60
        parts.append(f'<text x="{left}" y="{top - 6}" font-weight="bold">{escape(title)}</text>')
        for tick in [0, 0.5, 1, 1.5, 2, 3, 4, 5, 6, 8]:
            if tick > scale_max:
                break
            tx = left + span * tick / scale_max
            parts.append(f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{height - 30}" stroke="#e2e8f0"/>')
            parts.append(f'<text x="{tx:.1f}" y="{height - 16}" text-anchor="middle">{tick:g}×</text>')
        tx = left + span * target / scale_max
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{height - 30}" stroke="#38a169" stroke-dasharray="4 3"/>'
        )
        parts.append(f'<text x="{tx + 3:.1f}" y="{height - 4}" fill="#38a169">target {target:g}×</text>')
        for row, case in enumerate(cases):
            y = top + row * group
            reference = measure(case["results"]["dotenv-linter"])
            if panel == 0:
                parts.append(f'<text x="10" y="{y + bar * 1.5 + 4}">{escape(case["label"])}</text>')
            for index, tool in enumerate(TOOLS):
                value = measure(case["results"][tool])
                length = span * value / reference / scale_max
                by = y + index * bar
                parts.append(
                    f'<rect x="{left}" y="{by}" width="{length:.1f}" height="{bar - 2}" fill="{COLORS[tool]}"/>'
                )
                parts.append(f'<text x="{left + length + 3:.1f}" y="{by + bar - 3}" font-size="9">{ms(value)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    out = sys.argv[1]
    cases = load(out)
    sys.stdout.write(table(cases))
    with open(os.path.join(out, "cli.svg"), "w") as handle:
        handle.write(svg(cases))


if __name__ == "__main__":
    main()
