#!/bin/bash
# make mutate: break the lines the series adds to non-test files, one at a
# time, and see whether the KUnit suite (no slow cases) notices.
#
# Works on a committed revision (MUTATE_REV, default build/linux's HEAD) in
# a worktree of its own, build/mutate/linux, with objects in
# build/mutate/kunit-plain (the same relative layout as build/linux and
# build/kunit-plain, so ccache reuses their objects).  build/linux and its
# branch are not touched.  The mutants: scripts/mutate.py.
#
# Per mutant: edit the file, rebuild incrementally, boot the suite under
# QEMU TCG with a short timeout, classify, restore the file.  A mutant of
# arch/x86/virt/vmx/tdx/ whose objects come out byte for byte as the
# unmutated ones is EQUIVALENT (the compiler says it is the same program:
# "trivial compiler equivalence"); it is not booted and not scored.  One
# line per mutant, then a summary; all of it in build/mutate/report.txt.
# Exit 0 whatever the score; 1 if the unmutated revision fails its suite.
#
# The unmutated revision is built and tested by scripts/kunit.sh (README's
# kunit.py command); each mutant by make with kunit.py's make options and
# "kunit.py exec" with README's --kernel_args and --qemu_args (so
# panic_on_warn=1 panic=-1), --filter 'speed>slow' and the short timeout.
# Env: MUTATE_N (80, or all), MUTATE_SEED (1), MUTATE_IDS (run only these
# mutants, by the [number] a report line starts with, e.g. its survivors
# after a fix to the tests; the plan is the same while the series' non-test
# lines are), MUTATE_REV (HEAD of
# build/linux), MUTATE_TIMEOUT (s per boot; default twice the unmutated
# run plus 30, at least 60), JOBS, QEMU_ARGS (one more --qemu_args).
. "$(dirname "$0")/lib.sh"
need_tree
M=$BUILD/mutate src=$BUILD/mutate/linux
out=$M/kunit-plain
n=${MUTATE_N:-80} seed=${MUTATE_SEED:-1}
rev=$(git -C "$TREE" rev-parse --verify "${MUTATE_REV:-HEAD}^{commit}") || die "mutate: no commit ${MUTATE_REV:-HEAD} in $TREE"
base=$(base_rev)
report=$M/report.txt
mkdir -p "$M"
export CCACHE_BASEDIR=$M
lock mutate

if ! is_worktree "$src"; then
	say "mutate: creating the worktree $src"
	rm -rf "$src"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$src" "$rev"
fi
git -C "$src" checkout -q -f --detach "$rev"
git -C "$src" clean -q -fd
restore() { git -C "$src" checkout -q -f HEAD -- . 2>/dev/null || true; }
trap restore EXIT

python3 "$TOP/scripts/mutate.py" plan "$src" "$base" "$M/plan.json" "$n" "$seed" >"$M/plan.log" ||
	die "mutate: no plan (python3 $TOP/scripts/mutate.py plan $src $base $M/plan.json $n $seed)"
total=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total"])' "$M/plan.json")
sample=$(python3 -c 'import json,sys; print(" ".join(map(str, json.load(open(sys.argv[1]))["sample"])))' "$M/plan.json")
[ -n "${MUTATE_IDS:-}" ] && sample=$MUTATE_IDS
count=$(wc -w <<<"$sample")
say "mutate: $(git -C "$src" log -1 --format='%h %s' "$rev"): $total mutants in the series' non-test lines, $count to run (seed $seed)"

# The unmutated revision: configured, built and tested as make does.
BUILD=$M TREE=$src CCACHE_BASEDIR=$M nice -n 10 "$TOP/scripts/kunit.sh" plain quick >"$M/baseline.log" 2>&1 || {
	tail -n 30 "$M/baseline.log"
	echo "mutate: the unmutated revision fails (log: $M/baseline.log)" | tee "$report"
	exit 1
}

version=$(awk '/^VERSION =/ { v = $3 } /^PATCHLEVEL =/ { p = $3 } /^SUBLEVEL =/ { s = $3; exit }
	END { print v "." p "." s }' "$src/Makefile")
mk=(nice -n 10 make -C "$src" ARCH=x86_64 O="$out" -j"$JOBS" "$CC_ARG" "KERNELRELEASE=$version-kunit")
# README's --kernel_args and --qemu_args (panic=-1 among them: a panic
# ends QEMU at once instead of at the timeout).
mapfile -d '' -t readme < <(readme_kunit_run) || die "mutate: could not read the kunit.py command of README.md"
kargs=()
for ((j = 0; j < ${#readme[@]}; j++)); do
	case ${readme[j]} in
	--kernel_args|--qemu_args) kargs+=("${readme[j]}" "${readme[j + 1]}"); j=$((j + 1)) ;;
	--kernel_args=*|--qemu_args=*) kargs+=("${readme[j]}") ;;
	esac
done
[ -z "${QEMU_ARGS:-}" ] || kargs+=(--qemu_args "$QEMU_ARGS")
run_suite() {  # TIMEOUT JSON: boot the suite; 0 unless kunit.py timed out
	local start=$SECONDS
	(cd "$src" && PATH=$TOP/scripts/qemu-tcg:$PATH nice -n 10 timeout -k 10 "$(($1 + 60))" \
		python3 tools/testing/kunit/kunit.py exec --arch=x86_64 --build_dir="$out" --timeout="$1" \
		"${kargs[@]}" --filter 'speed>slow' --json="$2") >"$M/run.log" 2>&1 || true
	run_secs=$((SECONDS - start))
	grep -q 'timed out after' "$M/run.log" || [ "$run_secs" -ge "$1" ]
}
rm -f "$M/baseline.json"
if run_suite 900 "$M/results.json"; then die "mutate: the unmutated suite timed out (log: $out/test.log)"; fi
python3 "$TOP/scripts/mutate.py" baseline "$out/test.log" "$M/results.json" "$M/baseline.json" >"$M/baseline.txt" 2>&1 || {
	cat "$M/baseline.txt"
	echo "mutate: the unmutated revision fails with mutate's kernel arguments (log: $out/test.log)" | tee "$report"
	exit 1
}
objs() { (cd "$out" && sha256sum arch/x86/virt/vmx/tdx/*.o); }
objs >"$M/objs.base"
secs=${MUTATE_TIMEOUT:-$((2 * run_secs + 30 > 60 ? 2 * run_secs + 30 : 60))}
say "mutate: unmutated: $(cat "$M/baseline.txt") in $run_secs s; timeout per mutant $secs s"

{
	echo "# make mutate: $(git -C "$src" log -1 --format='%h %s' "$rev")"
	echo "# $total mutants, sample of $count, seed $seed, timeout $secs s, unmutated suite $run_secs s"
	echo "# kunit.py exec ${kargs[*]} --filter speed>slow"
} >"$report"
built=0 case_=0 crash=0 tmo=0 surv=0 nob=0 equiv=0
start_all=$SECONDS
for i in $sample; do
	t0=$SECONDS
	desc=$(python3 "$TOP/scripts/mutate.py" describe "$M/plan.json" "$i")
	file=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mutants"][int(sys.argv[2])]["file"])' "$M/plan.json" "$i")
	python3 "$TOP/scripts/mutate.py" apply "$M/plan.json" "$i" "$src" >/dev/null || die "mutate: cannot apply mutant $i"
	if ! "${mk[@]}" >"$M/build.log" 2>&1; then
		verdict=NOBUILD nob=$((nob + 1))
		cp "$M/build.log" "$M/nobuild-$i.log"
	elif [[ $file == arch/x86/virt/vmx/tdx/* ]] && objs | cmp -s - "$M/objs.base"; then
		verdict='EQUIVALENT (objects unchanged)' equiv=$((equiv + 1))
	else
		built=$((built + 1))
		rm -f "$M/m.json"
		to=0
		run_suite "$secs" "$M/m.json" && to=1
		verdict=$(python3 "$TOP/scripts/mutate.py" classify "$out/test.log" "$M/m.json" "$M/baseline.json" "$to")
		case $verdict in
		CAUGHT*) case_=$((case_ + 1)) ;;
		CRASH*) crash=$((crash + 1)) ;;
		TIMEOUT*) tmo=$((tmo + 1)) ;;
		*) surv=$((surv + 1)) ;;
		esac
		case $verdict in CAUGHT*) ;; *) cp "$out/test.log" "$M/test-$i.log" ;; esac
	fi
	git -C "$src" checkout -q -f HEAD -- "$file"
	line="[$i] $desc: $verdict [$((SECONDS - t0)) s]"
	echo "$line"
	echo "$line" >>"$report"
done
caught=$((case_ + crash + tmo))
pct() { [ "$2" -gt 0 ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * a / b }' || echo "n/a"; }
summary="mutate: $built built, $caught caught ($(pct $caught $built)), $((case_ + crash)) by a failing case or crash ($(pct $((case_ + crash)) $built)), $tmo timed out, $surv survived, $nob did not build, $equiv equivalent; sample $count of $total, seed $seed"
echo "# $((SECONDS - start_all)) s for $count mutants" >>"$report"
echo "$summary" >>"$report"
echo "$summary"
