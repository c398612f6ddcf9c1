#!/bin/bash
# Gate "bootlog": a QEMU boot log of the series (kunit.py's raw kernel
# output, e.g. <build dir>/test.log) has no kernel report that is new
# compared with the base tree's log, and none from TDX or KUnit code.
#
# Usage: scripts/gate-bootlog.sh LOG BASELOG
#
# A report starts at a line with WARNING:, BUG:, Oops, KASAN:, UBSAN:,
# "kernel BUG", "Kernel panic", "possible circular locking", "inconsistent
# lock state", "suspicious RCU usage", "INFO: task ... blocked", "detected
# stall", or a "Call Trace:" that no such line opened in the 50 lines
# before it (a bare dump_stack(), known by its top three frames rather than
# by its first line).  It fails when its first line, with
# timestamps, addresses, offsets and all numbers (CPU, PID, line) taken out,
# is not the first line of a report in BASELOG, or when "tdx" or "kunit"
# (any case) appears in its first 7 lines, which hold the WARNING's
# "at file:line", "Comm: kunit_try_catch" and the RIP line.
#
# Warnings a KUnit test suppresses on purpose leave nothing in the log, so
# they need no exception here.  In 7.3 a WARN*() on x86 traps into
# report_bug() (lib/bug.c), which asks kunit_is_suppressed_warning(true)
# before anything else: a suppressed warning is counted for
# KUNIT_EXPECT_SUPPRESSED_WARNING_COUNT() and returns before the "cut here"
# line, the message, __warn()'s backtrace and the TAINT_WARN taint, and
# even before WARN_ON_ONCE() spends its once.  __warn_printk() and
# warn_slowpath_fmt() (kernel/panic.c) check the same hook.  What a test
# prints itself (pr_err() and the like) is not suppressed, and a WARN in a
# thread that has no suppression of its own (a worker kthread that did not
# call kunit_start_suppress_warning()) is printed in full and fails here.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/gate-lib.sh"
gate_init bootlog "$TOP/scripts/gate-bootlog.sh LOG BASELOG"

[ $# -eq 2 ] || die "usage: $0 LOG BASELOG"
log=$1 baselog=$2
GATE_CMD="$TOP/scripts/gate-bootlog.sh $log $baselog"
[ -f "$log" ] || fail "no boot log $log" "$GATE_CMD"
[ -f "$baselog" ] ||
	fail "no base log $baselog: record the base tree's boot log once with 'scripts/baselog.sh plain' (or debug), which prints its path; by hand: boot the base commit with the same kunit.py config and keep its <build dir>/test.log" \
		"$GATE_CMD"

# One line per report: LINE-NUMBER TAB TDX-OR-KUNIT(0/1) TAB FIRST-LINE.
reports() {
	tr -d '\r' <"$1" | awk '
	function head(s) {
		return s ~ /WARNING:|BUG:|Oops|KASAN:|UBSAN:|kernel BUG|Kernel panic|possible circular locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|detected stall/
	}
	function flush() {
		if (start) printf "%d\t%d\t%s\n", start, mark, first
		start = 0
	}
	{
		if (head($0) || ($0 ~ /Call Trace:/ && NR - last > 50)) {
			flush()
			start = NR; first = $0; mark = 0; last = NR
			bare = !head($0)
		} else if (bare && start && NR - start <= 4 && $0 !~ /<TASK>|<IRQ>/) {
			# A bare trace is known by its top frames, not its head.
			l = $0; sub(/^(\[[^]]*\] ?)+ */, "", l); first = first " | " l
		}
		if (start && NR - start < 7 && tolower($0) ~ /tdx|kunit/) mark = 1
	}
	END { flush() }'
}
# A report first line without the parts that change from boot to boot.
normalize() {
	sed -E -e 's/^(\[[^]]*\] ?)+//' -e 's/0x[0-9a-fA-F]+/0x#/g' \
	       -e 's/\b[0-9a-fA-F]{8,}\b/#/g' -e 's/[0-9]+/#/g' -e 's/[[:space:]]+$//'
}
keys() { reports "$1" | cut -f3- | normalize; }

tmp=$(mktemp)
CLEANUP=$tmp	# on_exit removes it
reports "$log" >"$tmp"
total=$(wc -l <"$tmp")
bad=0 first=
declare -A base_keys=() shown=()
while IFS= read -r k; do base_keys[$k]=1; done < <(keys "$baselog")
while IFS=$'\t' read -r line mark text; do
	key=$(normalize <<<"$text")
	why=
	[ -n "${base_keys[$key]:-}" ] || why="new (not in $baselog)"
	[ "$mark" = 0 ] || why="${why:+$why, }mentions TDX/KUnit"
	[ -n "$why" ] || continue
	bad=$((bad + 1))
	[ -n "$first" ] || first="$(sed -E 's/^(\[[^]]*\] ?)+//' <<<"$text") ($why)"
	# Show each kind of report once, with the 20 lines that follow it.
	[ -z "${shown[$key]:-}" ] || continue
	shown[$key]=1
	echo "--- $log:$line: $why"
	sed -n "${line},$((line + 20))p" "$log" | tr -d '\r' | sed 's/^/  /'
done <"$tmp"

[ "$bad" -eq 0 ] && pass "$total report(s) in $(basename "$log"), all also in the base log and none from TDX/KUnit"
fail "$bad report(s) new or from TDX/KUnit code (${#shown[@]} kind(s)); first: $first" "$GATE_CMD"
