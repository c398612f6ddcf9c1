# shellcheck shell=bash
# The harness library, sourced by every script: settings, the gate
# contract (one PASS or FAIL line, then "reproduce:"), and what several
# gates share (changed files, warning comparison, the object table).

set -euo pipefail
# LC_ALL decides; LANG is fixed too because ccache hashes it: one value
# for every user and shell, so that they share the cache.
export LC_ALL=C LANG=C.UTF-8

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE_PKG=${BASE_PKG:-linux-source-7.3}
BASE_SUITE=${BASE_SUITE:-trixie-backports}
SERIES_PREFIX=${SERIES_PREFIX:-RFC PATCH}	# "[RFC PATCH n/N]" in make export: the first posting
# Everything that is slow to make and safe to delete lives outside the clone:
# /var/cache/tdx-page-array when this user may write there, else the
# user's own cache folder (no root needed).
default_cache() {
	local sys=/var/cache/tdx-page-array
	if [ -w "$sys" ] || { [ ! -e "$sys" ] && [ -w "${sys%/*}" ]; }; then echo "$sys"
	else echo "${XDG_CACHE_HOME:-$HOME/.cache}/tdx-page-array"; fi
}
CACHE=${TDX_PA_CACHE:-$(default_cache)}
BUILD=${BUILD:-$TOP/build}
TREE=${TREE:-$BUILD/linux}
# One branch per clone (git allows a branch in one worktree only).
BRANCH=${BRANCH:-tdx-page-array-$(printf %s "$TOP" | sha1sum | cut -c1-8)}
JOBS=${JOBS:-$(nproc)}
KUNITCONFIG_REL=arch/x86/virt/vmx/tdx/.kunitconfig
CC_ARG=CC="ccache gcc"

# Debian's python3 first: the kernel's scripts need python3-ply/-git.
export PATH=/usr/bin:$PATH
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache} CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$BUILD}

say()  { printf '>>> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
quote() { local q; q=$(printf '%q ' "$@"); printf '%s' "${q% }"; }

# The commit the series sits on: BASE_REV, else the root of the history.
base_rev() { echo "${BASE_REV:-$(git -C "$TREE" rev-list --max-parents=0 HEAD | tail -n 1)}"; }
base_version() { cat "$CACHE/base/VERSION" 2>/dev/null || die "no base tree yet: run 'make base'"; }
need_tree() { [ -e "$TREE/.git" ] || die "no kernel tree at $TREE: run make"; }

# lock NAME: hold $BUILD/locks/NAME.lock until this script (and the
# children it starts) exit.  Every script that uses a shared worktree or
# object folder takes its lock first, so gates run alone or side by side.
LOCK_FDS=()
lock() {
	local fd
	mkdir -p "$BUILD/locks"
	exec {fd}>"$BUILD/locks/$1.lock"
	LOCK_FDS+=("$fd")
	flock -n "$fd" || { say "waiting for $1 (another gate or make is using it)"; flock "$fd"; }
}

# In a background job that may outlive the script: let go of the locks.
unlock_in_child() { local fd; for fd in "${LOCK_FDS[@]}"; do eval "exec $fd>&-"; done; }

# The harness-free KUnit command of README.md ("tools/testing/kunit/kunit.py
# run ..." in one block, lines joined at a trailing backslash), as words
# separated by NULs.  The kunit gates run exactly this, adding only what
# README.md says they add.
readme_kunit_run() {
	awk '/^tools\/testing\/kunit\/kunit\.py run / { on = 1 }
	     on { l = $0; c = sub(/\\$/, "", l); printf "%s ", l; n++; if (!c) on = 0 }
	     END { if (!n) exit 1 }' "$TOP/README.md" |
		python3 -c 'import shlex, sys; sys.stdout.write("".join(w + "\0" for w in shlex.split(sys.stdin.read())))'
}

# The series, in order, as listed in patches/series (or $PATCHES/series).
series_patches() {
	local d=${PATCHES:-$TOP/patches}
	grep -v -e '^#' -e '^[[:space:]]*$' "$d/series" | sed "s,^,$d/,"
}
# A patch's subject, unfolded, without its "[PATCH ...]" prefix.
patch_subject() {
	awk '/^Subject: / { s = substr($0, 10); f = 1; next } f && /^[ \t]/ { s = s $0; next }
	     f { sub(/^\[[^]]*\] */, "", s); print s; exit }' "$1"
}
# Files a commit (or a range A..B) adds or modifies.
changed_files() {
	case $1 in
	*..*) git -C "$TREE" diff --name-only --diff-filter=d "$1" ;;
	*)    git -C "$TREE" diff-tree --no-commit-id --name-only -r --diff-filter=d "$1" ;;
	esac
}

# git format-patch of BASE..HEAD in the work tree DIR into OUT, as
# patches/ holds it: "[$SERIES_PREFIX n/N]" (the prefix comes from the
# tools, never from commit messages), a cover letter whose subject and
# text are patches/cover-letter.txt (the branch description).
format_series() {  # DIR BASE OUT
	git -C "$1" config "branch.$(git -C "$1" symbolic-ref --short HEAD).description" "$(cat "$TOP/patches/cover-letter.txt")"
	git -C "$1" format-patch -q --zero-commit --no-signature --subject-prefix="$SERIES_PREFIX" \
		--cover-letter --cover-from-description=subject -o "$3" "$2..HEAD"
}

# Who gets PATCH...: "To: ..." (maintainers and reviewers) and "Cc: ..."
# (lists, minus the To addresses), from the kernel's get_maintainer.pl in
# KERNEL-DIR without git (MAINTAINERS only); GM_MPATH: another MAINTAINERS.
recipients() {  # KERNEL-DIR PATCH...
	local k=$1 p; shift
	local gm=(perl scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats --no-tree)
	[ -z "${GM_MPATH:-}" ] || gm+=(--mpath "$GM_MPATH")
	for p; do (cd "$k" && "${gm[@]}" --no-l "$p") | sed 's/^/T /'; done
	for p; do (cd "$k" && "${gm[@]}" --no-m --no-r "$p") | sed 's/^/C /'; done
}
recipient_lines() {  # the output of recipients: "To: a, b" and "Cc: c, d"
	awk '{ k = $1; sub(/^[TC] /, "") }
	     k == "T" && !($0 in to) { to[$0] = 1; t = t (t == "" ? "" : ", ") $0 }
	     k == "C" && !($0 in to) && !($0 in cc) { cc[$0] = 1; c = c (c == "" ? "" : ", ") $0 }
	     END { print "To: " t; print "Cc: " c }'
}

# --- the gate contract --------------------------------------------------
# gate_init NAME; then pass MESSAGE, or fail MESSAGE [COMMAND WORDS...].
# Without a command, "reproduce:" is "make check-NAME"; REPRO_PRE is put
# before the command (e.g. "cd DIR && ").
verdict=
pass() { verdict=1; echo "PASS $GATE: $1"; exit 0; }
fail() {
	local msg=$1; shift
	verdict=1
	echo "FAIL $GATE: $msg"
	if [ $# -gt 0 ]; then echo "  reproduce: ${REPRO_PRE:-}$(quote "$@")"
	else echo "  reproduce: $(quote make -C "$TOP" "check-$GATE")"; fi
	exit 1
}
# shellcheck disable=SC2317  # called through the EXIT trap
on_exit() {
	local rc=$?
	[ -z "${CLEANUP:-}" ] || rm -rf "$CLEANUP"
	[ -n "$verdict" ] && return
	REPRO_PRE='' fail "stopped early (exit $rc), see the messages above"
}
gate_init() {
	GATE=$1
	trap on_exit EXIT
	die() { printf 'ERROR: %s\n' "$*" >&2; REPRO_PRE='' fail "$*"; }
}

# --- warnings: compared with the base, line numbers ignored ----------------
# A log without colours and without the tree's path (absolute, or relative
# to an object folder under $BUILD through ccache's base directory).
clean_log() {
	sed -E -e 's/\x1b\[[0-9;]*[mK]//g' -e "s#$TREE/##g" \
	       -e "s#$BUILD/(bisect-src|linux|scratch-src|obj-docs-base|obj-docs-tip)/##g" \
	       -e 's#(\.\./)+(bisect-src|linux|scratch-src)/##g' "$1"
}
normalize() { sed -E 's/:[0-9]+(:[0-9]+)?([: ])/:\2/g'; }
warnings_of() {  # LOG: its normalized warnings and errors, sorted
	clean_log "$1" | grep -E '(^|[[:space:]])([Ww]arning|WARNING|[Ee]rror|ERROR|CRITICAL):' | normalize | sort || true
}
new_warnings() { comm -13 <(warnings_of "$1") <(warnings_of "$2"); }  # BASE-LOG TIP-LOG
# The lines of LOG whose normalized form is in NEW-FILE, with gcc's excerpt.
show_new() {
	clean_log "$1" >"$1.clean"
	normalize <"$1.clean" >"$1.norm"
	awk -v newf="$2" -v normf="$1.norm" '
		BEGIN { while ((getline l < newf) > 0) want[l] = 1 }
		{ getline m < normf }
		ctx && /^ +[0-9]* \|/ { print "    " $0; next }
		{ ctx = 0 }
		m in want { print "    " $0; ctx = 1 }' "$1.clean"
}

# --- building single objects (bisect, sparse) ------------------------------
SRC=$BUILD/bisect-src	# a detached worktree that walks the commits
MAKE_ARGS=(W=1 "$CC_ARG")
# Touched file (glob) -> objects that compile it, each with the option that
# builds it.  Headers map to their main includers.  Nothing else is parsed.
OBJ_TABLE=(
	'arch/x86/virt/vmx/tdx/*		arch/x86/virt/vmx/tdx/tdx.o:INTEL_TDX_HOST'
	'arch/x86/include/asm/tdx*.h		arch/x86/virt/vmx/tdx/tdx.o:INTEL_TDX_HOST arch/x86/kvm/vmx/tdx.o:KVM_INTEL_TDX arch/x86/kvm/vmx/main.o:KVM_INTEL drivers/virt/coco/tdx-host/tdx-host.o:TDX_HOST_SERVICES'
	'drivers/virt/coco/tdx-host/*		drivers/virt/coco/tdx-host/tdx-host.o:TDX_HOST_SERVICES'
	'arch/x86/kvm/vmx/*			arch/x86/kvm/vmx/tdx.o:KVM_INTEL_TDX arch/x86/kvm/vmx/main.o:KVM_INTEL'
)
ALWAYS_OBJ=arch/x86/virt/vmx/tdx/tdx.o:INTEL_TDX_HOST

config_on() { grep -qE "^CONFIG_$2=[ym]" "$1/.config"; }  # DIR SYMBOL
# The objects to build in DIR for FILES (bisect-src at the commit).
touched_objects() {  # DIR FILE...
	local o=$1 f row glob e; shift
	for e in $ALWAYS_OBJ $(for f; do for row in "${OBJ_TABLE[@]}"; do
			glob=${row%%[[:space:]]*}
			# shellcheck disable=SC2053  # glob match on purpose
			[[ $f == $glob ]] && echo "${row#*[[:space:]]}"
		done; done); do
		[ -f "$SRC/${e%%.o:*}.c" ] && config_on "$o" "${e#*:}" && echo "${e%%:*}"
	done | sort -u
}
# A worktree of $TREE of one's own, DIR, at REV with nothing else in it:
# created when missing (NAME says who in the message).
own_worktree() {  # NAME DIR REV
	if ! is_worktree "$2"; then
		say "$1: creating the worktree $2"
		rm -rf "$2"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$2" "$3"
	fi
	git -C "$2" reset -q --hard "$3"
	git -C "$2" clean -q -fd
}

# Whether DIR is the top of a work tree (else git would find an outer one).
is_worktree() {
	[ -d "$1" ] && [ "$(git -C "$1" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$1" && pwd -P)" ]
}
src_checkout() {  # REV: put bisect-src there (created on first use)
	if ! is_worktree "$SRC" || ! git -C "$SRC" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		say "creating the worktree $SRC (about 30 s)"
		rm -rf "$SRC"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$SRC" "$1"
	else
		git -C "$SRC" checkout -q -f --detach "$1"
	fi
}
# Config fragments: the tip's .kunitconfig without -Werror (the gates
# compare every warning with the base), and the same with KUnit off.
fragment_on() {
	{ git -C "$TREE" show "HEAD:$KUNITCONFIG_REL"; echo '# CONFIG_WERROR is not set'; } |
		grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)'
}
fragment_off() {
	{ fragment_on | sed -E 's/^(# )?CONFIG_([A-Za-z0-9_]*(KUNIT[A-Za-z0-9_]*|_TEST))(=.*| is not set)$/# CONFIG_\2 is not set/'
	  echo '# CONFIG_KUNIT is not set'; } | awk '!seen[$0]++'
}
# Configure DIR for the commit bisect-src is at: defconfig once, then the
# fragment and olddefconfig (symbols the commit lacks are dropped); at the
# tip every option of the fragment must have its value.
obj_config() {  # DIR FRAGMENT-FILE IS-TIP(0/1)
	local o=$1 frag=$2 line sym want have
	local mkcfg=(make -C "$SRC" O="$o" "${MAKE_ARGS[@]}")
	mkdir -p "$o"
	if [ ! -f "$o/.config" ] || ! cmp -s "$frag" "$o/harness.fragment"; then
		"${mkcfg[@]}" defconfig >"$o/harness-config.log" 2>&1 || { tail -n 20 "$o/harness-config.log"; die "make defconfig in $o failed"; }
		cp "$frag" "$o/harness.fragment"
	fi
	cat "$frag" >>"$o/.config"
	"${mkcfg[@]}" olddefconfig >"$o/harness-config.log" 2>&1 || { tail -n 20 "$o/harness-config.log"; die "make olddefconfig in $o failed"; }
	[ "$3" = 1 ] || return 0
	while read -r line; do
		case $line in
		'# CONFIG_'*) sym=${line#\# CONFIG_}; sym=${sym% is not set}; want=n ;;
		*) sym=${line%%=*}; sym=${sym#CONFIG_}; want=${line#*=} ;;
		esac
		have=$(sed -n -e "s/^CONFIG_$sym=//p" -e "s/^# CONFIG_$sym is not set\$/n/p" "$o/.config")
		[ "$want" = n ] && [ -z "$have" ] && continue
		[ "$have" = "$want" ] || die "$o/.config has CONFIG_$sym=${have:-<absent>}, $frag wants $want (missing dependency?)"
	done <"$frag"
}
