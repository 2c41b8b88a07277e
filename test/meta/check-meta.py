#!/usr/bin/env python3
"""check-meta.py: validate META.json against the PGXN Meta Spec 1.0.0.

    python3 test/meta/check-meta.py [META.json]

Checks the file against test/meta/pgxn-meta-1.0.0.schema.json (a JSON
Schema written from the spec's text, validated with python3-jsonschema),
then what a schema cannot say: the distribution's version is the control
file's default_version, every "provides" file exists, its version is the
distribution's, and the license named is the one in LICENSE.  Prints one
"ok"/"not ok" line per check; exit status 1 on any failure.
"""
import json
import os
import re
import sys

import jsonschema

root = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
meta_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "META.json")
base = os.path.dirname(os.path.abspath(meta_path))
failed = 0


def report(good, what):
    global failed
    print(("ok - " if good else "not ok - ") + what)
    if not good:
        failed += 1


with open(os.path.join(root, "test", "meta", "pgxn-meta-1.0.0.schema.json")) as f:
    schema = json.load(f)
jsonschema.Draft7Validator.check_schema(schema)
try:
    with open(meta_path) as f:
        meta = json.load(f)
    report(True, "META.json is JSON")
except (OSError, ValueError) as e:
    report(False, "META.json is JSON (%s)" % e)
    sys.exit(1)

errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(meta), key=lambda e: list(e.path))
for e in errors:
    print("#   %s: %s" % ("/".join(str(p) for p in e.path) or "(top)", e.message))
report(not errors, "META.json follows the PGXN Meta Spec 1.0.0 (%d schema errors)" % len(errors))

control = os.path.join(base, "shc.control")
with open(control) as f:
    m = re.search(r"^default_version\s*=\s*'([^']*)'", f.read(), re.M)
report(m is not None and m.group(1) == meta.get("version"),
       "META.json's version %s is the control file's default_version %s"
       % (meta.get("version"), m.group(1) if m else None))
for ext, p in sorted(meta.get("provides", {}).items()):
    report(os.path.isfile(os.path.join(base, p.get("file", ""))),
           "provides %s: file %s exists" % (ext, p.get("file")))
    if "docfile" in p:
        report(os.path.isfile(os.path.join(base, p["docfile"])),
               "provides %s: docfile %s exists" % (ext, p["docfile"]))
    report(p.get("version") == meta.get("version"),
           "provides %s: version %s is the distribution's" % (ext, p.get("version")))
lic = os.path.join(base, "LICENSE")
text = open(lic).read() if os.path.isfile(lic) else ""
report(meta.get("license") == "postgresql" and "Permission to use, copy, modify, and distribute" in text,
       "the license is the PostgreSQL License, as LICENSE says")
sys.exit(1 if failed else 0)
