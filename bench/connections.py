#!/usr/bin/env python3
"""Memory per connection: opens N SMTP connections, says EHLO on each, and prints the resident memory of the
server's processes before and after, as measured by /proc (PSS sums shared pages fairly between processes).

    bench/connections.py --port 2525 --count 500 --pids "$(pgrep -f 'tern.jar serve')"
    bench/connections.py --port 2526 --count 100 --pids "$(pgrep -d' ' -f 'postfix|smtpd|master')"
"""
import argparse
import socket
import subprocess
import time


def pss_kib(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--pids", required=True, help="space-separated pids, or a pgrep -f pattern with --pattern")
    parser.add_argument("--pattern", action="store_true", help="--pids is a pgrep -f pattern, re-read after connecting")
    args = parser.parse_args()

    def pids():
        if args.pattern:
            out = subprocess.run(["pgrep", "-f", args.pids], capture_output=True, text=True).stdout
            return [int(p) for p in out.split()]
        return [int(p) for p in args.pids.split()]

    before = pss_kib(pids())
    conns = []
    for _ in range(args.count):
        s = socket.create_connection(("127.0.0.1", args.port))
        greeting = s.recv(512)
        if not greeting.startswith(b"220"):
            raise SystemExit(f"refused after {len(conns)} connections: {greeting!r}")
        s.sendall(b"EHLO memory.bench\r\n")
        conns.append(s)
    for s in conns:
        if not s.recv(4096).startswith(b"250"):
            raise SystemExit("EHLO refused")
    time.sleep(2)
    after = pss_kib(pids())
    print(f"connections={args.count} pss_before_kib={before} pss_after_kib={after} "
          f"per_connection_kib={(after - before) / args.count:.1f}")
    for s in conns:
        s.close()


if __name__ == "__main__":
    main()
