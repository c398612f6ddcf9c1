#!/bin/bash
# Gate "deep": the harness layer of the tests (scripts/deep/, not in the
# series) passes on $TREE's HEAD (the committed series): scripts/deep.sh builds it in
# build/deep/linux with the deep suites included at the end of tdx.c and
# runs the suites tdx_page_array_deep* under QEMU (debug config, or
# DEEP_CONFIG).
. "$(dirname "$0")/lib.sh"
gate_init deep
need_tree
cfg=${DEEP_CONFIG:-debug}
"$TOP/scripts/deep.sh" || fail "failing cases or a crash above (raw log: $BUILD/deep/kunit-$cfg/test.log)" make -C "$TOP" deep
pass "$(python3 "$TOP/scripts/kunit-count.py" "$BUILD/deep/kunit-$cfg/results.json" summary) at $TREE HEAD $(git -C "$TREE" rev-parse --short HEAD), with scripts/deep/"
