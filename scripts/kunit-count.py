#!/usr/bin/env python3
"""Count the leaf KUnit cases in a kunit.py --json results file.

usage: kunit-count.py RESULTS.json counts|summary
"""
import json
import sys


def leaves(node):
    subs = node.get("sub_groups", []) + node.get("test_cases", [])
    if not subs:
        yield node
    for sub in subs:
        yield from leaves(sub)


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    status = [leaf.get("status") for leaf in leaves(data)]
    passed = status.count("PASS")
    skipped = status.count("SKIP")
    failed = len(status) - passed - skipped
    if sys.argv[2] == "counts":
        print(passed, failed)
    else:
        print(f"{passed} KUnit cases passed, {failed} failed, {skipped} skipped")


if __name__ == "__main__":
    main()
