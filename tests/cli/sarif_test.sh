#!/usr/bin/env bash
# Validates `scopecop check --format sarif` on the examples and every rule fixture, and `scopecop diff --format
# sarif` on the example change both ways, with Microsoft's SARIF
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
# Files named by absolute paths (outside the directory it runs in): file:// URIs with no base.
"$bin" check --format sarif --fail-on none "$PWD/examples/redshift-lake/reporting-role.flawed.json" \
  "$PWD/tests/templates/plan.json" "$PWD/tests/templates/resource-policies.yaml" > "$out/absolute.sarif" 2>/dev/null
before=examples/review-a-change/analytics-role.before.json
after=examples/review-a-change/analytics-role.after.json
"$bin" diff --format sarif --no-fail-on-new-access "$before" "$after" > "$out/widened.sarif"
"$bin" diff --format sarif "$after" "$before" > "$out/narrowed.sarif"
for report in report absolute widened narrowed; do
  "$tool" validate "$out/$report.sarif" -o "$out/$report.validation" --quiet || true
  /usr/bin/python3 - "$out/$report.sarif" "$out/$report.validation" "$report" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
results = report["runs"][0]["results"]
rules = report["runs"][0]["tool"]["driver"]["rules"]
validation = json.load(open(sys.argv[2]))
problems = [r for r in validation["runs"][0].get("results", []) if r.get("level", "warning") == "error"]
for p in problems:
    print(sys.argv[1], p["ruleId"], p["message"].get("text", p["message"]))
if problems:
    sys.exit(1)
least = 100 if sys.argv[3] == "report" else 3
if len(results) < least or not rules:
    print(f"{sys.argv[1]}: only {len(results)} results and {len(rules)} rules")
    sys.exit(1)
locations = [l["physicalLocation"]["artifactLocation"] for r in results for l in r["locations"]]
if sys.argv[3] == "absolute":
    wrong = [l for l in locations if not l["uri"].startswith("file:///") or "uriBaseId" in l]
else:
    wrong = [l for l in locations if l["uri"].startswith("file:") or l.get("uriBaseId") != "%SRCROOT%"]
if wrong:
    print(f"{sys.argv[1]}: artifact locations of the wrong form, e.g. {wrong[0]}")
    sys.exit(1)
if any("helpUri" in rule for rule in rules):
    print(f"{sys.argv[1]}: a rule has a helpUri, though the build names no https docs URL")
    sys.exit(1)
if sys.argv[3] in ("report", "absolute"):
    # Alerts survive line moves: every result has a fingerprint without line numbers, and findings in
    # templates and plans name the resource that holds the policy.
    if any("scopecopFinding/v1" not in r.get("partialFingerprints", {}) for r in results):
        print(f"{sys.argv[1]}: a result without partialFingerprints")
        sys.exit(1)
    logical = [l["logicalLocations"][0]["fullyQualifiedName"] for r in results for l in r["locations"]
               if "logicalLocations" in l]
    if not logical:
        print(f"{sys.argv[1]}: no result names its resource as a logical location")
        sys.exit(1)
print(f"valid SARIF: {sys.argv[1]}: {len(results)} results, {len(rules)} rules")
PY
done
