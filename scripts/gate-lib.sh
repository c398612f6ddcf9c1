# shellcheck shell=bash
# The verdict of a gate: exactly one PASS or FAIL line at the end, whatever
# happens, with the command that reproduces a failure.  Sourced by the
# gate-*.sh scripts after lib.sh.

export LC_ALL=C

verdict=
pass() { verdict=1; echo "PASS $GATE: $1"; exit 0; }
fail() { verdict=1; echo "FAIL $GATE: $1"; echo "  reproduce: $2"; exit 1; }
# shellcheck disable=SC2317  # called through the EXIT trap
on_exit() {
	local rc=$?
	[ -z "${CLEANUP:-}" ] || rm -rf "$CLEANUP"
	[ -n "$verdict" ] && return
	echo "FAIL $GATE: stopped early (exit $rc), see the messages above"
	echo "  reproduce: $GATE_CMD"
	exit 1
}
# TREE= and BUILD= as a command prefix, where they are not the defaults.
env_prefix() {
	[ "$BUILD" = "$TOP/build" ] || printf 'BUILD=%s ' "$BUILD"
	[ "$TREE" = "$BUILD/linux" ] || printf 'TREE=%s ' "$TREE"
}
gate_init() {  # NAME COMMAND-TO-REPRODUCE
	GATE=$1 GATE_CMD="$(env_prefix)$2"
	trap on_exit EXIT
	# lib.sh's die, as this gate's FAIL line.
	die() { printf 'ERROR: %s\n' "$*" >&2; fail "$*" "$GATE_CMD"; }
}
