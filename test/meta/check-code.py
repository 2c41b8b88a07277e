#!/usr/bin/env python3
"""check-code.py: the structural rules of src/ (docs/contributing.md, "Rules
the code follows"), checked by the unit tier.

  python3 test/meta/check-code.py [root]

1. One header per module.  A glue header src/X.h declares only functions
   defined by its own module (src/X.c, src/X_sql.c; src/X_glue.h belongs to
   src/X_sql.c; src/shc_glue.h to the shared base src/shc_error.c and
   src/shc_jsonb.c, and declares the settings of src/shc.c, which sits
   above every module); src/core headers likewise for src/core/X.c.
2. The include graph has no cycle: a module that includes another module's
   header never has its own header included, directly or not, by that
   module (no file includes the header of a file above it).
3. No C function in src/ is longer than MAX_LINES lines (from the line of
   its name to its closing brace).

Prints "ok - ..." / "not ok - ..." lines and "# P passed, F failed".
"""
import os
import re
import sys

MAX_LINES = 150
ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
SRC = os.path.join(ROOT, "src")
BASE = {"shc_error.c", "shc_jsonb.c"}
TOP = {"shc.c"}                 # _PG_init: above every module, no header of its own

passed = failed = 0


def result(good, what):
    global passed, failed
    if good:
        passed += 1
        print("ok - " + what)
    else:
        failed += 1
        print("not ok - " + what)


def strip_comments(text):
    # keep line numbers: replace comment characters except newlines
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    text = re.sub(r"/\*.*?\*/", blank, text, flags=re.S)
    text = re.sub(r"//[^\n]*", blank, text)
    return re.sub(r'"(\\.|[^"\\\n])*"', lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)


def files(d, ext):
    return sorted(f for f in os.listdir(d) if f.endswith(ext))


def module_of_c(dirname, cfile):
    """The header a .c file belongs to."""
    if dirname == "core":
        return cfile[:-2] + ".h"
    if cfile in BASE:
        return "shc_glue.h"
    if cfile in TOP:
        return None
    stem = cfile[:-2]
    for h in (stem + ".h", re.sub(r"_sql$", "", stem) + ".h", re.sub(r"_sql$", "", stem) + "_glue.h"):
        if os.path.exists(os.path.join(SRC, h)):
            return h
    return None                 # a module with no header: SQL wrappers only


def owners(dirname, header):
    d = os.path.join(SRC, dirname) if dirname else SRC
    return [c for c in files(d, ".c") if module_of_c(dirname, c) == header]


def defined_functions(path):
    text = strip_comments(open(path, encoding="utf-8").read())
    return set(re.findall(r"^(?:[A-Za-z_][\w \t\*]*\n)?(\w+)\([^;{]*\)\s*\n\{", text, flags=re.M)) | \
        set(re.findall(r"^(\w+)\(", text, flags=re.M))


def declared_functions(path):
    text = strip_comments(open(path, encoding="utf-8").read())
    text = re.sub(r"^#(?:[^\n]*\\\n)*[^\n]*", "", text, flags=re.M)   # no macros
    while True:                 # no bodies (inline functions, structs)
        t = re.sub(r"\{[^{}]*\}", ";", text)
        if t == text:
            break
        text = t
    out = set()
    for decl in re.split(r";", text):
        if "(" not in decl or "typedef" in decl:
            continue
        m = re.search(r"\b(\w+)\s*\(", decl)
        if m and not decl.strip().startswith(("static", "extern")) and m.group(1) not in ("sizeof",):
            out.add(m.group(1))
    return out


# --- 1. one header per module -----------------------------------------------
for dirname in ("", "core"):
    d = os.path.join(SRC, dirname) if dirname else SRC
    for h in files(d, ".h"):
        if h == "shc_compat.h":
            continue
        own = owners(dirname, h)
        defs = set()
        for c in own:
            defs |= defined_functions(os.path.join(d, c))
        foreign = sorted(f for f in declared_functions(os.path.join(d, h)) if f not in defs)
        where = os.path.join("src", dirname, h)
        result(not foreign, "%s declares only functions of %s%s" % (
            where, ", ".join(own) or "(no file)",
            "" if not foreign else ": not theirs: " + ", ".join(foreign)))

# --- 2. no cycle in the include graph of modules ----------------------------
edges = {}
for dirname in ("", "core"):
    d = os.path.join(SRC, dirname) if dirname else SRC
    for f in files(d, ".c") + files(d, ".h"):
        mod = f if f.endswith(".h") else module_of_c(dirname, f)
        if mod is None:
            continue
        key = os.path.join(dirname, mod)
        for inc in re.findall(r'^#include "([^"]+)"', open(os.path.join(d, f), encoding="utf-8").read(), flags=re.M):
            inc = inc if "/" in inc or not dirname else os.path.join("core", inc)
            if inc != key and inc != "shc_compat.h":
                edges.setdefault(key, set()).add(inc)


def reaches(a, b, seen=None):
    seen = seen or set()
    for n in edges.get(a, ()):
        if n == b:
            return True
        if n not in seen:
            seen.add(n)
            if reaches(n, b, seen):
                return True
    return False


cycles = sorted("%s <-> %s" % (a, b) for a in edges for b in edges[a] if reaches(b, a))
result(not cycles, "no module includes the header of a module that depends on it" +
       ("" if not cycles else ": " + "; ".join(cycles)))

# --- 3. no function over MAX_LINES lines ------------------------------------
long_ones = []
for dirname in ("", "core"):
    d = os.path.join(SRC, dirname) if dirname else SRC
    for c in files(d, ".c"):
        lines = strip_comments(open(os.path.join(d, c), encoding="utf-8").read()).split("\n")
        i = 0
        while i < len(lines):
            m = re.match(r"^(\w+)\(", lines[i])
            if m:
                # the body: from the first "{" at column 0 to its "}" at column 0
                j = i
                while j < len(lines) and lines[j] != "{" and not lines[j].rstrip().endswith(";"):
                    j += 1
                if j < len(lines) and lines[j] == "{":
                    k = j + 1
                    while k < len(lines) and lines[k] != "}":
                        k += 1
                    n = k - i + 1
                    if n > MAX_LINES:
                        long_ones.append("%s %s (%d lines)" % (os.path.join("src", dirname, c), m.group(1), n))
                    i = k
            i += 1
result(not long_ones, "no C function in src/ is longer than %d lines%s" % (
    MAX_LINES, "" if not long_ones else ": " + "; ".join(long_ones)))

print("# %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
