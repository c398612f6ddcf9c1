#!/bin/bash
# Gate "sparse": the objects the series touches get no new sparse warning.
# "make C=2" (checks the named objects whether or not they recompile) in
# $BUILD/obj-kunit-on, with bisect-src at the base and then at the tip;
# fails on a warning the base does not have (line numbers ignored), when
# the kernel calls the checker "not available or not up to date", or when
# an object was not CHECKed.  SPARSE= another sparse binary.
. "$(dirname "$0")/lib.sh"
gate_init sparse
need_tree
lock bisect-src		# bisect-src and obj-kunit-on, shared with the bisect gate
sparse=${SPARSE:-}
[ -n "$sparse" ] || sparse=$("$TOP/scripts/sparse.sh") || die "no usable sparse: see scripts/sparse.sh's messages above"
base=$(base_rev) tip=$(git -C "$TREE" rev-parse HEAD)
[ "$base" != "$tip" ] || pass "no commits above the base in $TREE, nothing to check"
mapfile -t all_files < <(changed_files "$base..$tip")
work=$BUILD/gate-logs/sparse	# kept until the next run
rm -rf "$work"
mkdir -p "$work"
fragment_on >"$work/on.fragment"
o=$BUILD/obj-kunit-on

for side in base tip; do
	rev=${!side}
	say "sparse at the $side ($(git -C "$TREE" log -1 --format='%h %s' "$rev"))"
	src_checkout "$rev"
	obj_config "$o" "$work/on.fragment" "$([ "$side" = tip ] && echo 1 || echo 0)"
	mapfile -t objs < <(touched_objects "$o" "${all_files[@]}")
	say "  objects: ${objs[*]}"
	build=(make -C "$SRC" O="$o" "${MAKE_ARGS[@]}" -j"$JOBS" "${objs[@]}")
	check=("${build[@]}" C=2 CHECK="$sparse")
	pre="git -C $SRC checkout -q --detach $rev && "
	"${build[@]}" >"$work/$side.build" 2>&1 || { tail -n 20 "$work/$side.build"; REPRO_PRE=$pre fail "the $side does not build" "${build[@]}"; }
	"${check[@]}" >"$work/$side.log" 2>&1 || { tail -n 20 "$work/$side.log"; REPRO_PRE=$pre fail "make C=2 failed at the $side" "${check[@]}"; }
	! grep 'is not available or not up to date' "$work/$side.log" || REPRO_PRE=$pre fail "the kernel rejects $sparse" "${check[@]}"
	for obj in "${objs[@]}"; do
		grep -qE "^  CHECK +${obj%.o}\.c\$" "$work/$side.log" || REPRO_PRE=$pre fail "no CHECK line for ${obj%.o}.c at the $side: sparse did not run" "${check[@]}"
	done
done

nbase=$(warnings_of "$work/base.log" | wc -l)
new_warnings "$work/base.log" "$work/tip.log" >"$work/new"
if [ -s "$work/new" ]; then
	echo "New sparse warnings at the tip:"
	show_new "$work/tip.log" "$work/new"
	REPRO_PRE=$pre fail "$(wc -l <"$work/new") new sparse warning(s); first: $(head -n 1 "$work/new")" "${check[@]}"
fi
pass "${#objs[@]} objects of the committed series checked, no new sparse warnings (base has $nbase); uncommitted edits are not checked"
