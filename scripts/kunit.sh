#!/bin/bash
# Build $TREE as it is (committed or not) and run its KUnit suites under
# QEMU TCG.
#
#   kunit.sh CONFIG [quick|all|SUITE-GLOB]    CONFIG: plain or debug
#
# quick leaves out the KUNIT_CASE_SLOW cases (kunit.py --filter speed>slow);
# a glob (with a '*') runs only the suites it matches (make bench).
# Objects in $BUILD/kunit-CONFIG; raw boot log there as test.log.
# Env: KUNIT_TIMEOUT (s, default 900), QEMU_ARGS, JOBS.
. "$(dirname "$0")/lib.sh"

cfg=${1:?usage: kunit.sh plain|debug [quick|all|SUITE-GLOB]} what=${2:-all}
out=$BUILD/kunit-$cfg
kunitconfig=$TREE/$KUNITCONFIG_REL
qemu_args=${QEMU_ARGS:--smp 2 -m 2048}
configs=(--kunitconfig="$kunitconfig" --kunitconfig="$TOP/scripts/harness.config")
# An unsuppressed WARN (or KASAN report) panics: kunit.py then reports a crash.
kargs=(--kernel_args=panic_on_warn=1)
case $cfg in
plain) ;;
debug) configs+=(--kunitconfig="$TOP/scripts/debug.config") kargs+=(--kernel_args=kasan.fault=panic) ;;
*) die "unknown config '$cfg' (plain or debug)" ;;
esac
case $what in
all) filter=() runs="all cases" ;;
quick) filter=(--filter 'speed>slow') runs="the cases that are not KUNIT_CASE_SLOW" ;;
*\**) filter=("$what") runs="the suites $what" ;;
*) die "kunit.sh: '$what' is not quick, all or a suite glob with a '*'" ;;
esac
[ -f "$kunitconfig" ] || die "no $kunitconfig: is the series applied?"

kunit=(python3 tools/testing/kunit/kunit.py)
cd "$TREE" || exit 1
mkdir -p "$out"
# kunit.py config only when its inputs changed (it costs seconds per loop).
stamp=$(cat "${configs[@]#--kunitconfig=}" | sha1sum | cut -c1-40)
if [ ! -f "$out/.config" ] || [ "$(cat "$out/harness.stamp" 2>/dev/null)" != "$stamp" ]; then
	say "kunit[$cfg]: configuring $out"
	conf=("${kunit[@]}" config --arch=x86_64 --build_dir="$out" "${configs[@]}" --make_options "$CC_ARG")
	"${conf[@]}" >"$out/config.log" 2>&1 || { cat "$out/config.log" >&2; die "kunit[$cfg]: configuration failed: $(quote "${conf[@]}")"; }
	echo "$stamp" >"$out/harness.stamp"
fi

# Our own make rather than kunit.py's, which is silent for the 13 minutes of
# a cold build: a progress line every 200 objects.
say "kunit[$cfg]: building $TREE as it is (a cold build takes about 13 min on 2 cores)"
start=$SECONDS
mk=(make ARCH=x86_64 O="$out" -j"$JOBS" "$CC_ARG")
set +o pipefail
"${mk[@]}" 2>&1 | tee "$out/build.log" |
	awk '/^  (CC|AS|LD|AR)/ { n++; if (n % 200 == 0) { printf "    %d objects...\n", n; fflush() } }
	     /error:|warning:/ { print; fflush() }'
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || { grep -E 'error:|Error [0-9]' "$out/build.log" | head -n 20 >&2; die "kunit[$cfg]: build failed: cd $TREE && $(quote "${mk[@]}")"; }
say "kunit[$cfg]: built in $((SECONDS - start)) s; running $runs under QEMU"
run=("${kunit[@]}" exec --arch=x86_64 --build_dir="$out" --timeout="${KUNIT_TIMEOUT:-900}"
     --qemu_args "$qemu_args" "${kargs[@]}" "${filter[@]}" --json="$out/results.json")
PATH=$TOP/scripts/qemu-tcg:$PATH "${run[@]}" 2>&1 | tee "$out/kunit.log"
status=${PIPESTATUS[0]}
set -o pipefail
[ "$status" -eq 0 ] || die "kunit[$cfg]: test failures or a crash (raw log: $out/test.log): cd $TREE && $(quote "${run[@]}")"
