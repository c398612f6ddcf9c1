#!/usr/bin/env python3
"""The table of "make bench", from the "tdx_pa_bench:" lines of the log.

    bench.py TEST-LOG TABLE-FILE

Exit status 1, with the reason, when a run failed (a "failed" line for a
layout the table reports) or a layout has fewer pairs than MIN_PAIRS.
"""
import statistics
import sys
import time

GOAL = 1.05            # median ratio of the single layout at N >= 512
AA_WITHIN = 0.02       # |A/A median - 1| for the run to count
MIN_PAIRS = 31
LAYOUTS = {            # layout: goal or None (reported only)
    "single": GOAL,
    "meta+root": None,
    "contig": None,
    "hpa_array_t": None,
}
PHASES = ["metadata", "root page", "allocation", "populate", "cache-op stub",
          "SEAMCALL stub", "owner"]


def quartiles(xs):
    q1, q2, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return q1, q2, q3


def parse(path):
    pairs, phases, fails = {}, {}, []
    stubs, clflush, metadata = [], [], None
    for line in open(path, errors="replace"):
        i = line.find("tdx_pa_bench: ")
        if i < 0:
            continue
        w = line[i + len("tdx_pa_bench: "):].split()
        kind, f = w[0], w[1:]
        if kind == "pair":
            pairs.setdefault((f[0], int(f[1])), []).append(tuple(map(int, f[3:6])))
        elif kind == "failed" and f[0] in LAYOUTS:
            fails.append(" ".join(f))
        elif kind == "phases":
            phases.setdefault(int(f[1]), []).append(list(map(int, f[2:])))
        elif kind == "stubs":
            stubs.append(tuple(map(int, f)))
        elif kind == "clflush":
            clflush.append(int(f[1]) / int(f[0]))
        elif kind == "metadata":
            metadata = tuple(map(int, f))
    return pairs, phases, fails, stubs, clflush, metadata


def verdict(goal, ratios, aas):
    """MET or MISSED only when the run counts: the A/A median within
    AA_WITHIN of 1 and the A/A IQR narrower than |goal - median ratio|."""
    q1, med, q3 = quartiles(ratios)
    a1, amed, a3 = quartiles(aas)
    if abs(amed - 1) > AA_WITHIN:
        return "no verdict: A/A median %.3f off 1 by more than %.2f" % (amed, AA_WITHIN)
    if goal is None:
        return "reported (no goal)"
    if a3 - a1 >= abs(goal - med):
        return "no verdict: A/A IQR %.3f not narrower than |%.2f - %.3f|" % (a3 - a1, goal, med)
    return "MET (<= %.2f)" % goal if med <= goal else "MISSED (> %.2f)" % goal


def main(log, out):
    pairs, phases, fails, stubs, clflush, metadata = parse(log)
    errors = ["failed run: " + f for f in fails]
    for layout in LAYOUTS:
        sizes = [n for (l, n) in pairs if l == layout]
        if not sizes:
            errors.append("no pairs for the %s layout" % layout)
        for n in sizes:
            if len(pairs[(layout, n)]) < MIN_PAIRS:
                errors.append("%s N=%d: %d pairs, fewer than %d"
                              % (layout, n, len(pairs[(layout, n)]), MIN_PAIRS))
    if errors:
        for e in errors:
            print("bench: " + e, file=sys.stderr)
        return 1

    t = []
    t.append("# tdx_page_array benchmark, %s, QEMU TCG -smp 2 -m 2048"
             % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    t.append("# TCG times say nothing about hardware: only the ratios within this run are read.")
    t.append("# Pair: baseline (alloc_pages_bulk + __free_page of N), helper, baseline again;")
    t.append("# ratio = helper / first baseline, A/A = second baseline / first (the noise floor).")
    t.append("# A run counts when the A/A median is within %.2f of 1 and the A/A IQR is"
             % AA_WITHIN)
    t.append("# narrower than |%.2f - median ratio|.  Helper: create + populate + give()"
             % GOAL)
    t.append("# (the stub module frees the pages) + tdx_page_array_free(); hpa_array_t: create +")
    t.append("# hand over + reclaim (one WBINVD stub call per page) + free; meta+root: the")
    t.append("# baseline with only the helper's metadata and root page allocated around it.")
    t.append("")
    t.append("%-12s %6s %5s %9s %9s %7s %15s %7s %7s  %s" % (
        "layout", "N", "pairs", "base", "helper", "ratio", "ratio IQR",
        "A/A", "A/A IQR", "verdict"))
    t.append("%-12s %6s %5s %9s %9s %7s %15s %7s %7s" % (
        "", "", "", "ns/page", "ns/page", "median", "", "median", ""))
    for layout, goal in LAYOUTS.items():
        for n in sorted(x for (l, x) in pairs if l == layout):
            p = pairs[(layout, n)]
            ratios = [h / b for b, h, _ in p]
            aas = [a / b for b, _, a in p]
            q1, med, q3 = quartiles(ratios)
            a1, amed, a3 = quartiles(aas)
            t.append("%-12s %6d %5d %9.1f %9.1f %7.3f %7.3f..%-6.3f %7.3f %7.3f  %s" % (
                layout, n, len(p), statistics.median(b for b, _, _ in p) / n,
                statistics.median(h for _, h, _ in p) / n, med, q1, q3,
                amed, a3 - a1, verdict(goal, ratios, aas)))

    if phases:
        sizes = sorted(phases)
        cols = {n: [statistics.median(r[i] for r in phases[n]) / n
                    for i in range(len(PHASES) + 1)] for n in sizes}
        row = lambda name, f: t.append("%-26s" % name + "".join("%9.1f" % f(n) for n in sizes))
        own = [i for i, p in enumerate(PHASES) if p not in ("allocation", "SEAMCALL stub")]
        t.append("")
        t.append("single layout, give() in its steps (ns/page, median of %d runs each):"
                 % min(len(v) for v in phases.values()))
        t.append("%-26s" % "N" + "".join("%9d" % n for n in sizes))
        for i in own:
            row(PHASES[i], lambda n: cols[n][i])
        row("= the helper's own", lambda n: sum(cols[n][i] for i in own))
        row("allocation", lambda n: cols[n][PHASES.index("allocation")])
        row("SEAMCALL stub, module frees", lambda n: cols[n][PHASES.index("SEAMCALL stub")])
        row("all steps, timed together", lambda n: cols[n][-1])
        single = {n: pairs[("single", n)] for n in sizes if ("single", n) in pairs}
        row("pairs: helper - baseline", lambda n: (
            statistics.median(h for _, h, _ in single[n]) -
            statistics.median(b for b, _, _ in single[n])) / n if n in single else float("nan"))
    if stubs:
        t.append("")
        t.append("stub cost per call (median of %d x 1000 calls): SEAMCALL %d ns, cache op %d ns"
                 % (len(stubs), statistics.median(s[0] for s in stubs),
                    statistics.median(s[1] for s in stubs)))
        t.append("(the cache-op stub is called once per window of up to 512 pages, not per page)")
    if clflush:
        t.append("CLFLUSH of 4 KiB pages, timed apart (not in the ratio): %.1f ns/page"
                 % statistics.median(clflush))
    if metadata:
        h, e, r = metadata
        t.append("metadata: %d-byte header + %d bytes/page + one %d-byte root page per array"
                 " (v3: 32 + 8/page + one root page)" % (h, e, r))

    text = "\n".join(t) + "\n"
    sys.stdout.write(text)
    with open(out, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
