#!/usr/bin/env bash
# Every machine-readable format parses, whatever a hostile directory holds: file names with quotes, commas,
# colons, a newline, bidirectional controls and bytes that are not UTF-8, a link to /dev/zero, policies with
# control characters and U+FFFE, a broken template, notes. JSON and SARIF with Python's json (and SARIF with
# Microsoft's validator when SCOPECOP_SARIF_MULTITOOL names it), JUnit with its XML parser, GitHub commands
# line by line, HTML with Python's HTML parser (no element that a file name or policy brought in).
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
printf '%s' "$policy" > $'hostile/bad\xff\xfe.json'
printf '%s' "$policy" > $'hostile/bad\xfe\xff.json'
ln -s /dev/zero hostile/zero.json
printf 'Resources:\n  Q:\n    Type: AWS::SQS::QueuePolicy\n    Properties: {PolicyDocument: !ImportValue x}\n' > hostile/note.yaml
printf 'Resources:\n  A: [1, 2\n' > hostile/broken.yaml
for format in json sarif junit github html; do
  "$bin" check --format "$format" --fail-on none hostile > "$format.out" 2>"$format.err"
done
grep -q 'hostile/zero.json: not a regular file' json.err || { echo "the link to /dev/zero is not named"; exit 1; }
tool=${SCOPECOP_SARIF_MULTITOOL:-}
if [ -n "$tool" ] && [ -x "$tool" ]; then
  "$tool" validate sarif.out -o validation.sarif --quiet || true
  /usr/bin/python3 -c '
import json, sys
errors = [r for r in json.load(open("validation.sarif"))["runs"][0].get("results", []) if r.get("level", "warning") == "error"]
for e in errors: print(e["ruleId"], e["message"].get("text", e["message"]))
sys.exit(1 if errors else 0)'
fi
/usr/bin/python3 - <<'PY'
import json, sys
import xml.etree.ElementTree as ET
for name in ("json.out", "sarif.out"):
    doc = json.load(open(name, encoding="utf-8"))
    text = open(name, encoding="utf-8").read()
    if "\u202e" in text or "\u009b" in text:
        sys.exit(f"{name}: a bidirectional or C1 control is written raw")
    if "\ufffd" in text:
        sys.exit(f"{name}: bytes of a file name were replaced, not escaped")
junit = ET.parse("junit.out").getroot()
cases = junit.findall(".//testcase")
if len(cases) < 6:
    sys.exit(f"junit: {len(cases)} test cases")
doc = json.load(open("json.out"))
if doc["summary"]["not_checked"] != 1 or len(doc["notes"]) != 1:
    sys.exit("json: the note is missing")
files = {f["file"] for f in doc["findings"]}
if not {"hostile/bad\\xff\\xfe.json", "hostile/bad\\xfe\\xff.json"} <= files:
    sys.exit(f"json: file names that are not UTF-8 are not told apart: {sorted(files)}")
if not any(f["code"] == "POLICY-001" for f in doc["findings"]):
    sys.exit("json: the broken template gives no POLICY-001")
for line in open("github.out", encoding="utf-8").read().split("\n"):
    if line and not line.startswith("::"):
        sys.exit(f"github: a line that is no workflow command: {line!r}")
from html.parser import HTMLParser
class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = set()
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
page = Tags()
text = open("html.out", encoding="utf-8").read()
page.feed(text)
if "tag" in page.tags:
    sys.exit("html: a file name's <tag> became an element")
if "\u202e" in text or "\u009b" in text:
    sys.exit("html: a bidirectional or C1 control is written raw")
if text.count('<article class="finding') != len(doc["findings"]):
    sys.exit("html: not every finding is in the page")
print("every format parses:", len(doc["findings"]), "findings,", len(cases), "test cases")
PY
