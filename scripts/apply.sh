#!/bin/bash
# Make sure the tree to test carries the series; never throw work away.
#
#   apply.sh        build/linux: apply patches/ (git am, branch $BRANCH from
#                   the base) when the branch has no series yet, or when
#                   patches/ changed and the branch holds nothing that was
#                   not exported.  Otherwise leave the tree as it is, or stop
#                   with one line saying what to do.
#   apply.sh KSRC   your tree: if its last commits are the series, use it as
#                   it is; else apply on a new branch from HEAD (refuses
#                   uncommitted changes, never touches your branches).
# The stamp $BUILD/.applied holds "<hash of patches/> <commit>" of the last
# apply or export.
. "$(dirname "$0")/lib.sh"

ksrc=${1:-}
tree=${ksrc:-$TREE}
[ -e "$tree/.git" ] || die "$tree is not a git checkout"
mapfile -t patches < <(series_patches)
[ ${#patches[@]} -gt 0 ] || die "patches/series lists no patch"
sum=$(cat "$TOP/patches/series" "${patches[@]}" | sha1sum | cut -c1-40)
stamp=$BUILD/.applied
head=$(git -C "$tree" rev-parse HEAD)
dirty=$(git -C "$tree" status --porcelain --untracked-files=no | wc -l)

# Are the last commits of TREE the series (same subjects, same order)?
series_on_top() {
	[ "$(git -C "$tree" log -n ${#patches[@]} --reverse --format=%s)" = \
	  "$(for p in "${patches[@]}"; do patch_subject "$p"; done)" ]
}

if [ -n "$ksrc" ]; then
	if series_on_top; then
		say "apply: the series is already on top of $ksrc ($(git -C "$tree" log -1 --format='%h %s')); testing it as it is"
		exit 0
	fi
	[ "$dirty" -eq 0 ] || die "$ksrc has uncommitted changes and does not end with the series: commit or stash them first"
	branch=tdx-page-array-$(date +%Y%m%d-%H%M%S) start=HEAD
else
	base=$(base_rev)
	ahead=$(git -C "$tree" rev-list --count "$base..HEAD")
	if [ "$ahead" -gt 0 ]; then
		read -r ssum shead 2>/dev/null <"$stamp" || { ssum=''; shead=''; }
		n="$ahead commits, $dirty file(s) with uncommitted edits"
		if [ "$ssum" = "$sum" ]; then
			say "apply: testing $tree as it is ($n)"
			exit 0
		fi
		[ "$shead" = "$head" ] && [ "$dirty" -eq 0 ] ||
			die "patches/ changed, and the work branch has work that is not in patches/ ($n): run 'make export' and merge, or 'make distclean' to drop it"
		say "apply: patches/ changed and the work branch holds nothing else: applying it again"
	fi
	branch=$BRANCH start=$base
fi

say "apply: git am ${#patches[@]} patches onto a new branch $branch in $tree"
git -C "$tree" checkout -q -B "$branch" "$start"
id=()
git -C "$tree" config user.email >/dev/null || id=(-c user.name="tdx-page-array harness" -c user.email=harness@localhost)
am=(git -C "$tree" "${id[@]}" am --keep-cr "${patches[@]}")
if ! out=$("${am[@]}" 2>&1); then
	printf '%s\n' "$out" | grep -E 'Patch failed at|error:|does not apply|conflict' >&2 || printf '%s\n' "$out" >&2
	git -C "$tree" am --abort >/dev/null 2>&1 || true
	die "patches/series does not apply on $(git -C "$tree" log -1 --format='%h %s' "$start"): $(quote "${am[@]}")"
fi
[ -n "$ksrc" ] || echo "$sum $(git -C "$tree" rev-parse HEAD)" >"$stamp"
git -C "$tree" log --oneline "$start"..HEAD | sed 's/^/    /'
say "apply: done: branch $branch"
