#!/usr/bin/env python3
"""Print every pattern zonerescue analyze matches (playbooks/analysis-rules.toml plus the
built-in markers of src/analysis/markers.rs), one per line, as POSIX ERE for `grep -E -f`.
Conversion: named and non-capturing groups become plain groups, \\d becomes [0-9], lazy
quantifiers become greedy, \\t becomes a literal tab (GNU grep -E knows \\s and \\S)."""
import os
import re
import sys
import tomllib

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..")
with open(os.path.join(root, "playbooks", "analysis-rules.toml"), "rb") as f:
    rules = tomllib.load(f)
patterns = [p for r in rules["rules"] for p in r.get("patterns", [])]

src = open(os.path.join(root, "src", "analysis", "markers.rs"), encoding="utf-8").read()
for m in re.finditer(r'\(Marker::[A-Za-z]+(?:\([A-Za-z:0-9]+\))?,\s*"((?:[^"\\]|\\.)*)"\)', src):
    patterns.append(m.group(1).encode().decode("unicode_escape"))


def ere(p):
    p = re.sub(r"\(\?P<[a-z_]+>", "(", p)
    p = p.replace("(?:", "(")
    p = p.replace(r"\d", "[0-9]")
    p = p.replace("+?", "+").replace("*?", "*")
    p = p.replace(r"\t", "\t")
    return p


for p in patterns:
    sys.stdout.write(ere(p) + "\n")
