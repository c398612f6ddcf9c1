#!/bin/bash
# The Debian packages the harness needs: as root, install those missing;
# as anyone else, pass if all are there, else print the one apt-get line
# to run and fail (nothing else in the harness needs root).
. "$(dirname "$0")/lib.sh"

PKGS=(git make gcc bc bison flex libelf-dev libssl-dev perl python3
      python3-docutils python3-ply python3-git xz-utils ccache qemu-system-x86 dpkg-dev cpio kmod
      rsync ca-certificates
      python3-sphinx python3-yaml	# the docs gate: the kernel's "make htmldocs"
      b4 git-email libmailtools-perl libauthen-sasl-perl libio-socket-ssl-perl)	# make send: b4, git send-email (SMTP with TLS and login)

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
if [ "$(id -u)" -ne 0 ]; then
	printf 'ERROR: missing Debian packages; install them as root, then run make again:\n  apt-get install --no-install-recommends %s\n' "${missing[*]}" >&2
	exit 1
fi
say "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q || die "apt-get update failed"
apt-get install -y -q --no-install-recommends "${missing[@]}" ||
	die "apt-get install ${missing[*]} failed"
