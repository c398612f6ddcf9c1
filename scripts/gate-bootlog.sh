#!/bin/bash
# Gate "bootlog": no kernel report in the QEMU boot logs of the KUnit runs,
# except one listed in scripts/bootlog-known.txt that does not mention TDX
# or KUnit.  make check passes the logs of the kunit gates of its run.
# Without arguments (make check-bootlog): $BUILD/kunit-{plain,debug}/test.log,
# each only if its test.log.run (kunit.sh) says a full run wrote it (the
# kunit gate or make kunit, not make's quick run or a later edit).
#
# kunit.sh boots with panic_on_warn=1 (and kasan.fault=panic in the debug
# config): an unsuppressed WARN or a KASAN report already stops the run,
# which fails the kunit gate.  Warnings a test suppresses on purpose return
# in report_bug() before anything is printed, so they leave nothing here.
# This gate adds what does not panic: lockdep, might_sleep ("BUG: sleeping
# function"), slub_debug's red zones, RCU, hung tasks, stalls, a bare
# dump_stack().
#
# A report starts at a line with WARNING:, BUG:, Oops, KASAN:, UBSAN:,
# "BUG <slab cache> (" (slub_debug: a red zone or poison overwritten),
# "kernel BUG", "Kernel panic", "possible circular locking", "inconsistent
# lock state", "suspicious RCU usage", "INFO: task ... blocked", "detected
# stall", or at a "Call Trace:" that none of these opened in the 50 lines
# before it.  Its key is its first line without timestamps and numbers.
. "$(dirname "$0")/lib.sh"
gate_init bootlog
logs=("$@")
if [ $# -eq 0 ]; then
	for c in plain debug; do
		l=$BUILD/kunit-$c/test.log
		[ -f "$l" ] || continue
		read -r what sum 2>/dev/null <"$l.run" || what=unknown
		[ "$what" = all ] && [ "$sum" = "$(sha1sum <"$l" | cut -c1-40)" ] ||
			fail "$l is not the log of a full kunit-$c run (last run: ${what:-unknown}); run make check-kunit-$c (or make check) first"
		say "bootlog: $l, written $(date -r "$l" '+%F %T')"
		logs+=("$l")
	done
fi
[ "${#logs[@]}" -gt 0 ] || fail "no boot log: run the kunit gates first (make check-kunit-plain)"
known=$TOP/scripts/bootlog-known.txt

# One line per report: LINE TAB MENTIONS-TDX-OR-KUNIT(0/1) TAB KEY.
reports() {
	tr -d '\r' <"$1" | awk '
	function head(s) {
		return s ~ /WARNING:|BUG:|BUG [^ :]+ \(|Oops|KASAN:|UBSAN:|kernel BUG|Kernel panic|possible circular locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|detected stall/
	}
	function flush() { if (start) printf "%d\t%d\t%s\n", start, mark, first; start = 0 }
	{
		if (head($0) || ($0 ~ /Call Trace:/ && NR - last > 50)) {
			flush(); start = NR; first = $0; mark = 0; last = NR; bare = !head($0)
		} else if (bare && start && NR - start <= 4 && $0 !~ /<TASK>|<IRQ>/) {
			l = $0; sub(/^(\[[^]]*\] ?)+ */, "", l); first = first " | " l
		}
		if (start && NR - start < 7 && tolower($0) ~ /tdx|kunit/) mark = 1
	}
	END { flush() }' | sed -E -e 's/\t(\[[^]]*\] ?)+/\t/' -e 's/0x[0-9a-fA-F]+/0x#/g' \
		-e 's/\b[0-9a-fA-F]{8,}\b/#/g' -e 's/([^0-9\t])[0-9]+/\1#/g' -e 's/[[:space:]]+$//'
}

bad=0 total=0 first=
for log in "${logs[@]}"; do
	[ -f "$log" ] || fail "no boot log $log (its kunit run did not boot a kernel)"
	while IFS=$'\t' read -r line mark key; do
		total=$((total + 1))
		if [ "$mark" = 0 ] && grep -qxF "$key" <(grep -v '^#' "$known" 2>/dev/null); then continue; fi
		bad=$((bad + 1))
		[ -n "$first" ] || first="$key$([ "$mark" = 0 ] || echo ' (mentions TDX/KUnit)')"
		echo "--- $log:$line"
		sed -n "${line},$((line + 20))p" "$log" | tr -d '\r' | sed 's/^/  /'
	done < <(reports "$log")
done
[ "$bad" -eq 0 ] || fail "$bad kernel report(s) in the boot log; first: $first" "$TOP/scripts/gate-bootlog.sh" "${logs[@]}"
pass "${#logs[@]} boot log(s), $total known report(s), none new or from TDX/KUnit"
