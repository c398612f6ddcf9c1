#!/bin/bash
# Build $TREE as it is (committed or not) and run its KUnit suites under
# QEMU TCG with README.md's harness-free command (readme_kunit_run in
# lib.sh), run as written from $TREE.
#
#   kunit.sh CONFIG [quick|all|SUITE-GLOB]    CONFIG: plain or debug
#
# Added to README's command, as README.md says: --build_dir=$BUILD/kunit-CONFIG,
# --make_options CC="ccache gcc", --make_options KERNELRELEASE=<version>-kunit
# (no git state in the release: an edit rebuilds only what it touches),
# --json; "quick" adds --filter 'speed>slow' (no KUNIT_CASE_SLOW cases); a
# glob (with a '*') runs only the suites it matches (make bench); debug adds
# --kunitconfig=scripts/debug.config --kernel_args kasan.fault=panic.
# Raw boot log: $BUILD/kunit-CONFIG/test.log; $BUILD/kunit-CONFIG/test.log.run
# says which run wrote it (gate-bootlog.sh reads it).
# Env: KUNIT_TIMEOUT (s, replaces README's --timeout), QEMU_ARGS (added as
# one more --qemu_args), JOBS.
. "$(dirname "$0")/lib.sh"

cfg=${1:?usage: kunit.sh plain|debug [quick|all|SUITE-GLOB]} what=${2:-all}
out=$BUILD/kunit-$cfg
[ "$(grep -c '^tools/testing/kunit/kunit\.py run ' "$TOP/README.md")" = 1 ] ||
	die "README.md must hold exactly one line starting 'tools/testing/kunit/kunit.py run ' (the harness runs it)"
mapfile -d '' -t readme < <(readme_kunit_run) || die "could not read the kunit.py command of README.md"
# The suite relies on both: an unsuppressed WARN panics, and a panic ends
# the guest at once (QEMU runs with -no-reboot) instead of hanging to the timeout.
for a in panic_on_warn=1 panic=-1; do
	[[ " ${readme[*]} " == *" --kernel_args $a "* || " ${readme[*]} " == *" --kernel_args=$a "* ]] ||
		die "README.md's kunit.py command lacks '--kernel_args $a'"
done
version=$(awk '/^VERSION =/ { v = $3 } /^PATCHLEVEL =/ { p = $3 } /^SUBLEVEL =/ { s = $3; exit }
	END { print v "." p "." s }' "$TREE/Makefile")
extra=(--build_dir="$out" --make_options "$CC_ARG" --make_options "KERNELRELEASE=$version-kunit"
       --json="$out/results.json")
[ -z "${KUNIT_TIMEOUT:-}" ] || extra+=(--timeout="$KUNIT_TIMEOUT")
[ -z "${QEMU_ARGS:-}" ] || extra+=(--qemu_args "$QEMU_ARGS")
case $cfg in
plain) ;;
debug) extra+=(--kunitconfig="$TOP/scripts/debug.config" --kernel_args kasan.fault=panic) ;;
*) die "unknown config '$cfg' (plain or debug)" ;;
esac
case $what in
all) runs="all cases" ;;
quick) extra+=(--filter 'speed>slow') runs="the cases that are not KUNIT_CASE_SLOW" ;;
*\**) extra+=("$what") runs="the suites $what" ;;
*) die "kunit.sh: '$what' is not quick, all or a suite glob with a '*'" ;;
esac
[ -f "$TREE/$KUNITCONFIG_REL" ] || die "no $TREE/$KUNITCONFIG_REL: is the series applied?"

cd "$TREE" || exit 1
mkdir -p "$out"
lock "kunit-$cfg"
rm -f "$out/results.json" "$out/test.log" "$out/test.log.run"
run=("${readme[@]}" "${extra[@]}")

# kunit.py's make is silent until it ends (13 minutes for a cold build):
# a line a minute while objects are being built.
touch "$out/.harness-start"
(
	unlock_in_child
	n=0
	while sleep 60 && kill -0 $$ 2>/dev/null; do
		m=$(find "$out" -name '*.o' -newer "$out/.harness-start" 2>/dev/null | wc -l)
		[ "$m" = "$n" ] || printf '    %d objects built...\n' "$m"
		n=$m
	done
) &
ticker=$!
say "kunit[$cfg]: building $TREE as it is (a cold build takes about 13 min on 2 cores), then $runs under QEMU"
say "kunit[$cfg]: $(quote "${run[@]}")"
set +o pipefail
PATH=$TOP/scripts/qemu-tcg:$PATH "${run[@]}" 2>&1 | tee "$out/kunit.log"
status=${PIPESTATUS[0]}
set -o pipefail
kill "$ticker" 2>/dev/null || true
wait "$ticker" 2>/dev/null || true
[ ! -f "$out/test.log" ] || echo "$what $(sha1sum <"$out/test.log" | cut -c1-40)" >"$out/test.log.run"
[ "$status" -eq 0 ] || die "kunit[$cfg]: a build error, failing cases or a crash (raw log: $out/test.log): cd $TREE && PATH=$TOP/scripts/qemu-tcg:\$PATH $(quote "${run[@]}")"
