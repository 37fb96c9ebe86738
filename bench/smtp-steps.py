#!/usr/bin/env python3
"""Where one SMTP dialogue's time goes: the latency of each step, median and 90th percentile.

Sends N messages one after another, each over a new connection (as `smtp-source -s 1` does), and times each
step from the client's side: connect and greeting, EHLO, NOOP (a round trip with nothing to do), MAIL, RCPT,
DATA, the message up to its 250 (which waits for the server's fsync), QUIT and the close. The first fifth of
the messages is left out of the figures (warm-up). docs/performance.md, "One sequential session".

    bench/smtp-steps.py 2525 3000          Tern's embedded default
    bench/smtp-steps.py 2526 3000          the Postfix of bench/postfix-setup.sh
"""
import socket
import statistics
import sys
import time

BODY = (b"From: <bench@localhost>\r\nTo: <user1@localhost>\r\nSubject: steps\r\n\r\n"
        + (b"x" * 78 + b"\r\n") * 12 + b".\r\n")
COMMANDS = [("EHLO", b"EHLO client.example\r\n"), ("NOOP", b"NOOP\r\n"),
            ("MAIL", b"MAIL FROM:<bench@localhost>\r\n"), ("RCPT", b"RCPT TO:<user1@localhost>\r\n"),
            ("DATA", b"DATA\r\n"), ("message", BODY), ("QUIT", b"QUIT\r\n")]


def reply(sock):
    """Reads one whole reply, multiline ones included."""
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
        lines = data.split(b"\r\n")
        if len(lines) >= 2 and len(lines[-2]) >= 4 and lines[-2][3:4] == b" ":
            return data


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    steps = {name: [] for name in ["connect+220"] + [c[0] for c in COMMANDS] + ["close"]}
    for _ in range(count):
        start = time.perf_counter()
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reply(sock)
        steps["connect+220"].append(time.perf_counter() - start)
        for name, command in COMMANDS:
            start = time.perf_counter()
            sock.sendall(command)
            reply(sock)
            steps[name].append(time.perf_counter() - start)
        start = time.perf_counter()
        sock.close()
        steps["close"].append(time.perf_counter() - start)
    total = 0.0
    for name, times in steps.items():
        kept = sorted(times[count // 5:])
        median = statistics.median(kept)
        total += median
        print(f"{name:12s} median {median * 1e6:6.0f} us   p90 {kept[int(len(kept) * 0.9)] * 1e6:6.0f} us")
    print(f"{'sum':12s} median {total * 1e6:6.0f} us")


if __name__ == "__main__":
    main()
