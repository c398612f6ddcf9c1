#!/bin/bash
# Gate "bisect": every commit of the series (base..HEAD of $TREE) builds the
# objects it touches with W=1 and no new warning, with KUnit on and off.
#
# Usage: scripts/gate-bisect.sh
# Env:   TREE, BUILD, JOBS (see lib.sh); CCACHE_BASEDIR (default $BUILD).
# Uses:  $BUILD/bisect-src     a detached worktree of $TREE's repository that
#                              walks the commits ($TREE itself never moves)
#        $BUILD/obj-kunit-on   x86_64 defconfig + the series' .kunitconfig
#        $BUILD/obj-kunit-off  the same with KUnit and every *_TEST off
# Each commit builds: the .o of every .c it changes (or of the .c that
# #includes it), the main includers of every header it changes, and always
# arch/x86/virt/vmx/tdx/tdx.o.  Warnings are compared with the same build
# at the base commit, line numbers ignored (base tdx.c has one W=1
# kernel-doc warning), and only new ones fail.
#
# The functions above "main" are shared: gate-sparse.sh sources this file.

. "$(dirname "$0")/lib.sh"

SRC=$BUILD/bisect-src
# shellcheck disable=SC2034  # used by gate-sparse.sh
OBJ_ON=$BUILD/obj-kunit-on
KUNITCONFIG=arch/x86/virt/vmx/tdx/.kunitconfig
# Used while the series has no .kunitconfig of its own (DESIGN.md).
FALLBACK_OPTIONS=(KUNIT SMP PCI HYPERVISOR_GUEST X86_X2APIC X86_MCE X86_MCE_INTEL
		  CMA CONTIG_ALLOC VIRTUALIZATION KVM KVM_INTEL INTEL_TDX_HOST)
# The main includers of the TDX headers, each with the option that builds it.
HEADER_INCLUDERS=(arch/x86/virt/vmx/tdx/tdx.o:INTEL_TDX_HOST
		  arch/x86/kvm/vmx/tdx.o:KVM_INTEL_TDX
		  arch/x86/kvm/vmx/main.o:KVM_INTEL
		  drivers/virt/coco/tdx-host/tdx-host.o:TDX_HOST_SERVICES)
ALWAYS_OBJ=arch/x86/virt/vmx/tdx/tdx.o
MAKE_ARGS=(W=1 CC="ccache gcc")
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$BUILD}

. "$(dirname "${BASH_SOURCE[0]}")/gate-lib.sh"

tip_rev() { git -C "$TREE" rev-parse HEAD; }
subject() { git -C "$TREE" log -1 --format=%s "$1"; }
# Files a commit (or a range A..B) adds or modifies.
changed_files() {
	case $1 in
	*..*) git -C "$TREE" diff --name-only --diff-filter=d "$1" ;;
	*)    git -C "$TREE" diff-tree --no-commit-id --name-only -r --diff-filter=d "$1" ;;
	esac
}

# Put the bisect-src worktree at REV (created on first use).
src_checkout() {
	if [ ! -e "$SRC/.git" ]; then
		say "creating the worktree $SRC (about 30 s)"
		rm -rf "$SRC"
		git -C "$TREE" worktree prune
		git -C "$TREE" worktree add -q --detach "$SRC" "$1"
	else
		git -C "$SRC" checkout -q -f --detach "$1"
	fi
}

# --- configs --------------------------------------------------------------
# The kunit-on fragment: the tip's .kunitconfig, or the fallback list.  (The
# tdx-host driver, TDX_HOST_SERVICES, has no prompt: it is m whenever
# INTEL_TDX_HOST is y, and its object builds as part of a module.)
# defconfig's CONFIG_WERROR is turned off: the gates read every warning
# themselves and compare it with the base, and with -Werror the first one
# would stop make before the others are seen.
fragment_on() {
	{ git -C "$TREE" show "$(tip_rev):$KUNITCONFIG" 2>/dev/null ||
	  printf 'CONFIG_%s=y\n' "${FALLBACK_OPTIONS[@]}"
	  echo '# CONFIG_WERROR is not set'
	} | grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)'
}
# The kunit-off fragment: KUnit and every test option off.
fragment_off() {
	{ fragment_on | sed -E 's/^(# )?CONFIG_([A-Za-z0-9_]*(KUNIT[A-Za-z0-9_]*|_TEST))(=.*| is not set)$/# CONFIG_\2 is not set/'
	  echo '# CONFIG_KUNIT is not set'
	} | awk '!seen[$0]++'
}

# Configure object folder DIR from FRAGMENT-FILE for the commit bisect-src is
# at: defconfig once, then the fragment on top and olddefconfig every time
# (the series' own symbols do not exist at early commits, and olddefconfig
# there drops them).  Only changed symbols make objects rebuild.
obj_config() {  # DIR FRAGMENT-FILE IS-TIP(0/1)
	local o=$1 frag=$2 tip=$3 line sym want have
	mkdir -p "$o"
	if [ ! -f "$o/.config" ] || ! cmp -s "$frag" "$o/harness.fragment"; then
		say "configuring $o: x86_64 defconfig + $(wc -l <"$frag") options"
		make -C "$SRC" O="$o" "${MAKE_ARGS[@]}" defconfig >"$o/harness-config.log" 2>&1 ||
			{ tail -n 20 "$o/harness-config.log"; die "make defconfig in $o failed"; }
		cp "$frag" "$o/harness.fragment"
	fi
	cat "$frag" >>"$o/.config"
	make -C "$SRC" O="$o" "${MAKE_ARGS[@]}" olddefconfig >"$o/harness-config.log" 2>&1 ||
		{ tail -n 20 "$o/harness-config.log"; die "make olddefconfig in $o failed"; }
	grep -qx 'CONFIG_INTEL_TDX_HOST=y' "$o/.config" ||
		die "CONFIG_INTEL_TDX_HOST is not y in $o/.config after olddefconfig (dependencies missing from $frag?)"
	# Every option of the fragment must have its value; at early commits an
	# option may not exist yet, so only the tip must have them all.
	while read -r line; do
		case $line in
		'# CONFIG_'*) sym=${line#\# CONFIG_}; sym=${sym% is not set}; want=n ;;
		*) sym=${line%%=*}; sym=${sym#CONFIG_}; want=${line#*=} ;;
		esac
		have=$(sed -n -e "s/^CONFIG_$sym=//p" -e "s/^# CONFIG_$sym is not set\$/n/p" "$o/.config")
		[ "$want" = n ] && [ -z "$have" ] && continue
		[ -z "$have" ] && [ "$tip" = 0 ] && continue
		[ "$have" = "$want" ] ||
			die "$o/.config has CONFIG_$sym=${have:-<absent>}, the fragment wants $want (missing dependency?)"
	done <"$frag"
}
config_value() { sed -n "s/^CONFIG_$2=//p" "$1/.config"; }
config_on() { case $(config_value "$1" "$2") in y|m) return 0 ;; esac; return 1; }

# --- touched objects --------------------------------------------------------
# Is object REL (a path relative to directory D) built in object folder DIR,
# according to D's Kbuild/Makefile?  0: yes, 1: no, 2: D does not name it.
# Handles obj-y, obj-$(CONFIG_X) and parts of composite objects, such as
# "kvm-intel-$(CONFIG_KVM_INTEL_TDX) += vmx/tdx.o" (then kvm-intel.o must
# be built too).
kbuild_enabled() {  # DIR D REL
	local o=$1 d=$2 rel=$3 lines line var sym
	lines=$(cat "$SRC/$d/Kbuild" "$SRC/$d/Makefile" 2>/dev/null |
		sed -e ':a' -e '/\\$/N; s/\\\n/ /; ta' |
		grep -E "(^|[[:space:]=])${rel//./\\.}([[:space:]]|\$)" || true)
	[ -n "$lines" ] || return 2
	while read -r line; do
		var=${line%%[+:?]=*} var=${var%%[[:space:]]*}
		sym=$(grep -o 'CONFIG_[A-Za-z0-9_]*' <<<"$var" | head -n 1 || true)
		[ -z "$sym" ] || config_on "$o" "${sym#CONFIG_}" || continue
		case $var in
		obj-*|lib-*) return 0 ;;
		*-y|*-objs) kbuild_enabled "$o" "$d" "${var%-*}.o" && return 0 ;;
		*-\$\(CONFIG_*\)) kbuild_enabled "$o" "$d" "${var%-\$\(*}.o" && return 0 ;;
		esac
	done <<<"$lines"
	return 1
}
# The object of a .c file in bisect-src, if the config builds it: looked up
# in the Makefile of its directory or of the nearest parent that names it.
# A .c that no Makefile names but another .c #includes (a KUnit suite
# included at the end of tdx.c) stands for its includers.
c_objects() {  # DIR FILE.c
	local o=$1 c=$2 dir name d rel rc inc
	dir=$(dirname "$c") name=$(basename "$c" .c)
	[ -f "$SRC/$c" ] || return 0
	d=$dir rel=$name.o
	while [ "$d" != . ]; do
		rc=0
		kbuild_enabled "$o" "$d" "$rel" || rc=$?
		case $rc in
		0) echo "$dir/$name.o"; return 0 ;;
		1) return 0 ;;
		esac
		rel=$(basename "$d")/$rel d=$(dirname "$d")
	done
	for inc in $(grep -l -E "^#include \"$name\.c\"" "$SRC/$dir"/*.c 2>/dev/null); do
		c_objects "$o" "${inc#"$SRC"/}"
	done
}
# The objects to build in DIR for the given changed files (bisect-src must be
# at the commit and DIR configured for it).
touched_objects() {  # DIR FILE...
	local o=$1 f e obj sym; shift
	{
		if [ -f "$SRC/${ALWAYS_OBJ%.o}.c" ]; then echo "$ALWAYS_OBJ"; fi
		for f; do
			case $f in
			*.c) c_objects "$o" "$f" ;;
			*.h)
				for e in "${HEADER_INCLUDERS[@]}"; do
					obj=${e%%:*} sym=${e#*:}
					if [ -f "$SRC/${obj%.o}.c" ] && config_on "$o" "$sym"; then
						echo "$obj"
					fi
				done ;;
			esac
		done
	} | sort -u
}

# --- building and warnings ---------------------------------------------------
# Rebuild OBJ... in DIR (removed first, so that every warning shows again;
# ccache replays the compiler's, W=1 reruns kernel-doc); output in LOG.
build_objs() {  # DIR LOG OBJ...
	local o=$1 log=$2; shift 2
	(cd "$o" && rm -f "$@")
	make -C "$SRC" O="$o" "${MAKE_ARGS[@]}" -j"$JOBS" "$@" >"$log" 2>&1
}
build_cmd() {  # DIR OBJ...: the command line, to reproduce
	local o=$1; shift
	echo "make -C $SRC O=$o W=1 -j$JOBS CC=\"ccache gcc\" $*"
}
# The log without colours and with bisect-src's path, absolute or relative
# to the object folder (ccache's CCACHE_BASEDIR), taken off file names.
clean_log() {
	sed -e 's/\x1b\[[0-9;]*[mK]//g' -e "s|$SRC/||g" \
	    -e "s|\(\.\./\)\{1,\}$(basename "$SRC")/||g" "$1"
}
# A warning without its line and column numbers, for comparing commits.
normalize() { sed -E 's/:[0-9]+(:[0-9]+)?([: ])/:\2/g'; }
# The normalized warnings and errors of a build LOG, sorted (a multiset).
warnings_of() {
	clean_log "$1" | grep -E '(^|[[:space:]])([Ww]arning|WARNING|[Ee]rror|ERROR):' | normalize | sort || true
}
# Print the lines of LOG whose normalized form is in NEW-FILE, each with
# gcc's source excerpt that follows it ("  67 | code", "     |  ^~~").
show_new() {  # LOG NEW-FILE
	clean_log "$1" >"$1.clean"
	normalize <"$1.clean" >"$1.norm"
	awk -v newf="$2" -v normf="$1.norm" '
		BEGIN { while ((getline l < newf) > 0) want[l] = 1 }
		{ getline m < normf }
		ctx && /^ +[0-9]* \|/ { print "    " $0; next }
		{ ctx = 0 }
		m in want { print "    " $0; ctx = 1 }' "$1.clean"
}

# --- main -------------------------------------------------------------------
bisect_main() {
	gate_init bisect "$TOP/scripts/gate-bisect.sh"
	local base tip revs n k rev o tag frag objs log new all_files t0
	t0=$SECONDS
	[ -e "$TREE/.git" ] || die "no tree at $TREE: run scripts/base.sh and apply the series"
	base=$(base_rev) tip=$(tip_rev)
	mapfile -t revs < <(git -C "$TREE" rev-list --reverse "$base..$tip")
	n=${#revs[@]}
	[ "$n" -gt 0 ] || pass "no commits above the base in $TREE, nothing to bisect"
	mapfile -t all_files < <(changed_files "$base..$tip")
	local work=$BUILD/gate-logs/bisect	# kept until the next run
	rm -rf "$work"
	mkdir -p "$work"
	fragment_on >"$work/on.fragment"
	fragment_off >"$work/off.fragment"

	say "[0/$n] base $(subject "$base") (reference warnings)"
	src_checkout "$base"
	for tag in on off; do
		o=$BUILD/obj-kunit-$tag
		obj_config "$o" "$work/$tag.fragment" 0
		mapfile -t objs < <(touched_objects "$o" "${all_files[@]}")
		say "  kunit-$tag: ${objs[*]}"
		build_objs "$o" "$work/base-$tag.log" "${objs[@]}" || {
			tail -n 30 "$work/base-$tag.log"
			fail "the base commit does not build in $o" "$(build_cmd "$o" "${objs[@]}")"
		}
		warnings_of "$work/base-$tag.log" >"$work/base-$tag.warn"
	done

	for k in $(seq 1 "$n"); do
		rev=${revs[k-1]}
		say "[$k/$n] $(subject "$rev")"
		src_checkout "$rev"
		mapfile -t files < <(changed_files "$rev")
		for tag in on off; do
			o=$BUILD/obj-kunit-$tag
			obj_config "$o" "$work/$tag.fragment" "$([ "$k" = "$n" ] && echo 1 || echo 0)"
			mapfile -t objs < <(touched_objects "$o" "${files[@]}")
			say "  kunit-$tag: ${objs[*]}"
			log=$work/$k-$tag.log
			local ok=1
			build_objs "$o" "$log" "${objs[@]}" || ok=
			new=$work/$k-$tag.new
			comm -13 "$work/base-$tag.warn" <(warnings_of "$log") >"$new"
			if [ -z "$ok" ] || [ -s "$new" ]; then
				local shown what
				printf '%04d %s\n' "$k" "$(subject "$rev")"
				echo "  commit $rev, kunit-$tag build, new warnings/errors:"
				shown=$(show_new "$log" "$new")
				echo "$shown"
				[ -n "$ok" ] || { echo "  make failed; last lines:"; clean_log "$log" | tail -n 15 | sed 's/^/    /'; }
				what="$(wc -l <"$new") new warning(s)/error(s), first: $(sed -n '1s/^ *//p' <<<"$shown")"
				[ -s "$new" ] || what="make failed"
				fail "$(printf '%04d' "$k") $(subject "$rev"): $what (kunit-$tag build)" \
					"git -C $SRC checkout -q --detach $rev && $(build_cmd "$o" "${objs[@]}")"
			fi
		done
	done
	pass "$n commits build with KUnit on and off, no new W=1 warnings ($((SECONDS - t0)) s)"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	bisect_main "$@"
fi
