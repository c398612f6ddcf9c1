#!/bin/bash
# Apply patches/series with git am onto a fresh branch.
#
#   apply.sh            the harness tree build/linux (branch $BRANCH from base)
#   apply.sh KSRC       your own kernel tree: a new branch from its HEAD;
#                       refuses a dirty tree and never touches your branches
. "$(dirname "$0")/lib.sh"

ksrc=${1:-}
tree=${ksrc:-$TREE}
[ -d "$tree/.git" ] || [ -f "$tree/.git" ] || die "$tree is not a git checkout"

mapfile -t patches < <(series_patches)
[ ${#patches[@]} -gt 0 ] || die "patches/series lists no patch"
for p in "${patches[@]}"; do
	[ -f "$p" ] || die "patches/series names $(basename "$p"), which is not in patches/"
done

if [ -n "$(git -C "$tree" status --porcelain --untracked-files=no)" ]; then
	git -C "$tree" status --short --untracked-files=no | head -n 10 >&2
	die "$tree has uncommitted changes: commit or stash them first (nothing was changed)"
fi

# The same series on the same base needs no new branch.
stamp=$BUILD/.applied
sum=$(cat "$TOP/patches/series" "${patches[@]}" | sha1sum | cut -c1-40)
if [ -z "$ksrc" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum $(git -C "$tree" rev-parse HEAD)" ]; then
	say "apply: series already applied on branch $BRANCH ($(git -C "$tree" rev-parse --short HEAD))"
	exit 0
fi

if [ -n "$ksrc" ]; then
	branch=tdx-page-array-$(date +%Y%m%d-%H%M%S)
	start=HEAD
else
	branch=$BRANCH
	start=$(base_rev "$tree")
	# Work committed on the branch but never exported is kept, not lost.
	if git -C "$tree" rev-parse -q --verify "refs/heads/$branch" >/dev/null &&
	   [ -f "$stamp" ] && [ "$(cut -d' ' -f2 "$stamp")" != "$(git -C "$tree" rev-parse "$branch")" ]; then
		saved=$branch-saved-$(date +%Y%m%d-%H%M%S)
		git -C "$tree" branch -f "$saved" "$branch"
		warn "branch $branch had commits that are not in patches/; kept them as $saved"
	fi
fi

say "apply: git am ${#patches[@]} patches onto a new branch $branch in $tree"
git -C "$tree" checkout -q -B "$branch" "$start"
id=()
git -C "$tree" config user.email >/dev/null || id=(-c user.name="tdx-page-array harness" -c user.email=harness@localhost)
if ! out=$(git -C "$tree" "${id[@]}" am --keep-cr "${patches[@]}" 2>&1); then
	printf '%s\n' "$out" | grep -E 'Patch failed at|error:|does not apply|conflict' >&2 || printf '%s\n' "$out" >&2
	git -C "$tree" am --abort >/dev/null 2>&1 || true
	failed=$(printf '%s\n' "$out" | sed -n 's/^Patch failed at \([0-9]*\) .*/\1/p')
	die "patch ${failed:-?} of patches/series does not apply on $(git -C "$tree" log -1 --format='%h %s' "$start"); reproduce: git -C $tree am $(printf '%s ' "${patches[@]}")"
fi
[ -n "$ksrc" ] || echo "$sum $(git -C "$tree" rev-parse HEAD)" > "$stamp"
git -C "$tree" log --oneline "$start"..HEAD | sed 's/^/    /'
say "apply: done: branch $branch"
