#!/bin/bash
# Gate "bisect": every commit of base..HEAD in $TREE builds, with W=1 and
# KUnit on and off, the objects its files map to (lib.sh's OBJ_TABLE), with
# no warning the base does not have (line numbers ignored).  The commits
# are walked by "git rebase --exec" in the worktree $BUILD/bisect-src
# ($TREE never moves); object folders: $BUILD/obj-kunit-on, -off.
. "$(dirname "$0")/lib.sh"
work=$BUILD/gate-logs/bisect	# kept until the next run

# One commit (run by git rebase --exec in bisect-src): build, compare, and
# on failure leave the verdict in $work/failed for the gate.
step() {
	local rev k n tag o log objs files cmd
	rev=$(git -C "$SRC" rev-parse HEAD)
	k=$(git -C "$SRC" rev-list --count "$(base_rev)..$rev") n=$(cat "$work/n")
	say "[$k/$n] $(git -C "$SRC" log -1 --format=%s)"
	mapfile -t files < <(changed_files "$rev")
	for tag in on off; do
		o=$BUILD/obj-kunit-$tag log=$work/$k-$tag.log
		obj_config "$o" "$work/$tag.fragment" "$([ "$k" = "$n" ] && echo 1 || echo 0)"
		mapfile -t objs < <(touched_objects "$o" "${files[@]}")
		say "  kunit-$tag: ${objs[*]}"
		cmd=(make -C "$SRC" O="$o" "${MAKE_ARGS[@]}" -j"$JOBS" "${objs[@]}")
		(cd "$o" && rm -f "${objs[@]}")	# so that every warning shows again
		local ok=1
		"${cmd[@]}" >"$log" 2>&1 || ok=
		comm -13 "$work/base-$tag.warn" <(warnings_of "$log") >"$log.new"
		[ -n "$ok" ] && [ ! -s "$log.new" ] && continue
		show_new "$log" "$log.new"
		[ -n "$ok" ] || clean_log "$log" | tail -n 15 | sed 's/^/    /'
		{ printf '%04d %s: %s (kunit-%s build)\n' "$k" "$(git -C "$SRC" log -1 --format=%s)" \
			"$([ -n "$ok" ] && echo "$(wc -l <"$log.new") new warning(s): $(head -n 1 "$log.new")" || echo "make failed")" "$tag"
		  echo "git -C $SRC checkout -q --detach $rev && "; printf '%s\n' "${cmd[@]}"
		} >"$work/failed"
		return 1
	done
}
if [ "${1:-}" = --step ]; then step; exit; fi

gate_init bisect
need_tree
lock bisect-src		# bisect-src and obj-kunit-on/-off, shared with the sparse gate
base=$(base_rev) tip=$(git -C "$TREE" rev-parse HEAD)
n=$(git -C "$TREE" rev-list --count "$base..$tip")
[ "$n" -gt 0 ] || pass "no commits above the base in $TREE, nothing to bisect"
rm -rf "$work"
mkdir -p "$work"
echo "$n" >"$work/n"
fragment_on >"$work/on.fragment"
fragment_off >"$work/off.fragment"
mapfile -t all_files < <(changed_files "$base..$tip")

say "[0/$n] the base (reference warnings)"
src_checkout "$base"
for tag in on off; do
	o=$BUILD/obj-kunit-$tag
	obj_config "$o" "$work/$tag.fragment" 0
	mapfile -t objs < <(touched_objects "$o" "${all_files[@]}")
	cmd=(make -C "$SRC" O="$o" "${MAKE_ARGS[@]}" -j"$JOBS" "${objs[@]}")
	(cd "$o" && rm -f "${objs[@]}")
	"${cmd[@]}" >"$work/base-$tag.log" 2>&1 || { tail -n 30 "$work/base-$tag.log"; fail "the base does not build in $o" "${cmd[@]}"; }
	warnings_of "$work/base-$tag.log" >"$work/base-$tag.warn"
done

src_checkout "$tip"
if ! git -C "$SRC" rebase -q --exec "$(quote "$TOP/scripts/gate-bisect.sh" --step)" "$base"; then
	git -C "$SRC" rebase --abort 2>/dev/null || true
	[ -f "$work/failed" ] || die "git rebase --exec stopped without a verdict"
	mapfile -t repro < <(sed 1,2d "$work/failed")
	REPRO_PRE=$(sed -n 2p "$work/failed") fail "$(head -n 1 "$work/failed")" "${repro[@]}"
fi
pass "the $n committed patches build with KUnit on and off, no new W=1 warnings; uncommitted edits are not checked"
