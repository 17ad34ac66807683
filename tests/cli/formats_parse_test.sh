#!/usr/bin/env bash
# Every machine-readable format parses, whatever a hostile directory holds: file names with quotes, commas,
# colons, a newline and bidirectional controls, policies with control characters and U+FFFE, a broken
# template, notes. JSON and SARIF with Python's json, JUnit with its XML parser, GitHub commands line by line.
# Usage: formats_parse_test.sh SCOPECOP_BINARY SOURCE_DIR
set -euo pipefail
bin=$(realpath "$1")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
policy='{"Version": "2012-10-17", "Statement": [{"Sid": "a\u202eb\ufffe", "Effect": "Allow", "Action": "s3:GetObjec", "Resource": "arn:aws:s3:::b\u009b/*"}]}'
mkdir -p hostile
printf '%s' "$policy" > 'hostile/quote " and <tag> & amp.json'
printf '%s' "$policy" > 'hostile/comma,colon:name.json'
printf '%s' "$policy" > "hostile/new
line.json"
printf '%s' "$policy" > $'hostile/bidi\u202e.json'
printf 'Resources:\n  Q:\n    Type: AWS::SQS::QueuePolicy\n    Properties: {PolicyDocument: !ImportValue x}\n' > hostile/note.yaml
printf 'Resources:\n  A: [1, 2\n' > hostile/broken.yaml
for format in json sarif junit github; do
  "$bin" check --format "$format" --fail-on none hostile > "$format.out" 2>/dev/null
done
/usr/bin/python3 - <<'PY'
import json, sys
import xml.etree.ElementTree as ET
for name in ("json.out", "sarif.out"):
    doc = json.load(open(name, encoding="utf-8"))
    text = open(name, encoding="utf-8").read()
    if "\u202e" in text or "\u009b" in text:
        sys.exit(f"{name}: a bidirectional or C1 control is written raw")
junit = ET.parse("junit.out").getroot()
cases = junit.findall(".//testcase")
if len(cases) < 6:
    sys.exit(f"junit: {len(cases)} test cases")
doc = json.load(open("json.out"))
if doc["summary"]["not_checked"] != 1 or len(doc["notes"]) != 1:
    sys.exit("json: the note is missing")
if not any(f["code"] == "POLICY-001" for f in doc["findings"]):
    sys.exit("json: the broken template gives no POLICY-001")
for line in open("github.out", encoding="utf-8").read().split("\n"):
    if line and not line.startswith("::"):
        sys.exit(f"github: a line that is no workflow command: {line!r}")
print("every format parses:", len(doc["findings"]), "findings,", len(cases), "test cases")
PY
