#!/bin/bash
# Gate "selftest": the harness's own parsers give the verdict each sample
# in scripts/tests/ names: NAME.PASS.ext / NAME.FAIL.ext, or for KUnit
# results NAME.<passed>-<failed>.json.
#   bootlog-*.log      gate-bootlog.sh on the log
#   commit-*.msg       gate-commits.sh on a one-commit repository
#   warnings-*.base/.tip   lib.sh's new_warnings (line numbers ignored)
#   docs-*.rst         rst-check.py (any problem is a FAIL)
#   kunit-*.json       kunit-count.py's counts
#   send-*.patch       lib.sh's recipients (the kernel's get_maintainer.pl,
#                      from build/linux or the base cache; skipped without
#                      either) with NAME.maintainers as MAINTAINERS: its To
#                      and Cc lines must be the sample's "# expect:" lines
#   bench-*.log        bench.py (exit status; NAME.prev as the last run's
#                      table), and its output must hold each "# expect: TEXT"
#                      line of the sample (else UNEXPECTED)
#   mutate-*.c         mutate.py's mutants of the file (every line counted
#                      as added) are exactly its "expect:" lines
. "$(dirname "$0")/lib.sh"
gate_init selftest
tmp=$(mktemp -d /tmp/gate-selftest.XXXXXX)
# shellcheck disable=SC2034  # on_exit removes it
CLEANUP=$tmp
S=$TOP/scripts
verdict_of() {  # SAMPLE: PASS or FAIL as the parser judges it
	local f=$1
	case $(basename "$f") in
	bootlog-*) "$S/gate-bootlog.sh" "$f" >"$tmp/out" 2>&1 ;;
	warnings-*) new_warnings "${f%.tip}.base" "$f" >"$tmp/out"; [ ! -s "$tmp/out" ] ;;
	mutate-*) python3 "$S/mutate.py" check "$f" >"$tmp/out" ;;
	docs-*) python3 "$S/rst-check.py" "$(basename "$f")" "$f" >"$tmp/out"; [ ! -s "$tmp/out" ] ;;
	bench-*)
		local rc=0 e
		env -u BENCH_TREE python3 "$S/bench.py" "$f" "$tmp/bench.txt" "${f%.log}.prev" >"$tmp/out" 2>&1 || rc=$?
		while IFS= read -r e; do
			grep -qF -- "$e" "$tmp/out" || { echo "expected: $e" >>"$tmp/out"; echo UNEXPECTED; return; }
		done < <(sed -n 's/^# expect: //p' "$f")
		[ "$rc" = 0 ] ;;
	send-*)
		local k
		for k in "$TREE" "$CACHE/base/repo" ''; do [ -f "$k/scripts/get_maintainer.pl" ] && break; done
		[ -n "$k" ] || { echo SKIP; return; }
		GM_MPATH=${f%.*}.maintainers recipients "$k" "$f" 2>&1 | recipient_lines >"$tmp/out"
		sed -n 's/^# expect: //p' "$f" | diff - "$tmp/out" >>"$tmp/out" ;;
	commit-*)
		rm -rf "$tmp/repo"
		git init -q "$tmp/repo"
		git -C "$tmp/repo" -c user.name=t -c user.email=t@invalid commit -q --allow-empty -m base
		git -C "$tmp/repo" -c user.name=t -c user.email=t@invalid commit -q --allow-empty -F "$f"
		TREE=$tmp/repo BASE_REV='' "$S/gate-commits.sh" >"$tmp/out" 2>&1 ;;
	*) return 2 ;;
	esac && echo PASS || echo FAIL
}
n=0 wrong=()
for f in "$TOP"/scripts/tests/*; do
	name=$(basename "$f")
	case $name in
	*.base|*.prev|*.maintainers) continue ;;
	kunit-*.json)
		want=${name%.json} want=${want##*.}
		got=$(python3 "$S/kunit-count.py" "$f" counts | tr ' ' -) ;;
	*)
		want=${name%.*} want=${want##*.}
		got=$(verdict_of "$f") ;;
	esac
	if [ "$got" = SKIP ]; then echo "  skip  $name: no kernel tree yet (make)"; continue; fi
	n=$((n + 1))
	if [ "$got" = "$want" ]; then echo "  ok    $name: $got"; continue; fi
	echo "  WRONG $name: the parser says $got, the sample wants $want"
	sed 's/^/        /' "$tmp/out" 2>/dev/null | tail -n 5
	wrong+=("$name")
done
[ "${#wrong[@]}" -eq 0 ] || fail "${#wrong[@]} of $n samples judged wrongly: ${wrong[*]}" make -C "$TOP" selftest
pass "$n samples in scripts/tests judged as they expect"
