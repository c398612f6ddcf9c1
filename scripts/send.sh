#!/bin/bash
# make send: the mails patches/ would go out as, written to $BUILD/send/;
# nothing is sent and nothing goes over the network.
#
# With the kernel's own tools, in the scratch worktree $BUILD/scratch-src on
# the scratch branch $BRANCH-send (build/linux and its branch are not
# touched):
#   1. git am patches/ onto the base;
#   2. git rebase --exec 'git commit --amend --no-edit --reset-author -s':
#      the sender (SEND_FROM="Name <address>", else this clone's git
#      user.name and user.email) becomes the author and signs off;
#   3. git format-patch as make export does (lib.sh format_series);
#   4. To: maintainers and reviewers, Cc: lists, from the kernel's
#      scripts/get_maintainer.pl --no-git --no-rolestats at the series'
#      tip, per patch; the cover letter gets all of them;
#   5. git send-email --dry-run over the mails: $BUILD/send/dry-run.txt.
# Sending for real: README.md, "Sending".
. "$(dirname "$0")/lib.sh"
need_tree
out=$BUILD/send
SRC=$BUILD/scratch-src	# shared with the docs gate, locked
from=${SEND_FROM:-}
if [ -z "$from" ]; then
	name=$(git -C "$TOP" config user.name || true) email=$(git -C "$TOP" config user.email || true)
	[ -n "$name" ] && [ -n "$email" ] ||
		die "who sends? set SEND_FROM='Your Name <you@example.org>', or git config user.name and user.email"
	from="$name <$email>"
fi
[[ $from == *' <'*@*'>' ]] || die "SEND_FROM must look like 'Your Name <you@example.org>', not '$from'"
export GIT_AUTHOR_NAME=${from% <*} GIT_AUTHOR_EMAIL=${from##*<}
GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL%>}
export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
mapfile -t patches < <(series_patches)
base=$(base_rev)

lock scratch-src
src_checkout "$base"
git -C "$SRC" checkout -q -B "$BRANCH-send"
say "send: git am ${#patches[@]} patches in $SRC (branch $BRANCH-send), then authored and signed off by $from"
if ! git -C "$SRC" am -q --keep-cr "${patches[@]}" >"$BUILD/send-am.log" 2>&1; then
	git -C "$SRC" am --abort >/dev/null 2>&1 || true
	cat "$BUILD/send-am.log" >&2
	die "patches/ does not apply on the base: $(quote git -C "$SRC" am "${patches[@]}")"
fi
git -C "$SRC" rebase -q --exec 'git commit -q --amend --no-edit --reset-author -s' "$base" >>"$BUILD/send-am.log" 2>&1 ||
	die "git rebase --exec 'git commit --amend --no-edit --reset-author -s' failed in $SRC"

rm -rf "$out"
mkdir -p "$out"
format_series "$SRC" "$base" "$out"
mapfile -t mails < <(ls "$out"/[0-9][0-9][0-9][0-9]-*.patch)
# Fold "To: a, b" into one address a line; put To and Cc after Subject.
add_headers() {  # MAIL HEADER-LINES-FILE
	awk -v hf="$2" '
		!done && /^$/ {
			while ((getline l < hf) > 0) { gsub(/, /, ",\n ", l); print l }
			done = 1
		}
		{ print }' "$1" >"$1.new" && mv "$1.new" "$1"
}
for m in "${mails[@]}"; do
	case $(basename "$m") in
	0000-*) recipients "$SRC" "${mails[@]:1}" ;;
	*) recipients "$SRC" "$m" ;;
	esac | recipient_lines | grep -v '^[A-Za-z]*: $' >"$m.hdr" || true
	add_headers "$m" "$m.hdr"
	rm -f "$m.hdr"
done

dry=(git -C "$SRC" send-email --dry-run --confirm=never --suppress-cc=misc-by --from="$from" "${mails[@]}")
"${dry[@]}" >"$out/dry-run.txt" 2>&1 || { tail -n 20 "$out/dry-run.txt"; die "git send-email --dry-run failed: $(quote "${dry[@]}")"; }
say "send: ${#mails[@]} mails in $out (From: $from); To and Cc per mail:"
for m in "${mails[@]}"; do
	printf '    %s: %s to, %s cc\n' "$(basename "$m")" \
		"$(awk '/^To:/ { t = 1 } /^Cc:/ { t = 0 } /^$/ { exit } t && /@/ { n++ } END { print n + 0 }' "$m")" \
		"$(awk '/^Cc:/ { c = 1 } /^[A-Z][A-Za-z-]*:/ && !/^Cc:/ { c = 0 } /^$/ { exit } c && /@/ { n++ } END { print n + 0 }' "$m")"
done
say "send: git send-email's dry run: $out/dry-run.txt; to send for real, see README.md (Sending)"
