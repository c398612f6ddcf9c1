#!/bin/bash
# Install the Debian packages the harness needs, and only those missing.
. "$(dirname "$0")/lib.sh"

PKGS=(git make gcc bc bison flex libelf-dev libssl-dev perl python3
      python3-docutils python3-ply python3-git xz-utils ccache qemu-system-x86 dpkg-dev cpio kmod
      rsync ca-certificates)

# One dpkg-query for all: it prints nothing for a package it does not know.
mapfile -t have < <(dpkg-query -W -f='${Package} ${Status}\n' "${PKGS[@]}" 2>/dev/null | awk '/ ok installed$/ { print $1 }')
missing=()
for p in "${PKGS[@]}"; do
	[[ " ${have[*]} " == *" $p "* ]] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	say "deps: all ${#PKGS[@]} packages present"
	exit 0
fi
[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}): run as root or 'apt-get install ${missing[*]}'"
say "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q || die "apt-get update failed"
apt-get install -y -q --no-install-recommends "${missing[@]}" ||
	die "apt-get install ${missing[*]} failed"
