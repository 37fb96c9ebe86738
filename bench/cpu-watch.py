#!/usr/bin/env python3
"""CPU time of the processes of one timed run, read from /proc (docs/performance.md, "CPU per message").

    bench/cpu-watch.py OUT ROLE=PID ROLE=PID+ ROLE=PID/threads ...
    bench/cpu-watch.py --table RUN.cpu ...     the Markdown table of CPU-ms per accepted message of some runs

Runs until SIGTERM or SIGINT, then writes OUT: one line per role and name, tab-separated,
"role<TAB>name<TAB>cpu_ms", the CPU (user + system) each used between the start and the end of the watch.

  ROLE=PID          one process: all its threads, those still running and those that ended (the kernel keeps
                    the ended threads' time in the process's own counters), read at the start and at the end.
  ROLE=PID/threads  the same, and the process's threads by name as well (trailing digits dropped, so "GC Thread#0"
                    and "GC Thread#1" are one "GC Thread#"), read every interval; the line "(ended threads)" is what
                    threads that ended between two readings used since the last one.
  ROLE=PID+         a process and its children (Postfix's master and its daemons), each by its name. A child
                    that exits is reaped by its parent, whose counters of reaped children then hold its time:
                    the role's total is exact. The names come from readings every interval, so a child's last
                    moments (or a child that lived less than an interval) show as "(unattributed)".

A process is charged user + system + reaped children (fields 14 to 17 of /proc/PID/stat), in clock ticks.
The watcher's own CPU is the line "watcher<TAB>cpu-watch.py".
"""
import os
import signal
import sys
import time

TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")
INTERVAL = float(os.environ.get("CPU_WATCH_INTERVAL", "0.2"))


def stat(path):
    """(name, own ticks, reaped children's ticks, parent pid) from a stat file, or None once it is gone."""
    try:
        with open(path, "rb") as f:
            data = f.read().decode("ascii", "replace")
    except (FileNotFoundError, ProcessLookupError):
        return None
    # The name is in parentheses and may hold spaces or ")": the fields after it start at the last ")".
    name = data[data.index("(") + 1:data.rindex(")")]
    fields = data[data.rindex(")") + 2:].split()
    # fields[0] is field 3 (state): utime is field 14, i.e. fields[11]; stime, cutime, cstime follow.
    own = int(fields[11]) + int(fields[12])
    reaped = int(fields[13]) + int(fields[14])
    return name, own, reaped, int(fields[1])


def children(pid):
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(c) for c in f.read().split())
    except (FileNotFoundError, ProcessLookupError):
        pass
    return kids


def group_name(name):
    return name.rstrip("0123456789").strip() or name


class Single:
    """One process, and optionally its threads by name."""

    def __init__(self, role, pid, threads):
        self.role, self.pid, self.threads = role, pid, threads
        s = stat(f"/proc/{pid}/stat")
        if s is None:
            sys.exit(f"cpu-watch: no process {pid} for {role}")
        self.name, self.start = s[0], s[1] + s[2]
        self.end = self.start
        self.first = {}  # tid -> (name, ticks at the first reading, 0 for one born during the watch)
        self.last = {}  # tid -> ticks at the last reading
        self.started = False
        self.sample()
        self.started = True

    def sample(self):
        s = stat(f"/proc/{self.pid}/stat")
        if s is not None:
            self.end = s[1] + s[2]
        if not self.threads:
            return
        try:
            tids = os.listdir(f"/proc/{self.pid}/task")
        except FileNotFoundError:
            return
        for tid in tids:
            t = stat(f"/proc/{self.pid}/task/{tid}/stat")
            if t is None:
                continue
            if tid not in self.first:
                self.first[tid] = (t[0], t[1] if not self.started else 0)
            self.last[tid] = t[1]

    def lines(self):
        total = self.end - self.start
        out = [(self.role, self.name, total)]
        if self.threads:
            by_name = {}
            for tid, (name, first) in self.first.items():
                by_name[group_name(name)] = by_name.get(group_name(name), 0) + self.last[tid] - first
            for name, ticks in sorted(by_name.items(), key=lambda kv: -kv[1]):
                if ticks > 0:
                    out.append((self.role, "thread " + name, ticks))
            out.append((self.role, "(ended threads)", total - sum(by_name.values())))
        return out


class Tree:
    """A process and its children, by name (a grandchild is in its parent's reaped time once it ends)."""

    def __init__(self, role, pid):
        self.role, self.root = role, pid
        self.first = {}  # pid -> ticks at the first reading (0 for one born during the watch)
        self.last = {}  # pid -> (name, ticks at the last reading)
        self.root_start = stat(f"/proc/{pid}/stat")
        if self.root_start is None:
            sys.exit(f"cpu-watch: no process {pid} for {role}")
        self.root_end = self.root_start
        self.started = False
        self.sample()
        self.started = True

    def walk(self, pid):
        yield pid
        yield from children(pid)

    def sample(self):
        r = stat(f"/proc/{self.root}/stat")
        if r is not None:
            self.root_end = r
        for pid in self.walk(self.root):
            if pid == self.root:
                continue
            s = stat(f"/proc/{pid}/stat")
            if s is None:
                continue
            if pid not in self.first:
                self.first[pid] = s[1] + s[2] if not self.started else 0
            self.last[pid] = (s[0], s[1] + s[2])

    def lines(self):
        own = self.root_end[1] - self.root_start[1]
        reaped = self.root_end[2] - self.root_start[2]
        alive = set()
        for pid in self.walk(self.root):
            alive.add(pid)
        # Exact: the root's own time, what it reaped (less the part before the start of those alive then), and
        # the time of the descendants still running.
        total = own + reaped
        by_name = {self.root_start[0]: own}
        for pid, (name, ticks) in self.last.items():
            if pid in alive:
                total += ticks - self.first[pid]
            elif self.first[pid] > 0:
                total -= self.first[pid]
            by_name[name] = by_name.get(name, 0) + ticks - self.first[pid]
        out = [(self.role, "(total)", total)]
        for name, ticks in sorted(by_name.items(), key=lambda kv: -kv[1]):
            out.append((self.role, name, ticks))
        out.append((self.role, "(unattributed)", total - sum(by_name.values())))
        return out


def table(paths):
    """A Markdown table of CPU-ms per accepted message from the .cpu files of one server's runs."""
    runs = []
    for path in paths:
        ms, accepted = {}, 0
        with open(path) as f:
            for line in f:
                role, name, value = line.rstrip("\n").split("\t")
                if role == "accepted":
                    accepted = int(value or 0)
                else:
                    ms[(role, name)] = float(value)
        runs.append({k: v / accepted for k, v in ms.items()} if accepted else {})
    keys = []
    for r in runs:
        keys.extend(k for k in r if k not in keys)

    def median(values):
        values = sorted(values)
        return values[(len(values) - 1) // 2] if values else 0.0

    def row(label, values):
        cells = " | ".join(f"{v:.2f}" for v in values)
        print(f"| {label} | {cells} | **{median(values):.2f}** |")

    print("| process (CPU-ms per accepted message) | " + " | ".join(f"run {i + 1}" for i in range(len(runs)))
          + " | median |")
    print("|---|" + "---:|" * (len(runs) + 1))
    path_total = [0.0] * len(runs)
    for role in dict.fromkeys(k[0] for k in keys):
        small = [0.0] * len(runs)  # the details under 0.05 ms, on one line
        for key in (k for k in keys if k[0] == role):
            name = key[1]
            values = [r.get(key, 0.0) for r in runs]
            detail = name.startswith("thread ") or name == "(ended threads)" or (role == "postfix" and name != "(total)")
            if detail and median(values) < 0.05:
                small = [t + v for t, v in zip(small, values)]
                continue
            if not detail and role != "watcher":
                path_total = [t + v for t, v in zip(path_total, values)]
            row(f"&nbsp;&nbsp;{role}: {name}" if detail else "postfix (all)" if role == "postfix" else f"{role} ({name})",
                values)
        if any(v >= 0.005 for v in small):
            row(f"&nbsp;&nbsp;{role}: the rest, each under 0.05", small)
    row("**sum of the path** (all but the watcher)", path_total)
    ceilings = [2000 / t if t else 0 for t in path_total]
    print(f"| ceiling on 2 cores, 2000 ms / sum (msg/s) | " + " | ".join(f"{c:.0f}" for c in ceilings)
          + f" | **{median(ceilings):.0f}** |")


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--table":
        table(sys.argv[2:])
        return
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_path = sys.argv[1]
    watched = []
    for arg in sys.argv[2:]:
        role, spec = arg.split("=", 1)
        if spec.endswith("+"):
            watched.append(Tree(role, int(spec[:-1])))
        elif spec.endswith("/threads"):
            watched.append(Single(role, int(spec[:-len("/threads")]), True))
        else:
            watched.append(Single(role, int(spec), False))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    me = os.times()
    parent = os.getppid()
    while not stop and os.getppid() == parent:  # a script that dies without stopping it ends the watch too
        time.sleep(INTERVAL)
        for w in watched:
            w.sample()
    for w in watched:
        w.sample()
    now = os.times()
    with open(out_path, "w") as f:
        for w in watched:
            for role, name, ticks in w.lines():
                f.write(f"{role}\t{name}\t{ticks * TICK_MS:.0f}\n")
        f.write(f"watcher\tcpu-watch.py\t{(now.user + now.system - me.user - me.system) * 1000:.0f}\n")


if __name__ == "__main__":
    main()
