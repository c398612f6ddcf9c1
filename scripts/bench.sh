#!/bin/bash
# make bench: time tdx_page_array against the bare page allocator.
#
# Builds the work tree as it is (build/linux's HEAD, its uncommitted edits
# and its untracked files; not the exported series) in a worktree of its
# own, build/bench/linux, with scripts/bench/tdx_page_array_bench.c
# included at the end of tdx.c, and runs that suite alone under QEMU TCG.
# build/linux and its branch are not touched.  Table: build/bench.txt
# (scripts/bench.py; the last run's kept as build/bench.prev.txt, both
# removed when a run fails); raw log: build/bench/kunit-plain/test.log.
. "$(dirname "$0")/lib.sh"
need_tree
# v5's give() is __init and the v4 API the benchmark calls is gone.
grep -q 'tdx_pa_call' "$TREE/arch/x86/virt/vmx/tdx/tdx.c" ||
	die "bench: not yet ported to this series (it calls v4's tdx_page_array API; see README.md, Benchmark)"
b=$BUILD/bench src=$BUILD/bench/linux tdx=arch/x86/virt/vmx/tdx
head=$(git -C "$TREE" rev-parse HEAD)
mkdir -p "$b"
own_worktree bench "$src" "$head"
git -C "$TREE" diff --binary HEAD >"$b/uncommitted.diff"
[ ! -s "$b/uncommitted.diff" ] || git -C "$src" apply "$b/uncommitted.diff" ||
	die "bench: the uncommitted changes of $TREE do not apply to $src: git -C $TREE diff HEAD"
git -C "$TREE" ls-files -z --others --exclude-standard | tar -C "$TREE" --null -T - -cf - | tar -C "$src" -xf -
cp "$TOP/scripts/bench/tdx_page_array_bench.c" "$src/$tdx/tests/"
printf '\n#ifdef CONFIG_TDX_PAGE_ARRAY_KUNIT_TEST\n#include "tests/tdx_page_array_bench.c"\n#endif\n' >>"$src/$tdx/tdx.c"

# The same relative paths as build/linux, so ccache reuses its objects.
# QEMU: README's --qemu_args ('-smp 2 -m 2048'), or QEMU_ARGS after them.
qemu=${QEMU_ARGS:--smp 2 -m 2048}
status=0
BUILD=$b TREE=$src CCACHE_BASEDIR=$b "$TOP/scripts/kunit.sh" plain 'tdx_page_array_bench*' || status=$?
# Leave the worktree as committed: the injected include is no one's edit.
git -C "$src" reset -q --hard "$head"
git -C "$src" clean -q -fd
if [ "$status" != 0 ]; then
	rm -f "$BUILD/bench.txt" "$BUILD/bench.prev.txt"	# no longer consecutive
	exit 1
fi
# The last run's table is the previous one only if nothing failed since.
# What ran: the tree's content, its edits and the benchmark, not commit ids.
tree="tree $(git -C "$TREE" rev-parse --short=12 'HEAD^{tree}'), edits $( [ -s "$b/uncommitted.diff" ] && sha1sum <"$b/uncommitted.diff" | cut -c1-8 || echo none), bench $(cat "$TOP"/scripts/bench/*.c | sha1sum | cut -c1-8)"
BENCH_QEMU=$qemu BENCH_TREE=$tree python3 "$TOP/scripts/bench.py" "$b/kunit-plain/test.log" "$b/bench.txt" "$BUILD/bench.txt" || {
	rm -f "$BUILD/bench.txt" "$BUILD/bench.prev.txt"
	die "bench: no table (raw log: $b/kunit-plain/test.log); reproduce: make -C $TOP bench"
}
[ ! -f "$BUILD/bench.txt" ] || mv "$BUILD/bench.txt" "$BUILD/bench.prev.txt"
mv "$b/bench.txt" "$BUILD/bench.txt"
say "bench: table written to $BUILD/bench.txt"
