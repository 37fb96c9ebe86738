#!/usr/bin/python3
"""Checks that delivered mail was DKIM-signed, for bench/run-signing.sh (docs/performance.md).

    bench/dkim-check.py RECORDS MAILDIR [VERIFY]

RECORDS holds the key records as DNS would publish them, one a line: "NAME<TAB>TXT value", e.g.
"rsa2048._domainkey.bench.test<TAB>v=DKIM1; k=rsa; p=MIIB...". MAILDIR is searched for files in new/ directories.

Every message must carry a DKIM-Signature field with a=rsa-sha256 and one with a=ed25519-sha256 whose d= and s=
name a record of RECORDS (RFC 6376 §3.5, RFC 8463 §3). Of the first VERIFY messages (default 3, by file name) each
such signature is verified with python3-dkim (dkimpy; Ed25519 through python3-nacl), the public keys taken from
RECORDS instead of DNS. Prints one line; exits 1 when no message is there, one lacks a signature or one fails.
"""
import os
import re
import sys

import dkim

ALGORITHMS = (b"rsa-sha256", b"ed25519-sha256")


def read_records(path):
    records = {}
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\r\n")
            if line:
                name, value = line.split(b"\t", 1)
                records[name.rstrip(b".").lower()] = value
    return records


def header_fields(message):
    """The (name, value) of each header field, folded lines joined (RFC 5322 §2.2.3)."""
    end = re.search(rb"\r?\n\r?\n", message)
    block = message[:end.start()] if end else message
    fields = []
    for line in re.split(rb"\r?\n", block):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1][1] += b" " + line.strip()
        elif b":" in line:
            name, value = line.split(b":", 1)
            fields.append([name.strip().lower(), value.strip()])
    return fields


def tags(value):
    """A DKIM-Signature's tags (RFC 6376 §3.2), white space removed."""
    out = {}
    for part in value.split(b";"):
        if b"=" in part:
            k, v = part.split(b"=", 1)
            out[k.strip()] = re.sub(rb"\s+", b"", v)
    return out


def signatures(message, records):
    """{algorithm: index among the DKIM-Signature fields} for signatures whose key is in RECORDS."""
    found = {}
    index = 0
    for name, value in header_fields(message):
        if name != b"dkim-signature":
            continue
        t = tags(value)
        key = t.get(b"s", b"") + b"._domainkey." + t.get(b"d", b"").lower()
        if t.get(b"a") in ALGORITHMS and key in records:
            found.setdefault(t[b"a"], index)
        index += 1
    return found


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    records = read_records(sys.argv[1])
    verify = int(sys.argv[3]) if len(sys.argv) == 4 else 3
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(sys.argv[2])
                   if os.path.basename(d) == "new" for f in names)
    if not files:
        sys.exit(f"dkim-check: no delivered message under {sys.argv[2]}")

    def lookup(name, timeout=5):
        return records.get(name.rstrip(b".").lower())

    passed = 0
    for i, path in enumerate(files):
        with open(path, "rb") as f:
            message = f.read()
        found = signatures(message, records)
        missing = [a.decode() for a in ALGORITHMS if a not in found]
        if missing:
            sys.exit(f"dkim-check: {path} has no {' and no '.join(missing)} signature by a bench key "
                     f"({i} of {len(files)} messages checked before it)")
        if i < verify:
            for alg, index in found.items():
                if not dkim.DKIM(message).verify(idx=index, dnsfunc=lookup):
                    sys.exit(f"dkim-check: the {alg.decode()} signature of {path} does not verify")
                passed += 1
    print(f"dkim-check: {len(files)} messages, each signed rsa-sha256 and ed25519-sha256; "
          f"{passed} signatures of {min(verify, len(files))} messages verified")


if __name__ == "__main__":
    main()
