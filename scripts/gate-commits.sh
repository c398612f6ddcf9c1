#!/bin/bash
# Commit messages in x86/tip style: a "x86/virt/tdx: " (or another x86
# area) subject in the imperative, a body that says why, an Assisted-by
# trailer, and no Signed-off-by (only the human submitter adds one).
. "$(dirname "$0")/lib.sh"

cd "$TREE"
fail=0
for c in $(git rev-list --reverse "$(base_rev)"..HEAD); do
	subj=$(git log -1 --format=%s "$c")
	body=$(git log -1 --format=%b "$c")
	bad=()
	[[ $subj =~ ^(\[RFC\]\ )?x86/[a-z/]+:\ [A-Z][a-z]+\  ]] || bad+=("subject is not 'x86/<area>: <Verb> ...'")
	verb=$(sed -E 's/^(\[RFC\] )?x86\/[a-z\/]+: ([A-Za-z]+).*/\2/' <<<"$subj")
	[[ $verb =~ (ed|ing)$ ]] && bad+=("subject verb '$verb' is not in the imperative")
	[[ $verb =~ [^s]s$ ]] && bad+=("subject verb '$verb' is not in the imperative")
	[ ${#subj} -le 75 ] || bad+=("subject longer than 75 characters")
	words=$(grep -v -E '^[A-Za-z-]+: ' <<<"$body" | wc -w)
	[ "$words" -ge 40 ] || bad+=("body has $words words; say why in at least a paragraph")
	grep -q '^Assisted-by: LLM' <<<"$body" || bad+=("no 'Assisted-by: LLM ...' trailer")
	grep -q '^Signed-off-by:' <<<"$body" && bad+=("has a Signed-off-by; only the human submitter adds it")
	if [ ${#bad[@]} -gt 0 ]; then
		fail=1
		printf '  %s %s\n' "$(git log -1 --format=%h "$c")" "$subj"
		printf '    - %s\n' "${bad[@]}"
	fi
done
n=$(git rev-list --count "$(base_rev)"..HEAD)
if [ "$fail" -eq 0 ]; then
	echo "PASS commits: $n commit messages in x86/tip style"
else
	echo "FAIL commits: commit messages above"
	echo "  reproduce: git -C $TREE log $(base_rev)..HEAD; make check-commits"
	exit 1
fi
