#!/bin/bash
# Gate "size": "+" lines the series adds to the core TDX files, per patch,
# split into "users" (subjects matching USERS) and "core" (the rest), with
# budgets.  "gate-size.sh --table" (make size) prints the table only.
. "$(dirname "$0")/lib.sh"
FILES=(arch/x86/virt/vmx/tdx/tdx.c arch/x86/virt/vmx/tdx/tdx.h arch/x86/include/asm/tdx.h)
USERS=(extension debugfs SPDM 'IOMMU.*wrapper|wrappers' document)	# case-insensitive; docs count as users (the issue counts tdx.h kernel-doc there)
BUDGET_TOTAL=900 BUDGET_CORE=560 BUDGET_USERS=340
[ "${1:-}" = --table ] || gate_init size

users=$(IFS='|'; echo "${USERS[*]}")
total=0 core=0 user=0
printf '%-6s %5s  %s\n' part lines patch
while read -r p; do
	n=$(awk -v files=" ${FILES[*]} " '
		/^diff --git / { f = index(files, " " substr($3, 3) " ") > 0; hunk = 0; next }
		/^@@ / { hunk = 1; next }
		hunk && f && /^\+/ { n++ }
		END { print n + 0 }' "$p")
	part=core
	patch_subject "$p" | grep -qiE "$users" && part=users
	printf '%-6s %5d  %s\n' "$part" "$n" "$(basename "$p")"
	total=$((total + n))
	if [ "$part" = core ]; then core=$((core + n)); else user=$((user + n)); fi
done < <(series_patches)
printf '%-6s %5d  (budget %d)\n%-6s %5d  (budget %d)\n%-6s %5d  (budget %d)\n' \
	core "$core" "$BUDGET_CORE" users "$user" "$BUDGET_USERS" total "$total" "$BUDGET_TOTAL"
[ "${1:-}" = --table ] && exit 0
over=()
[ "$total" -le "$BUDGET_TOTAL" ] || over+=("total $total > $BUDGET_TOTAL")
[ "$core" -le "$BUDGET_CORE" ] || over+=("core $core > $BUDGET_CORE")
[ "$user" -le "$BUDGET_USERS" ] || over+=("users $user > $BUDGET_USERS")
[ "${#over[@]}" -eq 0 ] || fail "over budget: $(IFS=,; echo "${over[*]}" | sed 's/,/, /g') (lines added to ${FILES[*]})"
pass "core $core, users $user, total $total lines within budget"
