#!/bin/bash
# make check: run the gates of GATES (minus SKIP_GATES) in order, on, even
# after a failure.  Gate "NAME" is scripts/gate-NAME.sh; "NAME-ARG" is
# scripts/gate-NAME.sh ARG.  The bootlog gate is given the boot logs of
# the kunit gates and of the deep gate of this run (if any ran).  Prints
# "gates: N passed, N failed" and "kunit: N passed, N failed" (the KUnit
# cases of the kunit gates and the deep gate of this run), and ends with
# "N passed, N failed": the two summed.
. "$(dirname "$0")/lib.sh"

DEFAULT_GATES="selftest commits checkpatch kerneldoc docs bisect sparse kunit-plain kunit-debug deep bootlog"
# The deep gate's files (scripts/deep.sh): build/deep/kunit-<config>/FILE.
deep_results() { echo "$BUILD/deep/kunit-${DEEP_CONFIG:-debug}/$1"; }
gates=()
for g in ${GATES:-$DEFAULT_GATES}; do [[ " ${SKIP_GATES:-} " == *" $g "* ]] || gates+=("$g"); done
for g in "${gates[@]}"; do [ -x "$TOP/scripts/gate-${g%%-*}.sh" ] || die "unknown gate '$g' (no scripts/gate-${g%%-*}.sh)"; done

need_tree
n=$(git -C "$TREE" rev-list --count "$(base_rev)..HEAD")
dirty=$(git -C "$TREE" status --porcelain --untracked-files=no | wc -l)
say "check: $TREE, $n commits on $(git -C "$TREE" log -1 --format='%h %s' "$(base_rev)"), $dirty file(s) with uncommitted edits"
say "check: gates ${gates[*]}"

passed=0 failed=0 summary=()
declare -A ran=()
for g in "${gates[@]}"; do
	printf '\n=== gate %s\n' "$g"
	t0=$SECONDS
	arg=()
	[[ $g != *-* ]] || arg=("${g#*-}")
	if [ "$g" = bootlog ]; then
		for k in "${gates[@]}"; do
			[[ $k != kunit-* ]] || [ -z "${ran[$k]:-}" ] || arg+=("$BUILD/$k/test.log")
			[[ $k != deep ]] || [ -z "${ran[$k]:-}" ] || arg+=("$(deep_results test.log)")
		done
	fi
	[[ $g != kunit-* && $g != deep ]] || ran[$g]=1
	"$TOP/scripts/gate-${g%%-*}.sh" "${arg[@]}" && v=PASS || v=FAIL
	if [ "$v" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	summary+=("$(printf '%-12s %s %5ss' "$g" "$v" $((SECONDS - t0)))")
done

cases=(0 0)
for g in "${gates[@]}"; do
	case $g in
	kunit-*) r=$BUILD/$g/results.json ;;
	deep) r=$(deep_results results.json) ;;
	*) continue ;;
	esac
	[ -f "$r" ] || continue	# kunit.sh removes it first
	read -r p f < <(python3 "$TOP/scripts/kunit-count.py" "$r" counts)
	cases=($((cases[0] + p)) $((cases[1] + f)))
done
printf '\n=== summary\n'
printf '  %s\n' "${summary[@]}"
printf 'gates: %d passed, %d failed\n' "$passed" "$failed"
printf 'kunit: %d passed, %d failed\n' "${cases[@]}"
echo "$((passed + cases[0])) passed, $((failed + cases[1])) failed"
[ $((failed + cases[1])) -eq 0 ]
