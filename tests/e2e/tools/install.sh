#!/usr/bin/env bash
# The outside checkers the page checks use, from the npm registry, into build/tools (not committed):
# axe-core (injected into pages by tests/e2e/test_pages_pass_outside_checks.py) and Lighthouse
# (`make audit`). Pinned: a new rule or audit should arrive by a commit, not by surprise.
# Nothing is fetched when the pinned versions are already there.
set -euo pipefail
cd "$(dirname "$0")/../../.."

AXE=4.14.1
LIGHTHOUSE=12.8.2   # 13 needs Node 22; the machine and CI have Node 20
PREFIX=build/tools

if ! command -v npm >/dev/null 2>&1; then
    echo "npm is not here: the page checks that need axe-core will be skipped" >&2
    exit 0
fi

installed() {
    node -p "require('./$PREFIX/node_modules/$1/package.json').version" 2>/dev/null || true
}

if [[ "$(installed axe-core)" != "$AXE" || "$(installed lighthouse)" != "$LIGHTHOUSE" ]]; then
    mkdir -p "$PREFIX"
    npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error \
        "axe-core@$AXE" "lighthouse@$LIGHTHOUSE"
fi
echo "axe-core $(installed axe-core), lighthouse $(installed lighthouse) in $PREFIX"
