#!/usr/bin/env bash
# The browser end-to-end suite (webapp's `npm run test:e2e`) runs in the background while this module's JUnit process
# tests run, so the two halves of the longest module overlap (each mostly waits: on browsers, on processes starting and
# on timeouts). `start` launches it with its output in target/e2e.log; `wait` (at verify) blocks until it has ended,
# prints its output and fails the build when it failed. A stale result from an earlier build is removed at `start`.
set -uo pipefail
module="$(cd "$(dirname "$0")/../../.." && pwd)"
log="$module/target/e2e.log"
rc="$module/target/e2e.rc"
case "${1:-}" in
  start)
    rm -f "$rc" "$log"
    mkdir -p "$module/target"
    cd "$module/../webapp" || exit 1
    npm run test:e2e >"$log" 2>&1
    echo $? >"$rc.tmp" && mv "$rc.tmp" "$rc"
    ;;
  wait)
    limit=$((${E2E_WAIT_MINUTES:-40} * 60))
    waited=0
    until [ -f "$rc" ]; do
      if [ "$waited" -ge "$limit" ]; then
        echo "e2e: no result after $((limit / 60)) minutes; output so far:"
        cat "$log" 2>/dev/null
        exit 1
      fi
      sleep 2
      waited=$((waited + 2))
    done
    cat "$log"
    code="$(cat "$rc")"
    echo "e2e: npm run test:e2e exited with $code"
    exit "$code"
    ;;
  *)
    echo "usage: $0 start|wait" >&2
    exit 2
    ;;
esac
