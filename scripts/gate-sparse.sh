#!/bin/bash
# Gate "sparse": the objects the series touches add no sparse warning.
#
# Runs "make C=2 CHECK=<sparse>" (C=2 checks the named objects whether or
# not they recompile) in $BUILD/obj-kunit-on, with $BUILD/bisect-src at the
# base commit and then at HEAD of $TREE, and fails on a warning at the tip
# that the base does not have (line numbers ignored), when the kernel says
# the checker is "not available or not up to date", or when an object was
# not CHECKed.  The objects are built first in a separate make so that the
# checked run prints sparse's output only.
#
# Usage: scripts/gate-sparse.sh
# Env:   TREE, BUILD, JOBS (lib.sh); SPARSE to use another sparse binary.
# Shares configs, worktree and object lists with gate-bisect.sh.
. "$(dirname "$0")/gate-bisect.sh"

# Check the objects in obj-kunit-on at REV; LOG gets the C=2 output.
sparse_at() {  # REV LOG OBJS-FILE
	local rev=$1 log=$2 o=$OBJ_ON
	src_checkout "$rev"
	obj_config "$o" "$work/on.fragment" "$([ "$rev" = "$tip" ] && echo 1 || echo 0)"
	mapfile -t objs < <(touched_objects "$o" "${all_files[@]}")
	printf '%s\n' "${objs[@]}" >"$3"
	say "  objects: ${objs[*]}"
	make -C "$SRC" O="$o" "${MAKE_ARGS[@]}" -j"$JOBS" "${objs[@]}" >"$log.build" 2>&1 ||
		{ tail -n 20 "$log.build"; fail "$(git -C "$TREE" log -1 --format='%h %s' "$rev") does not build" "$(build_cmd "$o" "${objs[@]}")"; }
	make -C "$SRC" O="$o" "${MAKE_ARGS[@]}" -j"$JOBS" C=2 CHECK="$sparse" "${objs[@]}" >"$log" 2>&1 ||
		{ tail -n 20 "$log"; fail "make C=2 failed at $(git -C "$TREE" log -1 --format='%h %s' "$rev")" "$(sparse_cmd "${objs[@]}")"; }
	if grep -q 'is not available or not up to date' "$log"; then
		grep 'is not available or not up to date' "$log"
		fail "the kernel rejects $sparse (not available or not up to date)" "$(sparse_cmd "${objs[@]}")"
	fi
	local obj
	for obj in "${objs[@]}"; do
		grep -qE "^  CHECK +${obj%.o}\.c\$" "$log" ||
			fail "no CHECK line for ${obj%.o}.c at $(git -C "$TREE" log -1 --format=%h "$rev"): sparse did not run" \
				"$(sparse_cmd "${objs[@]}")"
	done
}
sparse_cmd() { echo "make -C $SRC O=$OBJ_ON W=1 -j$JOBS CC=\"ccache gcc\" C=2 CHECK=$sparse $*"; }

gate_init sparse "$TOP/scripts/gate-sparse.sh"
t0=$SECONDS
[ -e "$TREE/.git" ] || die "no tree at $TREE: run scripts/base.sh and apply the series"
sparse=${SPARSE:-}
[ -n "$sparse" ] || sparse=$("$TOP/scripts/sparse.sh") || die "no usable sparse: see scripts/sparse.sh's messages above"
base=$(base_rev) tip=$(tip_rev)
[ "$base" != "$tip" ] || pass "no commits above the base in $TREE, nothing to check"
mapfile -t all_files < <(changed_files "$base..$tip")
work=$BUILD/gate-logs/sparse	# kept until the next run
rm -rf "$work"
mkdir -p "$work"
fragment_on >"$work/on.fragment"

say "sparse at the base ($(git -C "$TREE" log -1 --format=%h "$base"))"
sparse_at "$base" "$work/base.log" "$work/base.objs"
say "sparse at the tip ($(git -C "$TREE" log -1 --format='%h %s' "$tip"))"
sparse_at "$tip" "$work/tip.log" "$work/tip.objs"

nbase=$(warnings_of "$work/base.log" | wc -l)
comm -13 <(warnings_of "$work/base.log") <(warnings_of "$work/tip.log") >"$work/new"
if [ -s "$work/new" ]; then
	echo "New sparse warnings at the tip:"
	shown=$(show_new "$work/tip.log" "$work/new")
	echo "$shown"
	mapfile -t objs <"$work/tip.objs"
	fail "$(wc -l <"$work/new") new sparse warning(s); first: $(sed -n '1s/^ *//p' <<<"$shown")" \
		"git -C $SRC checkout -q --detach $tip && $(sparse_cmd "${objs[@]}")"
fi
pass "$(wc -l <"$work/tip.objs") objects checked, no new sparse warnings (base has $nbase; $((SECONDS - t0)) s)"
