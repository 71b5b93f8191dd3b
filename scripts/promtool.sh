#!/usr/bin/env bash
# Finds Prometheus's promtool for the rule tests (ARCHITECTURE §6: generated rules are checked by the real promtool),
# installing the distribution's prometheus package when it is missing.
#
#   scripts/promtool.sh    print the path of promtool (installing it first if needed)
#
#   export NEOCLOUD_PROMTOOL=$(scripts/promtool.sh)
#
# Only the path goes to stdout; progress and errors go to stderr.
set -euo pipefail

find_promtool() {
    if [[ -n "${NEOCLOUD_PROMTOOL:-}" && -x "$NEOCLOUD_PROMTOOL" ]]; then
        echo "$NEOCLOUD_PROMTOOL"
        return 0
    fi

    command -v promtool 2>/dev/null
}

if path=$(find_promtool); then
    echo "$path"
    exit 0
fi

echo "promtool: not found; installing the prometheus package (it ships promtool)" >&2
if [[ $(id -u) -ne 0 ]]; then
    echo "promtool: installing needs root; install the prometheus package (or put promtool on PATH) and run again" >&2
    exit 1
fi

# Without recommends: promtool needs none of the exporters and web assets the package suggests.
DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >&2
path=$(find_promtool) || { echo "promtool: still not found after installing prometheus" >&2; exit 1; }
echo "$path"
