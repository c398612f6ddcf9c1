#!/bin/bash
# make size: how big the series in patches/ is, per patch and in total; a
# report, never a verdict (no gate fails on a line count).
#
#   added, removed   "+" and "-" lines of every file the patch touches
#   tests+           "+" lines in test files: under a tests/ folder, *_test.c,
#                    or *kunit* (the .kunitconfig included)
#   code+            "+" lines in the other TDX code: .c, .h and .S files
#                    whose path has "tdx" in it
# and the test-to-code ratio, tests+ / code+, of the whole series.
# Hunks are counted from their "@@ -a,b +c,d @@" lengths, so a signature
# ("-- ") or a line that looks like a header is not miscounted.
. "$(dirname "$0")/lib.sh"

count() {  # PATCH: "added removed tests code"
	awk '
	function istest(f) { return f ~ /(^|\/)tests\// || f ~ /_test\.c$/ || f ~ /kunit[^\/]*$/ }
	function iscode(f) { return tolower(f) ~ /tdx/ && f ~ /\.(c|h|S)$/ && !istest(f) }
	/^diff --git / { f = substr($4, 3); old = new = 0; next }
	old + new == 0 && /^@@ / {
		split($2, o, ","); split($3, n, ",")
		old = (2 in o) ? o[2] : 1; new = (2 in n) ? n[2] : 1; next
	}
	old + new > 0 {
		c = substr($0, 1, 1)
		if (c == "+") { new--; a++; if (istest(f)) t++; else if (iscode(f)) k++ }
		else if (c == "-") { old--; r++ }
		else if (c == " " || $0 == "") { old--; new-- }
		# "\ No newline at end of file" counts for neither side
	}
	END { printf "%d %d %d %d\n", a, r, t, k }' "$1"
}

printf '%6s %7s %7s %6s  %s\n' added removed tests+ code+ patch
ta=0 tr=0 tt=0 tk=0 n=0
while read -r p; do
	read -r a r t k < <(count "$p")
	printf '%6d %7d %7d %6d  %s\n' "$a" "$r" "$t" "$k" "$(basename "$p")"
	ta=$((ta + a)) tr=$((tr + r)) tt=$((tt + t)) tk=$((tk + k)) n=$((n + 1))
done < <(series_patches)
printf '%6d %7d %7d %6d  total, %d patches\n' "$ta" "$tr" "$tt" "$tk" "$n"
if [ "$tk" -gt 0 ]; then
	printf 'test-to-code ratio: %s (%d test lines added per %d lines of TDX code added)\n' \
		"$(awk -v t="$tt" -v k="$tk" 'BEGIN { printf "%.2f", t / k }')" "$tt" "$tk"
else
	echo "test-to-code ratio: none (no TDX code added)"
fi
