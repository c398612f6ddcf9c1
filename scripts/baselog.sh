#!/bin/bash
# Record, once, the QEMU boot log of the base tree in a KUnit config, so
# that the boot-log gate can tell new reports from old ones.
#
#   baselog.sh CONFIG     prints the path of the recorded log
#
# The base is built in the same object folder as the series (only what the
# series touches is rebuilt twice) and the log is cached outside the clone,
# keyed by base version and config.
. "$(dirname "$0")/lib.sh"

cfg=${1:?usage: baselog.sh plain|debug}
out=$BUILD/kunit-$cfg
kunitconfig=$TREE/arch/x86/virt/vmx/tdx/.kunitconfig
[ -f "$kunitconfig" ] || die "no series applied in $TREE"

mkdir -p "$CACHE/bootlog" "$out"
# Without the series, its test option does not exist.
grep -v TDX_PAGE_ARRAY "$kunitconfig" > "$out/base.kunitconfig"
fragments=("$out/base.kunitconfig")
[ "$cfg" = plain ] || fragments+=("$TOP/scripts/debug.config")
key=$(cat "${fragments[@]}" | sha1sum | cut -c1-12)
log=$CACHE/bootlog/$(base_version)-$cfg-$key.log
if [ -s "$log" ]; then
	echo "$log"
	exit 0
fi

cd "$TREE"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "build/linux has uncommitted changes; commit them before recording the base boot log"
branch=$(git symbolic-ref -q --short HEAD) || die "build/linux is not on a branch"
restore() { git -C "$TREE" checkout -q "$branch"; }
trap restore EXIT INT TERM

say "baselog[$cfg]: recording the base tree's boot log (once per base version)" >&2
git checkout -q --detach "$(base_rev)"
KUNITCONFIG=$out/base.kunitconfig "$TOP/scripts/kunit.sh" "$cfg" 'no_such_suite' >&2 || true
[ -s "$out/test.log" ] && grep -q 'Linux version' "$out/test.log" ||
	die "baselog[$cfg]: the base kernel did not boot; see $out/build.log and $out/test.log"
cp "$out/test.log" "$log.tmp"
mv "$log.tmp" "$log"
echo "$log"
