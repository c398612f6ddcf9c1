#!/bin/bash
# Gate "docs": every .rst file the series touches renders with docutils
# (scripts/rst-check.py) with no problem at the tip that the base does not
# have: docutils messages (line numbers ignored), list-tables whose
# rendered rows differ from their "* -" lines, simple tables with wrapped
# rows.  The kernel's Sphinx is not needed.
. "$(dirname "$0")/lib.sh"
gate_init docs
need_tree
base=$(base_rev)
mapfile -t files < <(changed_files "$base..HEAD" | grep '\.rst$' || true)
[ "${#files[@]}" -gt 0 ] || pass "the series touches no .rst file"
tmp=$(mktemp -d /tmp/gate-docs.XXXXXX)
# shellcheck disable=SC2034  # on_exit removes it
CLEANUP=$tmp
for f in "${files[@]}"; do
	for side in base tip; do
		rev=$base
		[ "$side" = base ] || rev=HEAD
		git -C "$TREE" show "$rev:$f" >"$tmp/$side.rst" 2>/dev/null || : >"$tmp/$side.rst"
		python3 "$TOP/scripts/rst-check.py" "$f" "$tmp/$side.rst" | sort >"$tmp/$side.out"
	done
	comm -13 "$tmp/base.out" "$tmp/tip.out" >>"$tmp/new"
done
touch "$tmp/new"
if [ -s "$tmp/new" ]; then
	cat "$tmp/new"
	fail "$(wc -l <"$tmp/new") new problem(s) in the committed .rst files; first: $(head -n 1 "$tmp/new")"
fi
pass "${#files[@]} .rst file(s) as committed render with no new problem"
