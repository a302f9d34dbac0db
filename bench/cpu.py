#!/usr/bin/env python3
"""cpu.py: how much CPU processes other than the bench's own used during a
run, so that a run disturbed by other work on the machine shows as such.

    cpu.py snapshot > BEFORE
    ... the run ...
    cpu.py others BEFORE PID   # prints CPU seconds used since BEFORE by every
                               # process that is not PID or below it
    cpu.py others BEFORE PID SECONDS   # the same in whole % of one core over SECONDS

Each process counts its own time and that of its children it has reaped,
so a short-lived process of someone else still counts, through its parent.
Kernel threads are left out: they mostly carry the run's own network work.
"""

import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def snapshot():
    """pid -> (start time, CPU ticks with reaped children, parent pid)."""
    procs = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        ppid = int(fields[1])
        if name == "2" or ppid == 2:
            continue
        ticks = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
        procs[int(name)] = (fields[19], ticks, ppid)
    return procs


def below(procs, root):
    """root and every process under it."""
    children = {}
    for pid, (_, _, ppid) in procs.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = set(), [root]
    while todo:
        pid = todo.pop()
        out.add(pid)
        todo.extend(children.get(pid, []))
    return out


def others(before, after, root):
    ours = below(after, root) | below(before, root)
    ticks = 0
    for pid, (start, total, _) in after.items():
        if pid in ours:
            continue
        was = before.get(pid)
        ticks += total - was[1] if was and was[0] == start else total
    return ticks / TICK


def main():
    if sys.argv[1:2] == ["snapshot"]:
        for pid, (start, ticks, ppid) in snapshot().items():
            print(pid, start, ticks, ppid)
        return
    if sys.argv[1:2] == ["others"] and len(sys.argv) in (4, 5):
        before = {}
        with open(sys.argv[2]) as f:
            for line in f:
                pid, start, ticks, ppid = line.split()
                before[int(pid)] = (start, int(ticks), int(ppid))
        used = others(before, snapshot(), int(sys.argv[3]))
        if len(sys.argv) == 5:
            print(round(100 * used / float(sys.argv[4])))
        else:
            print(f"{used:.2f}")
        return
    raise SystemExit("usage: cpu.py snapshot | cpu.py others BEFORE PID [SECONDS]")


if __name__ == "__main__":
    main()
