#!/bin/bash
# Fetch Debian's linux-source package once, turn it into a git repository
# with a single base commit (cached outside the clone, keyed by version),
# and check it out as a worktree at build/linux.
. "$(dirname "$0")/lib.sh"

make_base_repo() {
	local dl=$CACHE/download tmp deb tarball ver
	mkdir -p "$dl"
	deb=$(ls "$dl"/"$BASE_PKG"_*.deb 2>/dev/null | tail -n 1 || true)
	if [ -z "$deb" ]; then
		say "base: downloading $BASE_PKG from $BASE_SUITE (about 170 MB)"
		(cd "$dl" && "$TOP/scripts/apt-private.sh" "$BASE_SUITE" deb download "$BASE_PKG") ||
			die "could not download $BASE_PKG; check 'apt-get update' works on this machine"
		deb=$(ls "$dl"/"$BASE_PKG"_*.deb | tail -n 1)
	fi
	tmp=$CACHE/base.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	say "base: unpacking $(basename "$deb")"
	dpkg-deb -x "$deb" "$tmp/deb"
	tarball=$(ls "$tmp"/deb/usr/src/linux-source-*.tar.* | head -n 1)
	[ -n "$tarball" ] || die "no kernel tarball inside $deb"
	say "base: extracting $(basename "$tarball") (about 1.5 GB)"
	tar -xf "$tarball" -C "$tmp" --checkpoint=10000 --checkpoint-action=dot
	echo
	rm -rf "$tmp/deb"
	mv "$tmp"/linux-source-* "$tmp/repo"
	ver=$(basename "$deb" | sed -E 's/^[^_]+_([^_]+)_.*/\1/')
	(
		cd "$tmp/repo" || exit 1
		# Debian's tarball ignores everything at the top level in a
		# "Debian packaging" block at the end of .gitignore; drop it so
		# the kernel sources can be committed.
		sed -i '/^# Debian packaging/,$d' .gitignore
		git init -q -b base
		git config user.name "tdx-page-array harness"
		git config user.email "harness@localhost"
		git config gc.auto 0
		say "base: committing about 95,000 files (about a minute)"
		git add -A
		git commit -q -m "Linux $ver (Debian $BASE_PKG)" -m \
"Unpacked from Debian's $BASE_PKG $ver package.  The 'Debian packaging'
block at the end of the top-level .gitignore was dropped: it ignores
everything at the top level, so nothing could be committed otherwise."
	)
	echo "$ver" > "$tmp/VERSION"
	mkdir -p "$CACHE"
	rm -rf "$CACHE/base"
	mkdir "$CACHE/base"
	mv "$tmp/repo" "$CACHE/base/repo"
	mv "$tmp/VERSION" "$CACHE/base/VERSION"
	rmdir "$tmp"
	say "base: cached at $CACHE/base (Linux $ver)"
}

[ -f "$CACHE/base/VERSION" ] && git -C "$CACHE/base/repo" rev-parse -q --verify base >/dev/null ||
	make_base_repo

repo=$CACHE/base/repo
git -C "$repo" worktree prune
if [ ! -e "$TREE/.git" ]; then
	mkdir -p "$BUILD"
	say "base: checking out a worktree at $TREE"
	git -C "$repo" worktree add -q --detach "$TREE" base
fi
say "base: Linux $(base_version) at $TREE"
