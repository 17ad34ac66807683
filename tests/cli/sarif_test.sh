#!/usr/bin/env bash
# Validates `scopecop check --format sarif` on the examples and every rule fixture with Microsoft's SARIF
# Multitool (npm @microsoft/sarif-multitool-linux), whose path SCOPECOP_SARIF_MULTITOOL names; .ci/run installs
# it. Without it the test says so and passes: a user's machine need not download the validator.
# Usage: sarif_test.sh SCOPECOP_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
tool=${SCOPECOP_SARIF_MULTITOOL:-}
if [ -z "$tool" ] || [ ! -x "$tool" ]; then
  echo "skipped: SCOPECOP_SARIF_MULTITOOL does not name the SARIF Multitool (.ci/run installs it)"
  # In CI the validator must run.
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$src"
"$bin" check --format sarif --fail-on none examples tests/rules tests/templates > "$out/report.sarif" 2>/dev/null
"$tool" validate "$out/report.sarif" -o "$out/validation.sarif" --quiet || true
/usr/bin/python3 - "$out/report.sarif" "$out/validation.sarif" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
results = report["runs"][0]["results"]
rules = report["runs"][0]["tool"]["driver"]["rules"]
validation = json.load(open(sys.argv[2]))
problems = [r for r in validation["runs"][0].get("results", []) if r.get("level", "warning") == "error"]
for p in problems:
    print(p["ruleId"], p["message"].get("text", p["message"]))
if problems:
    sys.exit(1)
if len(results) < 100 or not rules:
    print(f"only {len(results)} results and {len(rules)} rules: the fixtures should give many")
    sys.exit(1)
print(f"valid SARIF: {len(results)} results, {len(rules)} rules")
PY
