#!/usr/bin/env bash
# Validates `scopecop diff --format json` output against docs/schema/diff-v1.schema.json (Debian's
# python3-jsonschema): the example pair both ways, random policy pairs of the differential test's
# generator, a conditional Deny added and dropped, and a condition changed: every kind of change.
# Usage: diff_schema_test.sh SCOPECOP_BINARY SOURCE_DIR
set -euo pipefail
bin=$1
src=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$src"
before=examples/review-a-change/analytics-role.before.json
after=examples/review-a-change/analytics-role.after.json
"$bin" diff --format json --no-fail-on-new-access "$before" "$after" > "$out/widened.json"
"$bin" diff --format json "$after" "$before" > "$out/narrowed.json"
/usr/bin/python3 - "$out" <<'PY'
import json, os, random, sys
sys.path.insert(0, "tests/differential")
import diff_test
rng = random.Random(7)
olds = [diff_test.random_policy(rng) for _ in range(30)]
news = [diff_test.mutate(rng, p) for p in olds]
# A conditional Deny added where both versions allow, and dropped.
allow = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
deny = {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
olds += [{"Version": "2012-10-17", "Statement": [allow]}, {"Version": "2012-10-17", "Statement": [allow, deny]}]
news += [{"Version": "2012-10-17", "Statement": [allow, deny]}, {"Version": "2012-10-17", "Statement": [allow]}]
# A condition changed to another.
team = lambda name: {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                     "Condition": {"StringEquals": {"aws:PrincipalTag/team": name}}}
olds.append({"Version": "2012-10-17", "Statement": [team("data")]})
news.append({"Version": "2012-10-17", "Statement": [team("ops")]})
for name, policies in (("old", olds), ("new", news)):
    json.dump(diff_test.dump(policies), open(os.path.join(sys.argv[1], name + "-dump.input"), "w"))
PY
"$bin" diff --format json --no-fail-on-new-access "$out/old-dump.input" "$out/new-dump.input" > "$out/random.json"
/usr/bin/python3 - "$src/docs/schema/diff-v1.schema.json" "$out"/*.json <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
kinds = set()
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:5]:
        print(f"{path}: {list(e.path)}: {e.message}")
    if errors:
        sys.exit(1)
    for p in doc["policies"]:
        for c in p["changes"]:
            kinds.add(c["kind"])
            if len(c["actions"]) != len(c["resources"]):
                sys.exit(f"{path}: a change's actions and resources differ in length")
missing = set(schema["$defs"]["change"]["properties"]["kind"]["enum"]) - kinds
if missing:
    sys.exit(f"no report had a change of kind {sorted(missing)}")
print(f"validated {len(sys.argv) - 2} reports with every kind of change")
PY
