#!/bin/bash
# Build the tree and run the series' KUnit suite under QEMU.
#
#   kunit.sh CONFIG [FILTER]     CONFIG: plain or debug
#
# Each config has its own persistent object folder, build/kunit-CONFIG.
# The raw boot log is left in build/kunit-CONFIG/test.log.
# Env: KUNITCONFIG (default: the series' arch/x86/virt/vmx/tdx/.kunitconfig),
#      KUNIT_TIMEOUT (s, default 900), QEMU_ARGS.
. "$(dirname "$0")/lib.sh"

cfg=${1:?usage: kunit.sh plain|debug [filter_glob]}
filter=${2:-tdx_page_array}
out=$BUILD/kunit-$cfg
kunitconfig=${KUNITCONFIG:-$TREE/arch/x86/virt/vmx/tdx/.kunitconfig}
timeout=${KUNIT_TIMEOUT:-900}
qemu_args=${QEMU_ARGS:--smp 2 -m 2048}

[ -f "$kunitconfig" ] || die "no $kunitconfig: is the series applied (make apply)?"
configs=(--kunitconfig="$kunitconfig")
[ "$cfg" = debug ] && configs+=(--kunitconfig="$TOP/scripts/debug.config")
[ "$cfg" = plain ] || [ "$cfg" = debug ] || die "unknown config '$cfg' (plain or debug)"

export CCACHE_BASEDIR=$BUILD
kunit=(python3 tools/testing/kunit/kunit.py)
cd "$TREE"
mkdir -p "$out"

say "kunit[$cfg]: configuring $out"
"${kunit[@]}" config --arch=x86_64 --build_dir="$out" "${configs[@]}" \
	--make_options "CC=ccache gcc" > "$out/config.log" 2>&1 || {
	cat "$out/config.log" >&2
	die "kunit[$cfg]: configuration failed; reproduce: cd $TREE && ${kunit[*]} config --arch=x86_64 --build_dir=$out ${configs[*]}"
}

# Build here rather than in kunit.py, which is silent for the 13 minutes
# a cold build takes: show a progress line every 200 objects.
say "kunit[$cfg]: building (cold: about 13 min on 2 cores; warm: about 1 min)"
start=$(date +%s)
set +o pipefail
make ARCH=x86_64 O="$out" -j"$JOBS" CC="ccache gcc" all 2>&1 | tee "$out/build.log" |
	awk '/^  (CC|AS|LD|AR)/ { n++; if (n % 200 == 0) { printf "    %d objects...\n", n; fflush() } }
	     /error:|warning:/ { print; fflush() }'
status=${PIPESTATUS[0]}
set -o pipefail
[ "$status" -eq 0 ] || {
	grep -E 'error:|Error [0-9]' "$out/build.log" | head -n 20 >&2
	die "kunit[$cfg]: build failed (log: $out/build.log); reproduce: make -C $TREE ARCH=x86_64 O=$out"
}
say "kunit[$cfg]: built in $(( $(date +%s) - start )) s"

say "kunit[$cfg]: running '$filter' under QEMU ($qemu_args, timeout ${timeout}s)"
PATH=$TOP/scripts/qemu-tcg:$PATH "${kunit[@]}" exec --arch=x86_64 --build_dir="$out" --timeout="$timeout" \
	--qemu_args "$qemu_args" --json="$out/results.json" "$filter" 2>&1 | tee "$out/kunit.log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || die "kunit[$cfg]: test failures (raw log: $out/test.log); reproduce: cd $TREE && ${kunit[*]} exec --arch=x86_64 --build_dir=$out --qemu_args '$qemu_args' '$filter'"
