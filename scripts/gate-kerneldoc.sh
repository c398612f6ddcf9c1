#!/bin/bash
# Gate "kerneldoc": the .c and .h files the series touches get no new
# "scripts/kernel-doc -none -Wall" warning.  Each file is taken at the base
# and at HEAD of $TREE (git show) into two temporary trees with the same
# relative paths, and checked with the tip's kernel-doc; a warning at the
# tip that the base lacks (line numbers ignored) fails.
. "$(dirname "$0")/lib.sh"
gate_init kerneldoc
need_tree
base=$(base_rev)
mapfile -t files < <(changed_files "$base..HEAD" | grep -E '\.[ch]$' || true)
[ "${#files[@]}" -gt 0 ] || pass "the series touches no .c or .h file"
tmp=$(mktemp -d /tmp/gate-kerneldoc.XXXXXX)
# shellcheck disable=SC2034  # on_exit removes it
CLEANUP=$tmp
kdoc=("$TREE/scripts/kernel-doc" -none -Wall)
for side in base tip; do
	rev=$base
	[ "$side" = base ] || rev=HEAD
	present=()
	for f in "${files[@]}"; do
		mkdir -p "$tmp/$side/$(dirname "$f")"
		git -C "$TREE" show "$rev:$f" >"$tmp/$side/$f" 2>/dev/null && present+=("$f") || rm -f "$tmp/$side/$f"
	done
	: >"$tmp/$side.out"
	[ "${#present[@]}" -eq 0 ] || (cd "$tmp/$side" && "${kdoc[@]}" "${present[@]}") >"$tmp/$side.out" 2>&1 ||
		{ cat "$tmp/$side.out"; die "kernel-doc failed at the $side"; }
done
new_warnings "$tmp/base.out" "$tmp/tip.out" >"$tmp/new"
if [ -s "$tmp/new" ]; then
	show_new "$tmp/tip.out" "$tmp/new"
	REPRO_PRE="cd $TREE && " fail "$(wc -l <"$tmp/new") new kernel-doc warning(s); first: $(head -n 1 "$tmp/new")" "${kdoc[@]}" "${files[@]}"
fi
pass "${#files[@]} files as committed, no new kernel-doc warnings (base has $(warnings_of "$tmp/base.out" | wc -l))"
