#!/usr/bin/env python3
"""The arithmetic of the benchmark scripts, one small command each, so that the shell keeps to running tools.

  numbers.py json-field FILE EXPR        EXPR evaluated with d = the JSON of FILE, e.g. 'round(d["total"]["rate"])'
  numbers.py cpu-us TIME_FILE REQUESTS   CPU microseconds per request from /usr/bin/time -f '%U %S' output
  numbers.py ratio A B                   A / B with two decimals, n/a when B is 0
  numbers.py verdict LABEL VALUE GOAL NEEDED
                                         a Markdown row: pass when GOAL (Python, x = VALUE) holds, **miss**
                                         otherwise or when VALUE is not a number (not measured)
"""
import json
import sys


def json_field(path, expression):
    with open(path) as f:
        d = json.load(f)
    return eval(expression, {}, {"d": d})


def cpu_us(time_file, requests):
    with open(time_file) as f:
        user, system = map(float, f.read().split()[-2:])
    n = float(requests)
    return f"{(user + system) * 1e6 / n:.1f}" if n else "n/a"


def ratio(a, b):
    a, b = float(a), float(b)
    return f"{a / b:.2f}" if b else "n/a"


def verdict(label, value, goal, needed):
    try:
        ok = eval(goal, {}, {"x": float(value)})
    except ValueError:
        ok = False
    return f"| {label} | {value} | {needed} | {'pass' if ok else '**miss**'} |"


COMMANDS = {"json-field": json_field, "cpu-us": cpu_us, "ratio": ratio, "verdict": verdict}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    print(COMMANDS[sys.argv[1]](*sys.argv[2:]))
