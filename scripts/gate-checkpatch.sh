#!/bin/bash
# Gate "checkpatch": the committed series (base..HEAD of $TREE) is clean
# under checkpatch.pl --strict, by its own exit status.  MISSING_SIGN_OFF
# is ignored (only the human submitter signs off, see README), and
# FILE_PATH_CHANGES too, when get_maintainer.pl puts every file the series
# adds or renames in the TDX entry of MAINTAINERS.
. "$(dirname "$0")/lib.sh"
gate_init checkpatch
need_tree
ENTRY='X86 TRUST DOMAIN EXTENSIONS (TDX)'
cd "$TREE" || die "no $TREE"
range=$(base_rev)..HEAD
cp=(./scripts/checkpatch.pl --strict --terse --show-types --ignore "MISSING_SIGN_OFF,FILE_PATH_CHANGES" -g "$range")
pre="cd $TREE && "
"${cp[@]}" || REPRO_PRE=$pre fail "checkpatch messages above (committed patches; uncommitted edits are not checked)" "${cp[@]}"
outside=()
while read -r f; do
	sections=$(./scripts/get_maintainer.pl --nogit --nogit-fallback --nokeywords --sections -f "$f" 2>&1 || true)
	grep -qxF "$ENTRY" <<<"$sections" || outside+=("$f")
done < <(git diff --name-only --diff-filter=AR "$range")
[ "${#outside[@]}" -eq 0 ] || REPRO_PRE=$pre fail "new files outside the MAINTAINERS entry '$ENTRY': ${outside[*]}" \
	./scripts/get_maintainer.pl --sections -f "${outside[@]}"
pass "$(git rev-list --count "$range") committed patches clean (--strict); uncommitted edits are not checked"
