#!/bin/bash
# Regenerate patches/ from the committed work branch in build/linux: git
# format-patch output and the series file.  The cover letter's text lives
# in patches/cover-letter.txt only (first line the subject, then the body:
# b4's branch-description convention); format-patch adds the shortlog and
# diffstat.  The subject prefix is SERIES_PREFIX (lib.sh: "RFC PATCH").
# Running it twice changes nothing.
. "$(dirname "$0")/lib.sh"

need_tree
base=$(base_rev)
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes: commit them (git commit --fixup, git rebase -i --autosquash) before exporting"
n=$(git -C "$TREE" rev-list --count "$base..HEAD")
[ "$n" -gt 0 ] || die "no commits on top of the base in build/linux"
text=$TOP/patches/cover-letter.txt
[ -f "$text" ] || die "no $text (the cover letter's subject line, a blank line, its body)"
cover=$TOP/patches/0000-cover-letter.patch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The cover letter is signed by the series' author, as the patches are.
who=$(git -C "$TREE" log -1 --format='%an <%ae>')
export GIT_AUTHOR_NAME=${who% <*} GIT_AUTHOR_EMAIL=${who##*<}
GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL%>}
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
format_series "$TREE" "$base" "$tmp/out"
# format-patch dates the cover letter now; keep the old date if nothing else changed.
if [ -f "$cover" ] && diff -q <(grep -v '^Date: ' "$cover") <(grep -v '^Date: ' "$tmp/out/0000-cover-letter.patch") >/dev/null; then
	cp "$cover" "$tmp/out/0000-cover-letter.patch"
fi

rm -f "$TOP"/patches/*.patch
cp "$tmp"/out/*.patch "$TOP/patches/"
{
	echo "# Apply in this order with 'git am'; 0000-cover-letter.patch is the cover letter."
	cd "$tmp/out" && printf '%s\n' [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-'
} >"$TOP/patches/series"
say "export: $n patches and a cover letter in patches/"
git -C "$TOP" status --short -- patches | sed 's/^/    /'
# The branch now matches patches/: make need not apply it again.
mapfile -t patches < <(series_patches)
echo "$(cat "$TOP/patches/series" "${patches[@]}" | sha1sum | cut -c1-40) $(git -C "$TREE" rev-parse HEAD)" >"$BUILD/.applied"
