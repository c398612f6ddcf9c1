#!/bin/bash
# Make sure a sparse that Linux 7.3 accepts is available, and print its path
# on stdout (everything else goes to stderr).
#
# Debian 12's sparse 0.6.4 has no __typeof_unqual__, so the kernel's
# scripts/checker-valid.sh rejects it and "make C=..." silently checks
# nothing.  Build sid's source package instead: only the sparse binary,
# which needs nothing but gcc and make, and cache it as
# $CACHE/sparse-<debian version>/bin/sparse.  Nothing is installed.
. "$(dirname "$0")/lib.sh"
exec 3>&1 1>&2		# progress to stderr; the path goes to fd 3

# The same test as the kernel's scripts/checker-valid.sh: a sparse that
# does not know __typeof_unqual__ reports an error on this.
sparse_ok() {
	local out
	[ -x "$1" ] || return 1
	out=$(printf '%s\n' 'static inline int u(const int *q)' '{' \
		'	__typeof_unqual__(*q) v = *q;' '	return v;' '}' |
		"$1" - 2>&1) || return 1
	! grep -q error <<<"$out"
}

cached=$(ls -d "$CACHE"/sparse-*/bin/sparse 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$cached" ] && sparse_ok "$cached"; then
	echo "$cached" >&3
	exit 0
fi

tmp=$(mktemp -d /tmp/sparse-build.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
say "sparse: fetching the unstable source package"
(cd "$tmp" && "$TOP/scripts/apt-private.sh" unstable deb-src \
	-o APT::Sandbox::User=root -q source --download-only sparse) >&2 ||
	die "could not download sparse's source package from unstable"
dsc=$(ls "$tmp"/sparse_*.dsc | head -n 1)
ver=$(sed -n 's/^Version: //p' "$dsc")
say "sparse: building sparse $ver (about 15 s)"
# apt checked the files against the signed Sources index; dpkg-source has
# no keyring for the uploader's .dsc signature, so keep its chatter quiet.
dpkg-source -x "$dsc" "$tmp/src" >"$tmp/unpack.log" 2>&1 ||
	{ cat "$tmp/unpack.log"; die "dpkg-source -x $(basename "$dsc") failed"; }
# Debian's packaging patches CC to its default gcc (gcc-16 in sid): use ours.
make -C "$tmp/src" -j"$JOBS" CC=gcc sparse >"$tmp/build.log" 2>&1 ||
	{ tail -n 20 "$tmp/build.log"; die "building sparse $ver failed"; }
sparse_ok "$tmp/src/sparse" || die "sparse $ver does not pass the kernel's checker-valid test"

dest=$CACHE/sparse-$ver
rm -rf "$dest.tmp"
mkdir -p "$dest.tmp/bin"
cp "$tmp/src/sparse" "$dest.tmp/bin/sparse"
rm -rf "$dest"
mv "$dest.tmp" "$dest"
say "sparse: cached at $dest/bin/sparse"
echo "$dest/bin/sparse" >&3
