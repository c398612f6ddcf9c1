#!/bin/bash
# Regenerate patches/ from the work branch in build/linux: git format-patch
# output, the cover letter (its text kept) and the series file.  Running
# it twice changes nothing.
. "$(dirname "$0")/lib.sh"

cd "$TREE"
base=$(base_rev)
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes: commit them (git commit --fixup, git rebase -i --autosquash) before exporting"
n=$(git rev-list --count "$base"..HEAD)
[ "$n" -gt 0 ] || die "no commits on top of the base in build/linux"

cover=$TOP/patches/0000-cover-letter.patch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The cover letter's subject and text come from the current cover letter;
# format-patch adds the up-to-date shortlog and diffstat.
if [ -f "$cover" ]; then
	# The Subject header may be folded over several lines.
	subject=$(awk '/^Subject: / { s = $0; f = 1; next } f && /^ / { s = s $0; next } { f = 0 }
		       END { sub(/^Subject: \[[^]]*\] /, "", s); print s }' "$cover")
	awk 'f && /^[A-Za-z].* \([0-9]+\):$/ { exit } f { print } /^$/ && !f { f = 1 }' "$cover" \
		| sed -e '${/^$/d}' > "$tmp/body"
	{ echo "$subject"; echo; cat "$tmp/body"; } > "$tmp/description"
	git config "branch.$(git symbolic-ref --short HEAD).description" "$(cat "$tmp/description")"
	cover_opts=(--cover-letter --cover-from-description=subject)
else
	cover_opts=(--cover-letter)
fi

# The cover letter is signed by the series' author, as the patches are.
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
GIT_AUTHOR_NAME=$(git log -1 --format=%an) GIT_AUTHOR_EMAIL=$(git log -1 --format=%ae)
GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
git format-patch -q --zero-commit --no-signature --subject-prefix="PATCH v3" \
	"${cover_opts[@]}" -o "$tmp/out" "$base"..HEAD

# Patches whose message opens with "RFC:" are posted as RFC: the tag goes
# in the subject prefix (git am drops bracketed prefixes from subjects).
for f in "$tmp"/out/[0-9]*.patch; do
	if awk '/^$/ { body = 1; next } body { exit !/^RFC:/ }' "$f"; then
		sed -i '0,/^Subject: \[PATCH /s//Subject: [RFC PATCH /' "$f"
	fi
done

# format-patch stamps the cover letter with the time of the run; keep the
# old stamp when nothing else changed.
if [ -f "$cover" ] &&
   diff -q <(grep -v '^Date: ' "$cover") <(grep -v '^Date: ' "$tmp/out/0000-cover-letter.patch") >/dev/null; then
	cp "$cover" "$tmp/out/0000-cover-letter.patch"
fi

rm -f "$TOP"/patches/*.patch
cp "$tmp"/out/*.patch "$TOP/patches/"
{
	echo "# Apply in this order with 'git am'; 0000-cover-letter.patch is the cover letter."
	(cd "$TOP/patches" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-')
} > "$TOP/patches/series"
say "export: $n patches and a cover letter in patches/"
git -C "$TOP" status --short -- patches | sed 's/^/    /'

# The branch now matches patches/: make need not apply it again.
sum=$(cat "$TOP/patches/series" $(series_patches) | sha1sum | cut -c1-40)
echo "$sum $(git rev-parse HEAD)" > "$BUILD/.applied"
