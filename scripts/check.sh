#!/bin/bash
# make check: every quality gate, each ending in one PASS or FAIL line with
# the command that reproduces it, then "N passed, N failed" counting gates
# and KUnit cases.  Gates run on, even after one fails.
. "$(dirname "$0")/lib.sh"

gates=${GATES:-"commits checkpatch kerneldoc bisect sparse kunit-plain kunit-debug bootlog"}
passed=0 failed=0 cases_passed=0 cases_failed=0
summary=()

run_gate() {
	local name=$1 t0 rc
	shift
	printf '\n=== gate %s\n' "$name"
	t0=$(date +%s)
	"$@" && rc=0 || rc=$?
	summary+=("$(printf '%-12s %-4s %5ss' "$name" "$([ $rc -eq 0 ] && echo PASS || echo FAIL)" $(( $(date +%s) - t0 )))")
	if [ $rc -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}

kunit_gate() {
	local cfg=$1 base
	base=$("$TOP/scripts/baselog.sh" "$cfg") || { echo "FAIL kunit-$cfg: could not record the base boot log"; return 1; }
	echo "$base" > "$BUILD/kunit-$cfg/baselog.path"
	rm -f "$BUILD/kunit-$cfg/results.json"
	if "$TOP/scripts/kunit.sh" "$cfg"; then
		echo "PASS kunit-$cfg: $(python3 "$TOP/scripts/kunit-count.py" "$BUILD/kunit-$cfg/results.json" summary)"
	else
		echo "FAIL kunit-$cfg: see the failing cases above"
		echo "  reproduce: make kunit CONFIG=$cfg"
		return 1
	fi
}

count_cases() {
	local f=$BUILD/kunit-$1/results.json p n
	# Only the configs whose gate ran in this run.
	[[ " $gates " == *" kunit-$1 "* ]] && [ -f "$f" ] || return 0
	read -r p n < <(python3 "$TOP/scripts/kunit-count.py" "$f" counts)
	cases_passed=$((cases_passed + p))
	cases_failed=$((cases_failed + n))
}

bootlog_gate() {
	local cfg rc=0
	for cfg in plain debug; do
		[ -f "$BUILD/kunit-$cfg/test.log" ] || { echo "FAIL bootlog: no $cfg boot log (the kunit-$cfg gate did not run)"; return 1; }
		"$TOP/scripts/gate-bootlog.sh" "$BUILD/kunit-$cfg/test.log" "$(cat "$BUILD/kunit-$cfg/baselog.path")" || rc=1
	done
	return $rc
}

for g in $gates; do
	case $g in
	commits)	run_gate commits "$TOP/scripts/gate-commits.sh" ;;
	checkpatch)	run_gate checkpatch "$TOP/scripts/gate-checkpatch.sh" ;;
	kerneldoc)	run_gate kerneldoc "$TOP/scripts/gate-kerneldoc.sh" ;;
	bisect)		run_gate bisect "$TOP/scripts/gate-bisect.sh" ;;
	sparse)		run_gate sparse "$TOP/scripts/gate-sparse.sh" ;;
	kunit-plain)	run_gate kunit-plain kunit_gate plain ;;
	kunit-debug)	run_gate kunit-debug kunit_gate debug ;;
	bootlog)	run_gate bootlog bootlog_gate ;;
	*)		die "unknown gate $g" ;;
	esac
done
count_cases plain
count_cases debug

printf '\n=== summary\n'
printf '  %s\n' "${summary[@]}"
printf '  KUnit cases: %d passed, %d failed (plain and debug configs)\n' "$cases_passed" "$cases_failed"
echo "$((passed + cases_passed)) passed, $((failed + cases_failed)) failed"
[ $((failed + cases_failed)) -eq 0 ]
