#!/bin/bash
# make bench: run the tdx_page_array_bench KUnit suite in the plain config
# and print its table, also written to build/bench.txt.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/kunit.sh" plain tdx_page_array_bench >"$BUILD/bench.log" 2>&1 || {
	tail -n 30 "$BUILD/bench.log" >&2
	die "bench: the benchmark suite failed (log: $BUILD/bench.log); reproduce: make bench"
}
{
	echo "# tdx_page_array benchmarks, $(date -u +%F), QEMU TCG (not hardware times: compare ratios)"
	sed -n 's/^.*# tdx_pa_bench[a-z_]*: bench //p' "$BUILD/kunit-plain/test.log"
} | tee "$BUILD/bench.txt"
