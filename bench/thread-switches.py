#!/usr/bin/env python3
"""Context switches per message, by thread: runs a command (the load) and counts the switches each thread of
a process made meanwhile, from /proc/PID/task/*/status, grouped by thread name with digits folded.

    bench/thread-switches.py PID 2000 smtp-source -s 1 -m 2000 -l 1024 -f bench@localhost \\
        -t user1@localhost 127.0.0.1:2525
"""
import collections
import os
import re
import subprocess
import sys


def snapshot(pid):
    threads = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            status = open(f"/proc/{pid}/task/{tid}/status").read()
        except OSError:
            continue  # the thread ended
        voluntary = int(status.split("\nvoluntary_ctxt_switches:")[1].split()[0])
        involuntary = int(status.split("nonvoluntary_ctxt_switches:")[1].split()[0])
        threads[tid] = (re.sub(r"[0-9]+", "#", name), voluntary, involuntary)
    return threads


def main():
    pid, messages, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    before = snapshot(pid)
    subprocess.run(command, check=True)
    after = snapshot(pid)
    counts = collections.Counter()
    for tid, (name, voluntary, involuntary) in after.items():
        v0, i0 = before.get(tid, (name, 0, 0))[1:]
        counts[name + " (voluntary)"] += voluntary - v0
        counts[name + " (involuntary)"] += involuntary - i0
    for key, n in counts.most_common():
        if n:
            print(f"{key:45s} {n / messages:7.2f} per message")
    print(f"{'all threads':45s} {sum(counts.values()) / messages:7.2f} per message")


if __name__ == "__main__":
    main()
