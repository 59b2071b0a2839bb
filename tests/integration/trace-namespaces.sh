#!/usr/bin/env bash
# A traced program that enters new namespaces sees its own mounts and ids:
# the supervisor, which performs stat and open for tracees, must stop doing
# so for it (src/core/watch.c), or it would answer from the host's view.
set -u
. "$(dirname "$0")/../lib.sh"
need_cmd unshare

script='mount -t tmpfs none /mnt && echo hello >/mnt/inside && stat -c "%n %s" /mnt/inside &&
cat /mnt/inside && test -e /mnt/inside && echo exists && ls /mnt && id -u &&
sh -c "stat -c %s /mnt/inside"'
unshare -rm sh -c "$script" >"$TEST_TMP/native" 2>&1 ||
	skip "unprivileged user and mount namespaces are not available here: $(tail -1 "$TEST_TMP/native")"
# Only %file: unshare itself is then not traced, and must be watched anyway.
facet_trace -e trace=%file -o "$TEST_TMP/trace" unshare -rm sh -c "$script" >"$TEST_TMP/traced" 2>&1
diff -u "$TEST_TMP/native" "$TEST_TMP/traced" || fail "a traced program in new namespaces saw the host's view"
exit 0
