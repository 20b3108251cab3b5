#!/usr/bin/env python3
"""check-diag-tr.py: every message format a loader passes to diag_add()
(src/*/*.c) has a translation in each diagnostics table (diag_tr_es,
diag_tr_ht, diag_tr_fr at the end of src/base/strings_{es,ht,fr}.c), so a
planner never meets an English line on /formularios because someone added
a check and forgot the tables. Pass-through formats ("%s", "%s: %s") need
none. Prints each missing one as `lang: "format"` and exits 1; run by
tests/integration/test_diag_tr.c (make check).

Usage: tools/check-diag-tr.py [ROOT]
"""
import glob
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
LIT = r'"(?:[^"\\]|\\.)*"'
# diag_add(d, file, row, "fmt" "more"...: the first three arguments may hold
# calls with commas of their own (form_sheet_word(L, F_CHOICES)).
ARG = r'(?:[^,()]|\([^()]*(?:\([^()]*\)[^()]*)*\))+'
CALL = re.compile(r'\bdiag_add\(\s*' + ARG + r',\s*' + ARG + r',\s*' + ARG + r',\s*((?:' + LIT + r'\s*)+)')

formats = set()
for path in glob.glob(os.path.join(root, "src", "*", "*.c")):
    text = open(path, encoding="utf-8").read()
    for m in CALL.finditer(text):
        formats.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))))
formats -= {"%s", "%s: %s"}
if len(formats) < 50:
    print(f"check-diag-tr: found only {len(formats)} formats: the pattern no longer matches the code")
    sys.exit(1)

missing = 0
for lang in ("es", "ht", "fr"):
    table = open(os.path.join(root, "src", "base", f"strings_{lang}.c"), encoding="utf-8").read()
    start = table.find(f"diag_tr_{lang}[]")
    english = set(re.findall(r'\{\s*"((?:[^"\\]|\\.)*)"\s*,', table[start:]))
    for f in sorted(formats - english):
        print(f'{lang}: "{f}"')
        missing += 1
print(f"check-diag-tr: {len(formats)} formats, {missing} translations missing")
sys.exit(1 if missing else 0)
