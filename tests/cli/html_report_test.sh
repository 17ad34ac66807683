#!/usr/bin/env bash
# The HTML report in a real browser: `scopecop check --format html` on the examples and on a directory with
# an account dump and templates, opened in Debian's headless chromium through playwright-core
# (tests/cli/html_report_test.js): the rendered text, the filters, no console errors, no request leaving the
# page, and the content with JavaScript disabled. SCOPECOP_PLAYWRIGHT names playwright-core's node_modules
# (scripts/install-playwright); .ci/run installs it and chromium. Without them the test says so and passes
# (outside CI only).
# Usage: html_report_test.sh SCOPECOP_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
modules=${SCOPECOP_PLAYWRIGHT:-}
browser=${SCOPECOP_CHROMIUM:-/usr/bin/chromium}
if [ -z "$modules" ] || [ ! -d "$modules/playwright-core" ] || [ ! -x "$browser" ]; then
  echo "skipped: SCOPECOP_PLAYWRIGHT (scripts/install-playwright) and $browser (Debian's chromium) are needed"
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$src"
"$bin" check --format html --fail-on none examples > "$out/examples.html" 2>/dev/null
"$bin" check --format json --fail-on none examples > "$out/examples.json" 2>/dev/null
# The same report through --output, beside the terminal's text, from one run.
"$bin" check --format concise --fail-on none --output "html:$out/dump.html" --output "json:$out/dump.json" \
  tests/containers/analytics > "$out/dump.txt" 2>/dev/null
# Self-contained: nothing the page loads comes from elsewhere, and the policy says so to the browser.
for page in examples dump; do
  if grep -Eio '(src|href)="[a-z]+:[^"]*"' "$out/$page.html"; then
    echo "$page.html refers to something outside itself"
    exit 1
  fi
  grep -q "Content-Security-Policy\" content=\"default-src 'none'" "$out/$page.html"
done
NODE_PATH=$modules SCOPECOP_CHROMIUM=$browser node "$src/tests/cli/html_report_test.js" "$out"
