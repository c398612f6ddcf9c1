#!/bin/bash
# make deep: the harness layer of the tests, kept out of the posted series.
#
# Builds build/linux's HEAD (the committed series: uncommitted edits are
# someone's work in progress, and the deep file follows the posted mock
# and helpers as committed) in a worktree of its own, build/deep/linux,
# with scripts/deep/tdx_page_array_deep.c included at the end of tdx.c,
# after the posted suite and its mock, and runs the suites
# tdx_page_array_deep* alone under QEMU TCG.  build/linux and its branch
# are not touched.  Raw log: build/deep/kunit-<config>/test.log.
# Env: DEEP_CONFIG (debug, the default, or plain).
. "$(dirname "$0")/lib.sh"
need_tree
cfg=${DEEP_CONFIG:-debug}
b=$BUILD/deep src=$BUILD/deep/linux tdx=arch/x86/virt/vmx/tdx
head=$(git -C "$TREE" rev-parse HEAD)
mkdir -p "$b"
lock deep-src
own_worktree deep "$src" "$head"
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	warn "deep: $TREE has uncommitted edits: testing its HEAD $(git -C "$TREE" rev-parse --short HEAD) without them"
cp "$TOP/scripts/deep/tdx_page_array_deep.c" "$src/$tdx/tests/"
printf '\n#ifdef CONFIG_TDX_PAGE_ARRAY_KUNIT_TEST\n#include "tests/tdx_page_array_deep.c"\n#endif\n' >>"$src/$tdx/tdx.c"

# The same relative paths as build/linux, so ccache reuses the gates' objects.
status=0
BUILD=$b TREE=$src CCACHE_BASEDIR=$b "$TOP/scripts/kunit.sh" "$cfg" 'tdx_page_array_deep*' || status=$?
# Leave the worktree as committed: the injected include is no one's edit.
git -C "$src" reset -q --hard "$head"
git -C "$src" clean -q -fd
[ "$status" = 0 ] || die "deep: failing cases or a crash (raw log: $b/kunit-$cfg/test.log); reproduce: make -C $TOP deep"
say "deep: $(python3 "$TOP/scripts/kunit-count.py" "$b/kunit-$cfg/results.json" summary)"
