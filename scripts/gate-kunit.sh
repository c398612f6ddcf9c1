#!/bin/bash
# Gates "kunit-plain" and "kunit-debug": every KUnit case of $TREE as it is
# (slow ones included) passes in that config, run by README.md's kunit.py
# command (scripts/kunit.sh).  Usage: gate-kunit.sh CONFIG
. "$(dirname "$0")/lib.sh"
cfg=${1:?usage: gate-kunit.sh plain|debug}
gate_init "kunit-$cfg"
need_tree
"$TOP/scripts/kunit.sh" "$cfg" all || fail "failing cases or a crash above" make -C "$TOP" kunit CONFIG="$cfg"
summary=$(python3 "$TOP/scripts/kunit-count.py" "$BUILD/kunit-$cfg/results.json" summary) ||
	fail "no KUnit results in $BUILD/kunit-$cfg/results.json" make -C "$TOP" kunit CONFIG="$cfg"
pass "$summary in $TREE as it is"
