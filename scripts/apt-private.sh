#!/bin/bash
# apt-get with a private configuration that sees one extra Debian suite,
# built from this machine's own mirror URI, so the system's apt state is
# never touched.  Usage: apt-private.sh SUITE [deb|deb-src] APT-GET-ARGS...
. "$(dirname "$0")/lib.sh"

suite=$1 type=$2
shift 2

mirror_uri() {
	local f uri
	# deb822 sources first, then one-line sources; skip the security archive.
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		uri=$(awk '/^URIs:/ { print $2 }' "$f" | grep -v -e security -e '^$' | head -n 1)
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { print $i; exit } }' "$f" |
		      grep -v security | head -n 1)
		[ -n "$uri" ] && { echo "$uri"; return; }
	done
}

uri=$(mirror_uri)
[ -n "$uri" ] || die "no Debian mirror URI found in /etc/apt/sources.list{,.d/*}; add one, or set it up by hand"

dir=$CACHE/apt-$suite
mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/etc"
printf '%s [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
	"$type" "$uri" "$suite" > "$dir/etc/sources.list"

opts=(-o "Dir::Etc::SourceList=$dir/etc/sources.list"
      -o "Dir::Etc::SourceParts=/dev/null"
      -o "Dir::State::Lists=$dir/lists"
      -o "Dir::Cache::Archives=$dir/archives"
      -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
      -o "APT::Get::List-Cleanup=0")

# Refresh the index at most once a day.
stamp=$dir/lists/.updated
if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
	apt-get "${opts[@]}" update -q >&2 || die "apt-get update for $suite from the machine's mirror failed"
	touch "$stamp"
fi
exec apt-get "${opts[@]}" "$@"
