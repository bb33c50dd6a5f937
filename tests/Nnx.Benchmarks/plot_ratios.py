#!/usr/bin/env python3
"""Draws benchmark ratios as an SVG bar chart (no plotting library needed).

usage: plot_ratios.py REPORT.csv|PAIRED.md OUT.svg [TITLE]
REPORT.csv is a BenchmarkDotNet '*-report.csv' (its Ratio column); PAIRED.md is the markdown table that
`--paired` prints (every column after T, D and Ids is a ratio such as '1.05x'). Each case is one group of bars,
one bar per method, on a log2 axis so that 0.5x and 2x are equally far from the baseline (1x, drawn as a line).
"""
import csv
import math
import sys

PARAMS = ("T", "D", "Ids")
COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"]


def ratio(text):
    text = text.strip().replace(",", "")
    return float(text) if text not in ("", "?", "NA") else None


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    methods = list(dict.fromkeys(r["Method"] for r in rows))
    cases = list(dict.fromkeys(tuple(r.get(p, "") for p in PARAMS) for r in rows))
    values = {(tuple(r.get(p, "") for p in PARAMS), r["Method"]): ratio(r["Ratio"]) for r in rows}
    return methods, cases, values


def read_paired(path):
    with open(path) as f:
        table = [[c.strip() for c in line.strip().strip("|").split("|")] for line in f if line.startswith("|")]
    header, rows = table[0], [r for r in table[2:] if len(r) == len(table[0])]
    methods = header[len(PARAMS):]
    cases = [tuple(r[:len(PARAMS)]) for r in rows]
    values = {(tuple(r[:len(PARAMS)]), m): ratio(v.rstrip("x").replace("-", "")) for r in rows for m, v in zip(methods, r[len(PARAMS):])}
    return methods, cases, values


def main(path, out, title):
    methods, cases, values = read_csv(path) if path.endswith(".csv") else read_paired(path)
    present = [v for v in values.values() if v]
    lo = min(-1.0, math.floor(math.log2(min(present))))
    hi = max(1.0, math.ceil(math.log2(max(present))))

    bar, gap, left, top, height = 10, 14, 60, 40, 260
    width = left + len(cases) * (len(methods) * bar + gap) + 220
    y = lambda v: top + height * (hi - math.log2(v)) / (hi - lo)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height + 90}" font-family="sans-serif" font-size="10">',
           f'<text x="{left}" y="20" font-size="13">{title}</text>']
    for e in range(int(lo), int(hi) + 1):
        svg.append(f'<line x1="{left}" x2="{width - 220}" y1="{y(2 ** e):.1f}" y2="{y(2 ** e):.1f}" stroke="{"#000" if e == 0 else "#ddd"}"/>')
        svg.append(f'<text x="{left - 6}" y="{y(2 ** e) + 3:.1f}" text-anchor="end">{2 ** e:g}x</text>')
    x = left + gap / 2
    for case in cases:
        for i, m in enumerate(methods):
            v = values.get((case, m))
            if v:
                y0, y1 = sorted((y(1), y(v)))
                svg.append(f'<rect x="{x + i * bar:.1f}" y="{y0:.1f}" width="{bar - 1}" height="{max(y1 - y0, 1):.1f}" fill="{COLOURS[i % len(COLOURS)]}"><title>{m} {case}: {v}x</title></rect>')
        label = " ".join(f"{p}={c}" for p, c in zip(PARAMS, case) if c)
        cx = x + len(methods) * bar / 2
        svg.append(f'<text transform="translate({cx:.1f},{top + height + 8}) rotate(60)">{label}</text>')
        x += len(methods) * bar + gap
    for i, m in enumerate(methods):
        svg.append(f'<rect x="{width - 200}" y="{top + i * 16}" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>')
        svg.append(f'<text x="{width - 185}" y="{top + i * 16 + 9}">{m}</text>')
    svg.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "Ratio to baseline")
