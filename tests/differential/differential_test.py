#!/usr/bin/env python3
"""Differential test: scopecop's verdicts on seeded random Athena/Glue/S3/Redshift Data API/KMS policies against
an independent IAM evaluator (@cloud-copilot/iam-simulate, run by evaluate.mjs beside this file).

Usage: differential_test.py SCOPECOP SOURCE_DIR [--policies N] [--seed S]

The policies mix Allow and Deny, Action and NotAction, Resource and NotResource, and '*', '?' and policy
variables in every ARN field. scopecop checks them all in one run with a fixed scope; then each claim it makes
is put to the evaluator as requests on a grid of concrete ARNs (two regions, two accounts, a few names):

- ATHENA-001, GLUE-001, S3-001, REDSHIFT-002, KMS-001 ("allowed on every ..."): every grid ARN of the kind in
  the place the entry names (or, for NotResource, that the list leaves) is allowed for the finding's action.
- ATHENA-002, GLUE-002, S3-002, REDSHIFT-004, KMS-002: the witness ARN ("such as ...") is allowed for one of
  the entry's actions.
- RESOURCE-001 ("grants it nothing"): the statement alone allows the action on no grid ARN and on none of its
  own ARNs.
- ACTION-005, RESOURCE-007 ("already covered"): the policy without the covered entry decides every grid
  request as the policy does.

Policy variables take values that no grid ARN uses (a user "zed-user", a region and an account of their
own): a claim about what an entry reaches for certain is checked where the variable does not reach. Needs
SCOPECOP_IAM_SIMULATE (scripts/install-iam-simulate); without it the test says it is skipped, except under
CI=true, where that is a failure. Prints "N passed, N failed" and exits 1 on any disagreement.
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

REGIONS = ["us-east-1", "eu-west-1"]
ACCOUNTS = ["111122223333", "444455556666"]
CONTEXT = {"aws:username": "zed-user", "aws:RequestedRegion": "ap-south-2", "aws:PrincipalAccount": "999988887777"}

# The actions requests are made for, with the resource types each accepts (as the catalog says).
ACTIONS = {
    "athena:StartQueryExecution": ["workgroup"],
    "athena:GetWorkGroup": ["workgroup"],
    "athena:GetDataCatalog": ["datacatalog"],
    "glue:GetDatabase": ["catalog", "database"],
    "glue:GetTable": ["catalog", "database", "table"],
    "s3:GetObject": ["object"],
    "s3:PutObject": ["object"],
    "s3:ListBucket": ["bucket"],
    "redshift-data:ExecuteStatement": ["rs-cluster", "rs-workgroup"],
    "kms:Decrypt": ["key"],
}
WORKGROUP_IDS = ["4c5e1a2b-8d3f-4e6a-9b7c-0d1e2f3a4b5c", "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"]
KEY_IDS = ["1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"]


def grid():
    """Concrete ARNs by resource type."""
    out = {t: [] for t in ["workgroup", "datacatalog", "catalog", "database", "table", "bucket", "object",
                           "rs-cluster", "rs-workgroup", "key"]}
    for r in REGIONS:
        for a in ACCOUNTS:
            head = f"arn:aws:athena:{r}:{a}:"
            out["workgroup"] += [head + "workgroup/analytics", head + "workgroup/finance"]
            out["datacatalog"] += [head + "datacatalog/AwsDataCatalog", head + "datacatalog/lake"]
            head = f"arn:aws:glue:{r}:{a}:"
            out["catalog"].append(head + "catalog")
            out["database"] += [head + "database/sales", head + "database/hr"]
            out["table"] += [head + f"table/{d}/{t}" for d in ("sales", "hr") for t in ("orders", "people")]
            out["rs-cluster"] += [f"arn:aws:redshift:{r}:{a}:cluster:{c}" for c in ("analytics", "finance")]
            out["rs-workgroup"] += [f"arn:aws:redshift-serverless:{r}:{a}:workgroup/{w}" for w in WORKGROUP_IDS]
            out["key"] += [f"arn:aws:kms:{r}:{a}:key/{k}" for k in KEY_IDS]
    out["bucket"] = ["arn:aws:s3:::lake", "arn:aws:s3:::results"]
    out["object"] = [f"arn:aws:s3:::{b}/{k}" for b in ("lake", "results") for k in ("curated/x.csv", "raw/y.csv")]
    return out


GRID = grid()
KINDS = {  # scope rule family -> the resource types it judges
    "ATHENA-001": ["workgroup"], "ATHENA-002": ["workgroup"],
    "GLUE-001": ["database", "table"], "GLUE-002": ["catalog", "database", "table"],
    "S3-001": ["bucket", "object"], "S3-002": ["bucket", "object"],
    "REDSHIFT-002": ["rs-cluster", "rs-workgroup"], "REDSHIFT-004": ["rs-cluster", "rs-workgroup"],
    "KMS-001": ["key"], "KMS-002": ["key"],
}
SCOPE = """scope:
  accounts: ["111122223333"]
  regions: [us-east-1]
  athena:
    workgroups: [analytics]
  glue:
    databases: [sales]
    tables: ["sales/*"]
  s3:
    buckets:
      - {name: lake, prefixes: ["curated/*"], access: read}
  redshift:
    clusters: [analytics]
    workgroups: [4c5e1a2b-8d3f-4e6a-9b7c-0d1e2f3a4b5c]
  kms:
    keys: [1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d]
"""
CODES = ["ATHENA-001", "ATHENA-002", "GLUE-001", "GLUE-002", "S3-001", "S3-002", "REDSHIFT-002", "REDSHIFT-004",
         "KMS-001", "KMS-002", "RESOURCE-001", "RESOURCE-007", "ACTION-005"]
EVERY = ("ATHENA-001", "GLUE-001", "S3-001", "REDSHIFT-002", "KMS-001")
OUTSIDE = ("ATHENA-002", "GLUE-002", "S3-002", "REDSHIFT-004", "KMS-002")


def random_arn(rng, short):
    service = rng.choice(["athena", "glue", "s3", "redshift", "redshift-serverless", "kms"])
    if rng.random() < 0.08:
        # The evaluator does not read a short ARN in NotResource as its six-field form: only in Resource.
        return rng.choice(["*", f"arn:aws:{service}:*"] if short else ["*"])
    partition = rng.choice(["aws", "aws", "*", "a?s"])
    if service == "s3":
        resource = rng.choice(["lake", "lake/*", "lake/curated/*", "*", "*/*", "${aws:username}/*", "l?ke",
                               "results*", "lake/raw/y.csv"])
        return f"arn:{partition}:s3:::{resource}"
    region = rng.choice(["us-east-1", "*", "us-*", "?s-east-1", "eu-west-1", "${aws:RequestedRegion}"])
    account = rng.choice(["111122223333", "*", "1111*", "444455556666", "${aws:PrincipalAccount}"])
    if service == "athena":
        resource = rng.choice(["workgroup/analytics", "workgroup/*", "workgroup/a*", "workgroup/${aws:username}",
                               "datacatalog/*", "*", "workgroup/?inance", "workgroup/finance"])
    elif service == "redshift":
        resource = rng.choice(["cluster:analytics", "cluster:*", "cluster:a*", "cluster:${aws:username}", "*",
                               "cluster:finance", "dbuser:analytics/*"])
    elif service == "redshift-serverless":
        resource = rng.choice([f"workgroup/{WORKGROUP_IDS[0]}", "workgroup/*", "*", f"workgroup/{WORKGROUP_IDS[1]}",
                               "namespace/*"])
    elif service == "kms":
        resource = rng.choice([f"key/{KEY_IDS[0]}", "key/*", "*", f"key/{KEY_IDS[1]}", "key/1a2b*", "alias/*"])
    else:
        resource = rng.choice(["catalog", "database/sales", "database/*", "table/sales/*", "table/*/orders",
                               "table/${aws:username}/*", "*", "database/s*"])
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def random_policy(rng):
    statements = []
    for _ in range(rng.randint(1, 4)):
        s = {"Effect": "Allow" if rng.random() < 0.7 else "Deny"}
        if rng.random() < 0.85:
            pool = list(ACTIONS) + ["athena:*", "athena:Get*", "glue:Get*", "s3:Get*", "s3:*", "*", "redshift-data:*",
                                    "kms:*", "kms:Get*"]
            s["Action"] = rng.sample(pool, rng.randint(1, 2))
        else:
            s["NotAction"] = rng.sample(["iam:*", "athena:*", "s3:Put*", "glue:*", "kms:*", "redshift-data:*"],
                                        rng.randint(1, 2))
        element = "Resource" if rng.random() < 0.85 else "NotResource"
        s[element] = [random_arn(rng, element == "Resource") for _ in range(rng.randint(1, 3))]
        statements.append(s)
    return {"Version": "2012-10-17", "Statement": statements}


def pattern_regex(pattern, wildcard):
    """A policy pattern as a regular expression: `wildcard(c, i, field)` translates the '*' or '?' at i in the
    field-th colon-separated field; a policy variable is the value CONTEXT gives it."""
    out, field, i = "", 0, 0
    while i < len(pattern):
        if pattern.startswith("${", i):
            close = pattern.index("}", i)
            out += re.escape(CONTEXT.get(pattern[i + 2:close], "\0"))
            i = close + 1
            continue
        c = pattern[i]
        if c in "*?":
            out += wildcard(c, i, field)
        else:
            field += c == ":"
            out += re.escape(c)
        i += 1
    return out


def glob_regex(pattern, colon_spans):
    """An action name or one ARN field as a regular expression."""
    return pattern_regex(pattern, lambda c, i, field: (".*" if c == "*" else ".") if colon_spans
                         else ("[^:]*" if c == "*" else "[^:]"))


def iam_matches(pattern, arn, spanning=True):
    """IAM's documented Resource matching, independent of scopecop: the first five colons separate fields; in
    them '*' and '?' stay within the field, except a '*' ending the region or account field, which spans
    colons (unless `spanning` is false)."""
    def wildcard(c, i, field):
        if field >= 5:
            return ".*" if c == "*" else "."
        ends_field = i + 1 == len(pattern) or pattern[i + 1] == ":"
        return ".*" if c == "*" and spanning and field in (3, 4) and ends_field else \
            "[^:]*" if c == "*" else "[^:]"
    return pattern == "*" or re.fullmatch(pattern_regex(pattern, wildcard), arn) is not None


def in_place(entry, arn):
    """Whether `arn` lies in the partition, region and account `entry` names ("*" and short ARNs: anywhere)."""
    e, a = re.split(r":(?![^{]*})", entry, maxsplit=5), arn.split(":", 5)  # a variable keeps its ':'
    if entry == "*" or len(e) < 6:
        return True
    return all(re.fullmatch(glob_regex(e[k], False), a[k]) for k in (1, 3, 4))


def type_of(arn):
    """The resource type of a concrete Athena, Glue or S3 ARN of the grid's kinds."""
    resource = arn.split(":", 5)[5] if arn.count(":") >= 5 else ""
    if ":s3:" in arn:
        return "object" if "/" in resource else "bucket"
    for t in ("workgroup", "datacatalog", "database", "table", "catalog"):
        if resource == t or resource.startswith(t + "/"):
            return t
    return None


def named_actions(statement):
    """The request actions a statement's Action or NotAction names."""
    def matches(entry, action):
        return re.fullmatch(glob_regex(entry, True), action, re.IGNORECASE) is not None
    if "Action" in statement:
        return [a for a in ACTIONS if any(matches(e, a) for e in statement["Action"])]
    return [a for a in ACTIONS if not any(matches(e, a) for e in statement["NotAction"])]


class Evaluator:
    """Batches requests to evaluate.mjs."""

    def __init__(self, script):
        self.script = script
        self.policies, self.requests = [], []
        self.contexts = []  # for ask_in: the contexts a request may name by index

    def add_policy(self, policy):
        self.policies.append(policy)
        return len(self.policies) - 1

    def ask(self, policy, action, resource):
        self.requests.append([policy, action, resource])
        return len(self.requests) - 1

    def ask_in(self, policy, action, resource, context):
        self.requests.append([policy, action, resource, context])
        return len(self.requests) - 1

    def run(self):
        data = json.dumps({"policies": self.policies, "context": CONTEXT, "contexts": self.contexts,
                           "requests": self.requests})
        out = subprocess.run(["node", self.script], input=data, capture_output=True, text=True, check=True)
        answers = out.stdout.splitlines()
        if len(answers) != len(self.requests):
            sys.exit(f"differential: the evaluator answered {len(answers)} of {len(self.requests)} requests\n"
                     + out.stderr)
        return answers


def without_evaluator(label):
    """None when the evaluator is installed; otherwise the exit code: a skip (0), or a failure (1) under CI=true."""
    if os.environ.get("SCOPECOP_IAM_SIMULATE"):
        return None
    if os.environ.get("CI") == "true":
        print(f"{label}: SCOPECOP_IAM_SIMULATE is not set (scripts/install-iam-simulate), required in CI")
        return 1
    print(f"{label}: skipped: SCOPECOP_IAM_SIMULATE is not set (run scripts/install-iam-simulate)")
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scopecop")
    parser.add_argument("source_dir")
    parser.add_argument("--policies", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args()
    skip = without_evaluator("differential")
    if skip is not None:
        return skip

    rng = random.Random(args.seed)
    policies = [random_policy(rng) for _ in range(args.policies)]
    with tempfile.TemporaryDirectory(prefix="scopecop-differential-") as tmp:
        for i, p in enumerate(policies):
            with open(os.path.join(tmp, f"p{i:04d}.json"), "w") as f:
                json.dump(p, f, indent=1)
        config = os.path.join(tmp, "scope.yaml")
        with open(config, "w") as f:
            f.write(SCOPE)
        run = subprocess.run([args.scopecop, "check", "--format", "json", "--fail-on", "none", "--config", config,
                              "--select", ",".join(CODES), tmp], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"differential: scopecop exited {run.returncode}: {run.stderr}")
        findings = json.loads(run.stdout)["findings"]

    evaluator = Evaluator(os.path.join(args.source_dir, "tests", "differential", "evaluate.mjs"))
    checks = []  # (description, [request ids], predicate over their answers)
    counted = {code: 0 for code in CODES}
    spanning_only = [0]
    for f in findings:
        index = int(re.search(r"p(\d+)\.json$", f["file"]).group(1))
        policy = policies[index]
        statement = policy["Statement"][f["statement"]]
        code = f["code"]
        where = f"p{index:04d} {code} {f['pointer']}: {f['message']}"
        entry = f.get("resource")
        if code in EVERY:
            # With several actions the finding names no one: each that accepts the kind must reach it all.
            actions = [f["action"]] if "action" in f else []
            if not actions:
                continue
            p = evaluator.add_policy(policy)
            # "Every database or table": every ARN of one of the types, but those the policy's Denies take
            # away when the message says so.
            carved = "Denies take away" in f["message"]
            by_type = []
            for t in KINDS[code]:
                if t not in ACTIONS.get(actions[0], []):
                    continue
                ids = []
                by_type.append(ids)
                for arn in GRID[t]:
                    if entry is None:  # NotResource: what its list leaves, where its entries name
                        nots = statement["NotResource"]
                        if any(iam_matches(n, arn) for n in nots) or not any(in_place(n, arn) for n in nots):
                            continue
                    elif not in_place(entry, arn):
                        continue
                    ids.append(evaluator.ask(p, actions[0], arn))
            sizes = [len(ids) for ids in by_type]

            def every(answers, sizes=sizes, carved=carved):
                ok = {"Allowed", "ExplicitlyDenied"} if carved else {"Allowed"}
                at, inconclusive = 0, False
                for n in sizes:
                    part = answers[at:at + n]
                    at += n
                    if n and all(a in ok for a in part):
                        if "Allowed" in part:
                            return True
                        inconclusive = True  # the Denies took every grid ARN: the sample shows nothing
                return None if inconclusive else False
            if not any(sizes):
                continue  # no grid ARN lies where the entry names: nothing to put to the evaluator
            checks.append((where, [i for ids in by_type for i in ids], every))
            counted[code] += 1
        elif code in OUTSIDE:
            # Checked where the finding names its one action. A witness holds for some value of a policy
            # variable; Denies with a variable in NotResource depend on it, so those policies are left out.
            witness = re.search(r"such as (\S+)", f["message"])
            variable_carve = any(s.get("Effect") == "Deny" and "${" in json.dumps(s.get("NotResource", []))
                                 for s in policy["Statement"])
            if not witness or "action" not in f or f["action"] not in ACTIONS or variable_carve or \
                    (entry and "${" in entry):
                continue
            # Nor is a witness that only IAM's colon-spanning '*' reaches, which the evaluator does not read
            # (docs/architecture.md): the entry read field by field must match it.
            if entry and not iam_matches(entry, witness.group(1), spanning=False):
                spanning_only[0] += 1
                continue
            p = evaluator.add_policy(policy)
            ids = [evaluator.ask(p, f["action"], witness.group(1))]
            checks.append((where, ids, lambda answers: answers == ["Allowed"]))
            counted[code] += 1
        elif code == "RESOURCE-001" and statement["Effect"] == "Allow" and "action" in f:
            action = f["action"]
            if action not in ACTIONS:
                continue
            p = evaluator.add_policy({"Version": "2012-10-17", "Statement": [statement]})
            own = [r for r in statement.get("Resource", []) if not re.search(r"[*?$]", r)]
            ids = [evaluator.ask(p, action, arn) for t in ACTIONS[action] for arn in GRID[t] + own]
            checks.append((where, ids, lambda answers: "Allowed" not in answers))
            counted[code] += 1
        elif code in ("RESOURCE-007", "ACTION-005"):
            m = re.fullmatch(r"/Statement/(\d+)/(\w+)/(\d+)", f["pointer"])
            if not m:
                continue
            reduced = json.loads(json.dumps(policy))
            del reduced["Statement"][int(m.group(1))][m.group(2)][int(m.group(3))]
            p, q = evaluator.add_policy(policy), evaluator.add_policy(reduced)
            ids = []
            for action, types in ACTIONS.items():
                for t in types:
                    for arn in GRID[t]:
                        ids += [evaluator.ask(p, action, arn), evaluator.ask(q, action, arn)]
            checks.append((where, ids, lambda answers: answers[0::2] == answers[1::2]))
            counted[code] += 1

    # The evaluator refuses a request whose resource is of no type the action accepts: IAM never allows it.
    answers = ["ImplicitlyDenied" if a == 'error: {"message":"no.resource.types"}' else a for a in evaluator.run()]
    errors = [i for i, a in enumerate(answers) if a.startswith("error")]
    if errors:
        print(f"differential: the evaluator could not answer {len(errors)} requests, e.g.")
        for i in errors[:5]:
            print(f"    {evaluator.requests[i][1]} {evaluator.requests[i][2]} -> {answers[i]}")
        return 1
    passed = failed = inconclusive = 0
    for where, ids, holds in checks:
        verdict = holds([answers[i] for i in ids])
        if verdict is None:
            inconclusive += 1
        elif verdict:
            passed += 1
        else:
            failed += 1
            print(f"DISAGREE {where}")
            for i in ids[:12]:
                print(f"    {evaluator.requests[i][1]} {evaluator.requests[i][2]} -> {answers[i]}")
    print(f"differential: {args.policies} policies (seed {args.seed}), {len(findings)} findings, "
          f"{len(evaluator.requests)} requests; checked by code: "
          + ", ".join(f"{c} {n}" for c, n in counted.items())
          + f"; {spanning_only[0]} witnesses only colon-spanning reaches, not compared; {inconclusive} claims "
          "the grid cannot show (every ARN of it denied)")
    # Each kind of claim must have been put to the evaluator, or the test proves nothing about it.
    unexercised = [c for c, n in counted.items() if n == 0]
    if unexercised:
        print(f"differential: no claim of {', '.join(unexercised)} was checked")
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
