#!/bin/bash
# Gate "kerneldoc": the .c and .h files the series touches get no new
# "scripts/kernel-doc -none -Wall" warning.
#
# Each file is taken with "git show" at the base and at HEAD of $TREE into
# two temporary trees (same relative paths, so the messages compare), and
# checked with the tip's kernel-doc; a warning at the tip that the base does
# not have (line numbers ignored) fails.  Documentation/*.rst is not
# kernel-doc input (Sphinx builds it) and is skipped.
#
# Usage: scripts/gate-kerneldoc.sh
# Env:   TREE (lib.sh).
. "$(dirname "$0")/gate-bisect.sh"

gate_init kerneldoc "$TOP/scripts/gate-kerneldoc.sh"
t0=$SECONDS
[ -e "$TREE/.git" ] || die "no tree at $TREE: run scripts/base.sh and apply the series"
base=$(base_rev) tip=$(tip_rev)
mapfile -t files < <(changed_files "$base..$tip" | grep -E '\.[ch]$' || true)
[ "${#files[@]}" -gt 0 ] || pass "the series touches no .c or .h file"

tmp=$(mktemp -d /tmp/gate-kerneldoc.XXXXXX)
# shellcheck disable=SC2034  # on_exit removes it
CLEANUP=$tmp
# The tip's kernel-doc ($TREE is at the tip), run in DIR on the files there.
kdoc() {  # DIR OUT
	local f present=()
	for f in "${files[@]}"; do [ -f "$1/$f" ] && present+=("$f"); done
	[ "${#present[@]}" -gt 0 ] || return 0
	(cd "$1" && "$TREE/scripts/kernel-doc" -none -Wall "${present[@]}") >"$2" 2>&1 ||
		{ cat "$2"; die "kernel-doc failed in $1"; }
}
for side in base tip; do
	rev=${!side}
	for f in "${files[@]}"; do
		mkdir -p "$tmp/$side/$(dirname "$f")"
		git -C "$TREE" show "$rev:$f" >"$tmp/$side/$f" 2>/dev/null || rm -f "$tmp/$side/$f"
	done
done

say "kernel-doc -none -Wall on ${#files[@]} files at the base and at the tip"
touch "$tmp/base.out" "$tmp/tip.out"
kdoc "$tmp/base" "$tmp/base.out"
kdoc "$tmp/tip" "$tmp/tip.out"
nbase=$(warnings_of "$tmp/base.out" | wc -l)
comm -13 <(warnings_of "$tmp/base.out") <(warnings_of "$tmp/tip.out") >"$tmp/new"
if [ -s "$tmp/new" ]; then
	echo "New kernel-doc warnings at the tip:"
	shown=$(show_new "$tmp/tip.out" "$tmp/new")
	echo "$shown"
	fail "$(wc -l <"$tmp/new") new kernel-doc warning(s); first: $(sed -n '1s/^ *//p' <<<"$shown")" \
		"cd $TREE && scripts/kernel-doc -none -Wall ${files[*]}"
fi
pass "${#files[@]} files, no new kernel-doc warnings (base has $nbase; $((SECONDS - t0)) s)"
