#!/bin/bash
# Gate "docs": the documentation the series touches, rendered as the kernel
# renders it, gets no new warning.
#
# Sphinx: "make htmldocs SPHINXDIRS=<dirs> SPHINXOPTS=-E" (-E: read every
# file again, so every warning shows on every run) at the base and at the
# tip of the committed series, in the worktree $BUILD/scratch-src (shared
# with make send, locked) with O=$BUILD/obj-docs-base and -tip; fails on
# a warning or error the base does not have, compared with the tree's
# path and line numbers removed.
# <dirs>: for every .rst the series touches, the nearest folder with an
# index.rst under Documentation/, and the same for every .rst whose
# kernel-doc directive names a source file the series touches (the
# kernel-doc comments render there); if neither, arch/x86 (the TDX
# documentation), so the gate always renders something.
# Extra, for the touched .rst files only: scripts/rst-check.py (docutils
# messages, list-table rows as written, no simple table with wrapped rows).
. "$(dirname "$0")/lib.sh"
gate_init docs
need_tree
command -v sphinx-build >/dev/null || die "no sphinx-build: run make deps (as root) for python3-sphinx"
base=$(base_rev) tip=$(git -C "$TREE" rev-parse HEAD)
work=$BUILD/gate-logs/docs	# kept until the next run
rm -rf "$work"
mkdir -p "$work"
mapfile -t touched < <(changed_files "$base..$tip")
mapfile -t rsts < <(printf '%s\n' "${touched[@]}" | grep '^Documentation/.*\.rst$' || true)

# The nearest folder of FILE (at the tip) with an index.rst, below Documentation/.
index_dir() {
	local d=${1%/*}
	while [ "$d" != Documentation ] && [ -n "$d" ]; do
		git -C "$TREE" cat-file -e "$tip:$d/index.rst" 2>/dev/null && { echo "${d#Documentation/}"; return; }
		d=${d%/*}
	done
	echo .
}
# .rst files at the tip with a kernel-doc directive on a touched file.
mapfile -t srcs < <(printf '%s\n' "${touched[@]}" | grep -E '\.(c|h)$' || true)
users=()
if [ "${#srcs[@]}" -gt 0 ]; then
	pats=()
	for f in "${srcs[@]}"; do pats+=(-e "kernel-doc:: *$f *\$"); done
	mapfile -t users < <(git -C "$TREE" grep -l "${pats[@]}" "$tip" -- 'Documentation/*.rst' | sed "s/^$tip://" || true)
fi
mapfile -t dirs < <(for f in "${rsts[@]}" "${users[@]}"; do [ -n "$f" ] && index_dir "$f"; done | sort -u)
[ "${#dirs[@]}" -gt 0 ] || dirs=(arch/x86)
[[ " ${dirs[*]} " != *" . "* ]] || dirs=(.)	# the whole tree covers the rest
say "docs: ${#rsts[@]} .rst file(s) touched, ${#users[@]} with kernel-doc of touched files; SPHINXDIRS=${dirs[*]}"

SRC=$BUILD/scratch-src
lock scratch-src	# the worktree is shared with make send
for side in base tip; do
	rev=${!side}
	o=$BUILD/obj-docs-$side
	src_checkout "$rev"
	mkdir -p "$o"
	cmd=(make -C "$SRC" O="$o" -j"$JOBS" htmldocs SPHINXDIRS="${dirs[*]}" SPHINXOPTS=-E)
	t0=$SECONDS
	"${cmd[@]}" >"$work/$side.log" 2>&1 || {
		tail -n 20 "$work/$side.log"
		REPRO_PRE="git -C $SRC checkout -q --detach $rev && " fail "make htmldocs failed at the $side" "${cmd[@]}"
	}
	say "docs: rendered the $side in $((SECONDS - t0)) s ($(warnings_of "$work/$side.log" | wc -l) warning(s))"
done
new_warnings "$work/base.log" "$work/tip.log" >"$work/new"
if [ -s "$work/new" ]; then
	echo "New documentation warnings at the tip:"
	show_new "$work/tip.log" "$work/new"
	REPRO_PRE="git -C $SRC checkout -q --detach $tip && " fail "$(wc -l <"$work/new") new Sphinx warning(s); first: $(head -n 1 "$work/new")" "${cmd[@]}"
fi

# The extra lint on the touched .rst files, base against tip.
for f in "${rsts[@]}"; do
	for side in base tip; do
		git -C "$TREE" show "${!side}:$f" >"$work/$side.rst" 2>/dev/null || : >"$work/$side.rst"
		python3 "$TOP/scripts/rst-check.py" "$f" "$work/$side.rst" | sort >"$work/$side.out"
	done
	comm -13 "$work/base.out" "$work/tip.out" >>"$work/lint-new"
done
touch "$work/lint-new"
if [ -s "$work/lint-new" ]; then
	cat "$work/lint-new"
	fail "$(wc -l <"$work/lint-new") new problem(s) in the committed .rst files; first: $(head -n 1 "$work/lint-new")"
fi
pass "Sphinx (SPHINXDIRS=${dirs[*]}): no new warning at the tip ($(warnings_of "$work/tip.log" | wc -l) in all, as at the base); ${#rsts[@]} touched .rst file(s) lint clean; uncommitted edits are not checked"
