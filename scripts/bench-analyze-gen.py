#!/usr/bin/env python3
"""Generate a realistic attach log of about SIZE megabytes for scripts/bench-analyze.sh.

The log is what a long, noisy `zoneadm attach -u` session leaves behind: dated brand lines,
pkg's non-tty progress (planning, downloads, actions), verbose plan listings, and now and then
a failure block (catalog refresh errors, solver Reject/Reason blocks) — the fixtures of
testdata/logs/ interleaved with bulk progress output. Deterministic (fixed seed).
Usage: bench-analyze-gen.py SIZE_MB OUT_FILE
"""
import os
import random
import sys

size = int(sys.argv[1]) * 1024 * 1024
out = sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
logs = os.path.join(here, "..", "testdata", "logs")
fixtures = []
for name in sorted(os.listdir(logs)):
    p = os.path.join(logs, name)
    if os.path.isfile(p):
        with open(p, "rb") as f:
            fixtures.append(f.read().rstrip(b"\n") + b"\n")

rng = random.Random(151)
pkgs = [b"system/library", b"web/server/apache-24", b"database/postgresql-13", b"library/libxml2",
        b"developer/gcc-10", b"runtime/python-39", b"shell/bash", b"network/openssh",
        b"service/network/smtp/sendmail", b"SUNWcs", b"system/kernel", b"text/gnu-grep"]


def date(i):
    return b"[Mon Nov 23 %02d:%02d:%02d UTC 2026] " % (i // 3600 % 24, i // 60 % 60, i % 60)


def progress_block(i):
    lines = []
    n = rng.randint(200, 2000)
    total = rng.randint(1000, 40000)
    lines.append(date(i) + b"  Updating non-global zone: Output follows\n")
    lines.append(b" Startup: Refreshing catalog 'openindiana.org' ... Done\n")
    for step in (b"Solver setup", b"Running solver", b"Finding local manifests", b"Package planning",
                 b"Merging actions", b"Checking for conflicting actions"):
        lines.append(b"Planning: " + step + b" ... Done\n")
    lines.append(b"\nChanged packages:\nopenindiana.org\n")
    for p in rng.sample(pkgs, 6):
        lines.append(b"  " + p + b"\n    0.5.11-2019.0.0.%d -> 0.5.11-2020.0.1.%d\n" % (rng.randint(1, 9999), rng.randint(1, 9999)))
    for k in range(n):
        done = total * k // n
        lines.append(b"Download: %6d/%d items  %5.1f/%5.1fMB  %d%% complete (%dk/s)\n"
                     % (done, total, done / 97.0, total / 97.0, 100 * k // n, rng.randint(100, 9000)))
    for k in range(n):
        lines.append(b" Actions: %6d/%d actions (Installing new actions)\n" % (total * k // n, total))
    lines.append(b" Actions: Completed %d actions in %d.%02d seconds.\n" % (total, rng.randint(1, 99), rng.randint(0, 99)))
    lines.append(b"Finalize: Updating package state database ...  Done\n")
    return b"".join(lines)


written = 0
i = 0
with open(out, "wb") as f:
    while written < size:
        chunk = progress_block(i) if i % 3 else fixtures[(i // 3) % len(fixtures)]
        f.write(chunk)
        written += len(chunk)
        i += 1
