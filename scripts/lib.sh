# shellcheck shell=bash
# Common settings and helpers for the harness scripts.  Sourced, not run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE_PKG=${BASE_PKG:-linux-source-7.3}
BASE_SUITE=${BASE_SUITE:-trixie-backports}
# Everything that is slow to make and safe to delete lives outside the clone.
CACHE=${TDX_PA_CACHE:-/var/cache/tdx-page-array}
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}
# Every clone checks out its own branch of the shared base repository
# (git refuses one branch in two worktrees): name it after the clone.
BRANCH=${BRANCH:-tdx-page-array-$(printf %s "$TOP" | sha1sum | cut -c1-8)}
JOBS=${JOBS:-$(nproc)}

# Debian's python3 first: the kernel's scripts (checkpatch's SPDX check)
# need python3-ply and python3-git, which deps.sh installs for it.
export PATH=/usr/bin:$PATH

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}

say()  { printf '>>> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# The base commit of the tree: the root of its history.
base_rev() { git -C "${1:-$TREE}" rev-list --max-parents=0 HEAD | tail -n 1; }

# Read the version string of the cached base tree (e.g. 7.3.9).
base_version() { cat "$CACHE/base/VERSION" 2>/dev/null || die "no base tree yet: run 'make base'"; }

# The series, in order, as listed in patches/series.
series_patches() {
	grep -v -e '^#' -e '^[[:space:]]*$' "$TOP/patches/series" | sed "s,^,$TOP/patches/,"
}
