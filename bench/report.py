#!/usr/bin/env python3
"""report.py OUT: the tables of a bench/run.sh run, from OUT/results.tsv.

Per load and server: requests per second (the mean of the rounds, each round
listed), p50 (mean of the rounds) and p99 (the worst round) latency, answers
of 400 and above, socket errors, resident memory after the load, the CPU
that other processes on the machine took during the worst round (in % of
one core), and rulebot's requests per second divided by the server's; at
equal load, where every server gets about the same requests per second,
the server's p99 divided by rulebot's instead.
"""

import json
import os
import sys
from collections import defaultdict

# The share of a core other processes may take during a run (lib.sh).
QUIET_MAX = float(os.environ.get("BENCH_QUIET_MAX", "10"))
# The wait between an answer and the next request at equal load (lib.sh).
THINK_MS = float(os.environ.get("BENCH_THINK_MS", "5"))

# Issue 6's figures, measured on the machine it was written on.
ISSUE = {"node": 11000, "node-cluster": 17800, "flask": 4900, "sigonly": 38000}

NAMES = {
    "sigonly": "signature only (ceiling)",
    "rulebot": "rulebot",
    "node": "Node http, 1 process",
    "node-cluster": "Node http, cluster",
    "flask": "Flask + gunicorn",
    "rulebot-1000": "rulebot, 1,000 rules",
}

LOADS = {
    "largest": "the largest fixture: 10 signed variants of all-field-types.json (12.8 KB)",
    "mix": "11 fixtures of 1.8 to 12.8 KB in turn",
    "steady": "the largest fixture's variants at equal load: each connection waits "
              "{think} between an answer and its next request",
    "rules1000": "rulebot with 1,000 rules, the largest fixture's variants",
}


def read(out):
    runs = defaultdict(lambda: defaultdict(list))
    mem = defaultdict(dict)
    with open(f"{out}/results.tsv") as f:
        for line in f:
            kind, load, server, value = line.rstrip("\n").split("\t")
            if kind == "run":
                runs[load][server].append(json.loads(value))
            else:
                mem[(kind, load)][server] = int(value)
    return runs, mem


def summary(rounds):
    rps = [r["requests"] / (r["duration_us"] / 1e6) for r in rounds]
    return {
        "rps": sum(rps) / len(rps),
        "rounds": rps,
        "p50": sum(r["p50_us"] for r in rounds) / len(rounds) / 1000,
        "p99": max(r["p99_us"] for r in rounds) / 1000,
        "non2xx": sum(r["status_errors"] for r in rounds),
        "socket": sum(r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"]
                      for r in rounds),
        # CPU that other processes on the machine took during the worst round,
        # in % of one core.
        "others": max(100 * r.get("others_cpu_s", 0) / (r["duration_us"] / 1e6) for r in rounds),
    }


def table(load, servers, rss, think):
    s = {name: summary(rounds) for name, rounds in servers.items()}
    base = s.get("rulebot") or s.get("rulebot-1000")
    steady = load == "steady"
    lines = [
        f"### Load: {LOADS.get(load, load).format(think=think)}",
        "",
        "| server | req/s | rounds | p50 ms | p99 ms | non-2xx | socket errors | RSS MB "
        f"| others' CPU | {'p99: server ÷ rulebot' if steady else 'rulebot ÷ server'} |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    order = [n for n in NAMES if n in s]
    for name in order:
        x = s[name]
        if base is x:
            ratio = ""
        elif steady:
            ratio = f"{x['p99'] / base['p99']:.2f}"
        else:
            ratio = f"{base['rps'] / x['rps']:.2f}"
        mb = f"{rss[name] / 1024:.1f}" if name in rss else ""
        rounds = " / ".join(f"{v:,.0f}" for v in x["rounds"])
        lines.append(f"| {NAMES[name]} | {x['rps']:,.0f} | {rounds} | {x['p50']:.2f} | "
                     f"{x['p99']:.2f} | {x['non2xx']} | {x['socket']} | {mb} | "
                     f"{x['others']:.0f} % | {ratio} |")
    busy = [n for n in order if s[n]["others"] > QUIET_MAX]
    if busy:
        lines += ["", f"Disturbed: other processes on this machine took more than {QUIET_MAX:g} % of a "
                  f"core during a run of {', '.join(NAMES[n] for n in busy)}; rerun on a quiet "
                  f"machine for figures to rely on."]
    return "\n".join(lines), s


def goals(s, mem, steady, think):
    rb = s["rulebot"]

    def line(ok, text):
        return f"- {'MET ' if ok else 'MISSED'} {text}"

    out = ["### Goals of issue 6 (largest fixture)", ""]
    for name, goal, label in (("node", 1.5, "Node, 1 process"),
                              ("node-cluster", 1.0, "Node cluster (aim 1.5)"),
                              ("flask", 3.0, "Flask")):
        if name in s:
            r = rb["rps"] / s[name]["rps"]
            out.append(line(r >= goal, f"req/s at least {goal}× {label}: {r:.3f}×"))
    if "node" in s:
        out.append(line(rb["p99"] <= s["node"]["p99"],
                        f"p99 no worse than Node's: {rb['p99']:.2f} ms vs {s['node']['p99']:.2f} ms"))
    if steady and "rulebot" in steady and "node" in steady:
        at = steady["rulebot"]
        others = ", ".join(f"{NAMES[n]} {steady[n]['p99']:.2f} ms" for n in ("node", "node-cluster")
                           if n in steady)
        out.append(f"- at equal load ({think} between answer and request, rulebot "
                   f"{at['rps']:,.0f} req/s): p99 {at['p99']:.2f} ms; {others}")
    if "sigonly" in s:
        out.append(f"- rulebot reaches {100 * rb['rps'] / s['sigonly']['rps']:.0f} % of the "
                   f"signature-only ceiling")
    rss = mem.get(("rss", "rules1000"), {}).get("rulebot-1000")
    hwm = mem.get(("hwm", "rules1000"), {}).get("rulebot-1000")
    if rss:
        out.append(line(rss < 60 * 1024, f"RSS with 1,000 rules after a load run under 60 MB: "
                        f"{rss / 1024:.1f} MB (peak {hwm / 1024:.1f} MB)"))
    ref = ", ".join(f"{NAMES[k]} {v:,}" for k, v in ISSUE.items())
    out += ["", f"Issue 6 measured elsewhere: {ref} req/s."]
    return "\n".join(out)


def main():
    out = sys.argv[1]
    runs, mem = read(out)
    with open(f"{out}/machine.tsv") as f:
        machine = [line.rstrip("\n").split("\t", 1) for line in f]
    parts = ["## rulebot load comparison", ""]
    parts += [f"- {k}: {v}" for k, v in machine]
    parts.append("")
    think = f"{THINK_MS:g} ms"
    tables = {}
    for load in ("largest", "mix", "steady", "rules1000"):
        if load in runs:
            text, tables[load] = table(load, runs[load], mem.get(("rss", load), {}), think)
            parts += [text, ""]
    idle = mem.get(("rss", "idle"), {}).get("rulebot-1000")
    if idle:
        parts += [f"rulebot with 1,000 rules, RSS before any webhook: {idle / 1024:.1f} MB", ""]
    if "largest" in tables and "rulebot" in tables["largest"]:
        parts += [goals(tables["largest"], mem, tables.get("steady"), think), ""]
    print("\n".join(parts))


if __name__ == "__main__":
    main()
