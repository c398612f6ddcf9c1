#!/bin/bash
# Gate "commits": the commit messages of base..HEAD in $TREE are in
# x86/tip style: "x86/<area>: <Verb> ..." in the imperative, at most 75
# characters, a body of at least 40 words that says why, an
# "Assisted-by: LLM ..." trailer and no Signed-off-by (only the human
# submitter adds it).
. "$(dirname "$0")/lib.sh"
gate_init commits
IRREGULAR_PAST='Gave|Made|Took|Kept|Left|Got|Wrote|Ran|Brought|Found|Held|Sent|Went|Did|Had|Was|Were|Broke|Chose|Drew|Lost|Meant|Paid|Said|Told|Threw|Won'
need_tree
range=$(base_rev)..HEAD
bad_commits=0
for c in $(git -C "$TREE" rev-list --reverse "$range"); do
	subj=$(git -C "$TREE" log -1 --format=%s "$c")
	body=$(git -C "$TREE" log -1 --format=%b "$c")
	verb=$(sed -E 's/^x86\/[a-z\/]+: ([A-Za-z]+).*/\1/' <<<"$subj")
	bad=()
	[[ $subj =~ ^x86/[a-z/]+:\ [A-Z][a-z]+\  ]] || bad+=("subject is not 'x86/<area>: <Verb> ...'")
	[[ $verb =~ (ed|ing)$|[^s]s$|^($IRREGULAR_PAST)$ ]] && bad+=("subject verb '$verb' is not in the imperative")
	[ ${#subj} -le 75 ] || bad+=("subject longer than 75 characters")
	words=$(grep -v -E '^[A-Za-z-]+: ' <<<"$body" | wc -w)
	[ "$words" -ge 40 ] || bad+=("body has $words words; say why in at least a paragraph")
	grep -q '^Assisted-by: LLM' <<<"$body" || bad+=("no 'Assisted-by: LLM ...' trailer")
	! grep -q '^Signed-off-by:' <<<"$body" || bad+=("has a Signed-off-by; only the human submitter adds it")
	[ ${#bad[@]} -eq 0 ] && continue
	bad_commits=$((bad_commits + 1))
	printf '  %s %s\n' "$(git -C "$TREE" log -1 --format=%h "$c")" "$subj"
	printf '    - %s\n' "${bad[@]}"
done
n=$(git -C "$TREE" rev-list --count "$range")
[ "$bad_commits" -eq 0 ] || fail "$bad_commits of $n commit messages break the rules above"
pass "$n commit messages in x86/tip style (committed series; uncommitted edits are not checked)"
