#!/bin/bash
# Gate "checkpatch": every patch of the series (not the cover letter) is
# clean under "checkpatch.pl --strict --ignore MISSING_SIGN_OFF", run in
# $TREE so that it uses the tree's spelling and const_structs lists.
#
# The one accepted message is FILE_PATH_CHANGES ("added, moved or deleted
# file(s), does MAINTAINERS need updating?"), and only when every file the
# patch adds, renames or deletes belongs to the MAINTAINERS entry
# "X86 TRUST DOMAIN EXTENSIONS (TDX)" (that entry matches paths with its
# "N: tdx" pattern).  The mapping is asked of get_maintainer.pl by path only
# (--nokeywords, so a file's contents cannot pull it in), through a one-file
# diff, because "get_maintainer.pl -f" refuses files missing from $TREE.
#
# Usage: scripts/gate-checkpatch.sh
# Env:   TREE (see lib.sh); PATCHES_DIR to check the patches of another
#        folder (its "series" file, else its *.patch in name order).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

ENTRY='X86 TRUST DOMAIN EXTENSIONS (TDX)'
CHECKPATCH=(./scripts/checkpatch.pl --strict --ignore MISSING_SIGN_OFF)

. "$(dirname "$0")/gate-lib.sh"
gate_init checkpatch "${PATCHES_DIR:+PATCHES_DIR=$PATCHES_DIR }$TOP/scripts/gate-checkpatch.sh"

patches() {
	if [ -z "${PATCHES_DIR:-}" ]; then
		series_patches
	elif [ -f "$PATCHES_DIR/series" ]; then
		grep -v -e '^#' -e '^[[:space:]]*$' "$PATCHES_DIR/series" | sed "s,^,$PATCHES_DIR/,"
	else
		ls "$PATCHES_DIR"/*.patch
	fi
}

# Files a patch adds, renames (both names) or deletes.
path_changes() {
	awk '/^diff --git / { a = substr($3, 3); b = substr($4, 3) }
	     /^new file mode/ { print b }
	     /^deleted file mode/ { print a }
	     /^rename from / { print substr($0, 13) }
	     /^rename to / { print substr($0, 11) }' "$1" | sort -u
}

# Does get_maintainer.pl put FILE in the TDX entry?
tdx_maintained() {
	local sections
	sections=$(printf 'diff --git a/%s b/%s\n--- a/%s\n+++ b/%s\n@@ -1 +1 @@\n-x\n+x\n' "$1" "$1" "$1" "$1" |
		./scripts/get_maintainer.pl --nogit --nogit-fallback --nokeywords --sections 2>&1)
	grep -qxF "$ENTRY" <<<"$sections"
}

[ -x "$TREE/scripts/checkpatch.pl" ] || die "no $TREE/scripts/checkpatch.pl: run scripts/base.sh first"
cd "$TREE" || die "cannot cd to $TREE"
mapfile -t all < <(patches)
[ "${#all[@]}" -gt 0 ] || die "no patches listed${PATCHES_DIR:+ in $PATCHES_DIR}"
failed=() n=0
for p in "${all[@]}"; do
	[ -f "$p" ] || die "missing patch $p"
	case $(basename "$p") in 0000-cover-letter.patch) continue ;; esac
	n=$((n + 1))
	say "checkpatch $(basename "$p")"
	out=$("${CHECKPATCH[@]}" --show-types "$p" 2>&1 || true)
	# The messages: blocks that start with ERROR:, WARNING: or CHECK:.
	bad=$(awk '/^(ERROR|WARNING|CHECK):/ { blk = 1 } /^$/ { if (blk) print ""; blk = 0 } blk' <<<"$out")
	if grep -q '^WARNING:FILE_PATH_CHANGES:' <<<"$bad"; then
		outside=()
		while read -r f; do
			[ -n "$f" ] || continue
			tdx_maintained "$f" || outside+=("$f")
		done < <(path_changes "$p")
		if [ "${#outside[@]}" -eq 0 ]; then
			say "  FILE_PATH_CHANGES accepted: $(path_changes "$p" | tr '\n' ' ')all in '$ENTRY'"
			bad=$(awk '/^WARNING:FILE_PATH_CHANGES:/ { skip = 1 } /^$/ { skip = 0 } !skip' <<<"$bad")
		else
			bad+=$'\n'"WARNING:FILE_PATH_CHANGES: (gate) ${outside[*]}: not in the MAINTAINERS entry '$ENTRY'"
		fi
	fi
	if ! grep -q '^total: ' <<<"$out"; then
		bad=$out$'\n'"ERROR: (gate) checkpatch did not finish"
	fi
	if grep -q -E '^(ERROR|WARNING|CHECK):' <<<"$bad"; then
		echo "== $(basename "$p")"
		cat -s <<<"$bad" | sed 's/^/  /'
		# For the summary: the gate's own verdict on FILE_PATH_CHANGES, or
		# checkpatch's first message.
		[ "${#failed[@]}" -gt 0 ] ||
			first="$(basename "$p"): $( (grep -m1 '(gate)' <<<"$bad" ||
				grep -m1 -E '^(ERROR|WARNING|CHECK):' <<<"$bad") | head -n 1)"
		failed+=("$p")
	fi
done

[ "${#failed[@]}" -eq 0 ] && pass "$n patches clean (--strict)"
fail "${#failed[@]} of $n patches have checkpatch messages; first: $first" \
	"cd $TREE && ${CHECKPATCH[*]} ${failed[*]}"
