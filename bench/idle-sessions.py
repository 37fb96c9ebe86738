#!/usr/bin/env python3
"""Memory of many idle sessions while some busy ones send mail (docs/performance.md, "Idle sessions").

Opens --idle SMTP sessions that say EHLO and then wait, reads the server's resident memory (RSS and PSS from
/proc/PID/smaps_rollup), then runs --busy sessions side by side that each send --messages messages (MAIL,
RCPT, DATA of about --size octets) and QUIT, sampling the memory meanwhile, and at the end asks every idle
session for NOOP: each must still answer 250, so none was closed by a timeout or the stress mode.

The connections come from many loopback addresses (127.0.0.2, 127.0.0.3, ...: all of 127/8 reaches the
loopback interface on Linux), at most --per-address from each, so the server's default per-client limit
([limits] max_connections_per_client = 50) stays as it is.

    bench/idle-sessions.py --port 2525 --pids 'java.*tern.jar serve' --pattern
    bench/idle-sessions.py --port 2525 --idle 10000 --busy 1000 --messages 5 --pids "$(pgrep -f 'tern.jar serve')"
"""
import argparse
import asyncio
import resource
import subprocess
import sys
import time


def memory_kib(pids):
    """(RSS, PSS) in KiB summed over the processes."""
    rss = pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except FileNotFoundError:
            pass
    return rss, pss


def source_address(index, per_address):
    """The loopback address of connection number index: 127.0.0.2 for the first per_address, and so on
    (127.0.0.1 is left to whatever else talks to the server, such as a check that it listens)."""
    n = index // per_address + 2
    return f"127.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


async def reply(reader):
    """Reads one reply (all its lines); returns its code, or raises on a closed connection."""
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("connection closed")
        if len(line) < 4 or line[3:4] != b"-":
            return int(line[:3])


async def command(reader, writer, text):
    writer.write(text)
    await writer.drain()
    return await reply(reader)


async def open_session(host, port, source, helo):
    reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0), limit=1 << 16)
    greeting = await reply(reader)
    if greeting != 220:
        writer.close()
        raise ConnectionError(f"greeting {greeting} to {source}")
    code = await command(reader, writer, f"EHLO {helo}\r\n".encode())
    if code != 250:
        raise ConnectionError(f"EHLO answered {code}")
    return reader, writer


async def open_idle(args, count, first_index):
    """Opens count sessions, a few hundred at a time; returns them in order."""
    sessions = [None] * count
    gate = asyncio.Semaphore(200)

    async def one(i):
        async with gate:
            sessions[i] = await open_session(args.host, args.port,
                                             source_address(first_index + i, args.per_address), "idle.bench")

    await asyncio.gather(*(one(i) for i in range(count)))
    return sessions


def message_body(size, number):
    lines = [f"From: bench@localhost", f"To: user@localhost", f"Subject: idle bench {number}",
             f"Message-ID: <idle-{number}-{time.time_ns()}@localhost>", ""]
    text = "\r\n".join(lines) + "\r\n"
    filler = "The quick brown fox jumps over the lazy dog, again and again, for the benchmark.\r\n"
    while len(text) < size:
        text += filler
    return (text + ".\r\n").encode()


async def busy_session(args, index, results):
    """One busy client: --messages messages on one connection, then QUIT (index: its place after the idle ones)."""
    try:
        reader, writer = await open_session(args.host, args.port,
                                            source_address(args.idle + index, args.per_address), "busy.bench")
        for m in range(args.messages):
            user = (index * args.messages + m) % args.users + 1
            if await command(reader, writer, b"MAIL FROM:<bench@localhost>\r\n") != 250:
                raise ConnectionError("MAIL refused")
            if await command(reader, writer, f"RCPT TO:<user{user}@localhost>\r\n".encode()) != 250:
                raise ConnectionError("RCPT refused")
            if await command(reader, writer, b"DATA\r\n") != 354:
                raise ConnectionError("DATA refused")
            if await command(reader, writer, message_body(args.size, m)) != 250:
                raise ConnectionError("message refused")
            results["sent"] += 1
        await command(reader, writer, b"QUIT\r\n")
        writer.close()
    except (OSError, ConnectionError, asyncio.IncompleteReadError) as e:
        results["failed"] += 1
        results.setdefault("first_error", repr(e))


async def sample_peak(pids, peak, stop):
    while not stop.is_set():
        rss, pss = memory_kib(pids())
        peak["rss"] = max(peak["rss"], rss)
        peak["pss"] = max(peak["pss"], pss)
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


async def noop_all(sessions):
    """NOOP on every session, a few hundred at a time; returns how many answered 250."""
    gate = asyncio.Semaphore(500)

    async def one(session):
        async with gate:
            try:
                return await asyncio.wait_for(command(*session, b"NOOP\r\n"), 30) == 250
            except (OSError, ConnectionError, asyncio.TimeoutError):
                return False

    return sum(await asyncio.gather(*(one(s) for s in sessions)))


def mib(kib):
    return f"{kib / 1024:.1f}"


async def main_async(args, pids):
    if args.warmup:
        # Like a server that has run for a while: its code compiled, its heap sized by real work.
        results = {"sent": 0, "failed": 0}
        await asyncio.gather(*(busy_session(args, args.busy + i, results) for i in range(args.warmup)))
        print(f"warm-up: {results['sent']} messages from {args.warmup} sessions, {results['failed']} failed",
              flush=True)
        await asyncio.sleep(args.settle)
    rss0, pss0 = memory_kib(pids())
    print(f"start: rss_mib={mib(rss0)} pss_mib={mib(pss0)}", flush=True)
    t0 = time.monotonic()
    idle = await open_idle(args, args.idle, 0)
    print(f"opened {len(idle)} idle sessions in {time.monotonic() - t0:.1f} s", flush=True)
    await asyncio.sleep(args.settle)
    rss1, pss1 = memory_kib(pids())
    per = (rss1 - rss0) / max(1, args.idle)
    print(f"idle: sessions={args.idle} rss_mib={mib(rss1)} pss_mib={mib(pss1)} "
          f"rss_per_session_kib={per:.1f}", flush=True)

    results = {"sent": 0, "failed": 0}
    peak = {"rss": rss1, "pss": pss1}
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_peak(pids, peak, stop))
    t1 = time.monotonic()
    await asyncio.gather(*(busy_session(args, i, results) for i in range(args.busy)))
    elapsed = time.monotonic() - t1
    stop.set()
    await sampler
    rss2, pss2 = memory_kib(pids())
    print(f"busy: sessions={args.busy} messages_sent={results['sent']} failed_sessions={results['failed']} "
          f"seconds={elapsed:.1f} msg_per_s={results['sent'] / elapsed:.1f} "
          f"peak_rss_mib={mib(peak['rss'])} peak_pss_mib={mib(peak['pss'])} "
          f"after_rss_mib={mib(rss2)} after_pss_mib={mib(pss2)}", flush=True)
    if "first_error" in results:
        print(f"first busy error: {results['first_error']}", flush=True)

    answered = await noop_all(idle)
    print(f"noop: {answered} of {len(idle)} idle sessions answered 250", flush=True)
    for reader, writer in idle:
        writer.close()
    return answered == len(idle) and results["failed"] == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--idle", type=int, default=10000, help="idle sessions (EHLO, then nothing)")
    parser.add_argument("--busy", type=int, default=1000, help="sessions sending mail meanwhile")
    parser.add_argument("--messages", type=int, default=3, help="messages per busy session")
    parser.add_argument("--size", type=int, default=1024, help="octets per message, about")
    parser.add_argument("--users", type=int, default=10, help="recipients user1..userN@localhost")
    parser.add_argument("--per-address", type=int, default=50, help="sessions per loopback source address")
    parser.add_argument("--warmup", type=int, default=0,
                        help="busy sessions (of --messages each) run before anything is measured")
    parser.add_argument("--settle", type=float, default=5, help="seconds to wait before reading the idle memory")
    parser.add_argument("--pids", required=True, help="space-separated pids, or a pgrep -f pattern with --pattern")
    parser.add_argument("--pattern", action="store_true", help="--pids is a pgrep -f pattern")
    args = parser.parse_args()

    # One descriptor per session here too: raise the soft limit to the hard one (ulimit -n).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = args.idle + args.busy + 100
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard) if hard != resource.RLIM_INFINITY else need, hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        raise SystemExit(f"need {need} open files, the limit is {soft} (ulimit -Hn)")

    def pids():
        if args.pattern:
            out = subprocess.run(["pgrep", "-f", args.pids], capture_output=True, text=True).stdout
            return [int(p) for p in out.split()]
        return [int(p) for p in args.pids.split()]

    if not pids():
        raise SystemExit(f"no process matches {args.pids!r}")
    ok = asyncio.run(main_async(args, pids))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
