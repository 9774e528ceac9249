#!/usr/bin/env python3
"""Replaces one "## " section of a Markdown file with the text on standard input.

  markdown_section.py FILE HEADING < section.md

The section runs from the line "## HEADING" to the next "## " heading or the end of the file; it is
appended when FILE has none. The rest of the file, the prose written by hand included, is kept.
"""
import os
import re
import sys

if len(sys.argv) != 3:
    sys.exit(__doc__)
path, heading = sys.argv[1:]
section = sys.stdin.read().rstrip() + "\n"
text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
pattern = re.compile(r"^## " + re.escape(heading) + r"\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda m: section + "\n", text, count=1)
else:
    text = text.rstrip() + "\n\n" + section
with open(path, "w") as f:
    f.write(text.rstrip() + "\n")
