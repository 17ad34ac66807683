#!/usr/bin/env bash
# Validates `scopecop check --format json` output on the examples and every rule fixture against
# docs/schema/findings-v1.schema.json, with Debian's python3-jsonschema.
# Usage: json_schema_test.sh SCOPECOP_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$src"
"$bin" check --format json --fail-on none examples > "$out/examples.json"
"$bin" check --format json --fail-on none tests/rules > "$out/fixtures.json"
# With a display threshold the summary counts what it hides.
"$bin" check --format json --fail-on none --severity security tests/rules > "$out/fixtures-security.json"
grep -q '"hidden"' "$out/fixtures-security.json" || { echo "--severity hid nothing"; exit 1; }
"$bin" check --format json --fail-on none tests/templates > "$out/templates.json" 2>/dev/null
for t in bucket endpoint trust scp resource; do
  "$bin" check --format json --fail-on none --policy-type "$t" tests/rules > "$out/fixtures-$t.json"
done
/usr/bin/python3 - "$src/docs/schema/findings-v1.schema.json" "$out"/*.json <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
total = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors:
        print(f"{path}: {list(e.path)}: {e.message}")
    if errors:
        sys.exit(1)
    total += len(doc["findings"])
if total < 50:
    print(f"only {total} findings validated; expected the fixtures to produce many")
    sys.exit(1)
print(f"validated {len(sys.argv) - 2} reports with {total} findings")
PY
