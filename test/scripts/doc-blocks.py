#!/usr/bin/env python3
"""doc-blocks.py: the SQL blocks of a Markdown file as one psql script.

    python3 test/scripts/doc-blocks.py FILE.md SCRIPT.sql MAP.tsv [SCRIPT.sh]

Every fenced block whose info string is "sql" is copied, in order, into
SCRIPT.sql (indentation of a block inside a list removed).  A block whose
info string says "sql norun" is shown to the reader only: it is left out
and listed as such.  MAP.tsv gets one line per block:
    <block number> <TAB> <line in FILE.md> <TAB> <first script line> <TAB> <last script line> <TAB> run|norun
Shell blocks are shown to the reader only, except in a page that marks
them: "sh run" blocks are copied, in order, into SCRIPT.sh (when given),
each after a line that writes "@@block <n>" to file descriptor 9, and
listed with mode "sh"; "sh public-host" blocks need a host with a public
name (TLS certificates, systemd, a reverse proxy) and are listed with mode
"public-host".  Other fenced blocks (unmarked sh, json, nginx, ini, text,
...) are not listed.
"""
import re
import sys

src, script, mapping = sys.argv[1:4]
shell = sys.argv[4] if len(sys.argv) > 4 else None
sh_out = ["set -euo pipefail"]
fence = re.compile(r'^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$')
out = ["\\set ON_ERROR_STOP on", "\\set VERBOSITY default"]
rows = []
lines = open(src, encoding="utf-8").read().split("\n")
i = 0
n = 0
while i < len(lines):
    m = fence.match(lines[i])
    if not m:
        i += 1
        continue
    indent, marker, lang, rest = m.group(1), m.group(2), m.group(3), m.group(4)
    start = i + 1
    body = []
    i += 1
    while i < len(lines) and not re.match(r'^\s*' + re.escape(marker) + r'\s*$', lines[i]):
        line = lines[i]
        body.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
        i += 1
    i += 1
    words = rest.split()
    if lang == "sh" and ("run" in words or "public-host" in words):
        n += 1
        if "public-host" in words:
            rows.append((n, start, 0, 0, "public-host"))
            continue
        sh_out.append("echo '@@block %d' >&9" % n)
        first = len(sh_out) + 1
        sh_out.extend(body)
        rows.append((n, start, first, len(sh_out), "sh"))
        continue
    if lang != "sql":
        continue
    n += 1
    if "norun" in words:
        rows.append((n, start, 0, 0, "norun"))
        continue
    first = len(out) + 1
    out.extend(body)
    rows.append((n, start, first, len(out), "run"))
open(script, "w", encoding="utf-8").write("\n".join(out) + "\n")
if shell is not None:
    open(shell, "w", encoding="utf-8").write("\n".join(sh_out) + "\n" if len(sh_out) > 1 else "")
with open(mapping, "w") as f:
    for r in rows:
        f.write("\t".join(str(x) for x in r) + "\n")
