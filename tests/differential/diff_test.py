#!/usr/bin/env python3
"""Differential test of `scopecop diff` against an independent IAM evaluator (@cloud-copilot/iam-simulate, run
by evaluate.mjs beside this file).

Usage: diff_test.py SCOPECOP SOURCE_DIR [--pairs N] [--seed S]   (N: SCOPECOP_DIFF_PAIRS, else 2000)

Seeded random pairs of policies (the Athena/Glue/S3 policies of differential_test.py, each second one a
mutation of the first: a statement added, removed or replaced, a Resource list changed, an effect flipped, a
condition added or dropped) are written into two account dumps, policy pN in each, and compared in one
`scopecop diff` run. Allow statements may carry a condition on aws:PrincipalTag/team, Deny statements one on
aws:SecureTransport; requests are evaluated in the four contexts those keys make. Then:

- soundness: for up to eight changes of each pair and up to three actions of each, a change that says access
  was added (or removed) is right when the action is, on the change's witness resource, allowed by the new (old) policy in some context and by the old (new) one in none; for a
  change of conditions or of a conditional Deny, the side that grants allows the witness in some context;
- completeness: for sampled requests on a grid of concrete ARNs, when the new policy allows a request in some
  context where the old one does not, `diff` reports a change that adds access for the action, at a new
  statement whose Resource reaches the ARN; and the same for removed access, at an old statement.

Needs SCOPECOP_IAM_SIMULATE (scripts/install-iam-simulate); without it the test says it is skipped, except
under CI=true, where that is a failure. Prints "N passed, N failed" and exits 1 on any disagreement.
"""
import argparse
import copy
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import differential_test as base  # noqa: E402  (the policy generator, the ARN grid, the evaluator driver)

CONTEXTS = [
    {"aws:PrincipalTag/team": team, "aws:SecureTransport": secure}
    for team in ("data", "ops") for secure in ("true", "false")
]
for c in CONTEXTS:
    c.update(base.CONTEXT)
REQUEST_ACTIONS = list(base.ACTIONS) + ["s3:ListAllMyBuckets"]
WIDENING = {"added", "condition-dropped", "condition-changed", "deny-dropped"}


def random_policy(rng):
    """A policy of the scope-rule test without policy variables (a change to what a variable names is reported
    as conditional, for whichever principal it names), with conditions on some statements."""
    while True:
        policy = base.random_policy(rng)
        if "${" not in json.dumps(policy):
            break
    for s in policy["Statement"]:
        if rng.random() < 0.25:
            add_condition(rng, s)
    return policy


def add_condition(rng, s):
    if s["Effect"] == "Allow":
        s["Condition"] = {"StringEquals": {"aws:PrincipalTag/team": rng.choice(["data", "ops"])}}
    else:
        s["Condition"] = {"Bool": {"aws:SecureTransport": "false"}}


def mutate(rng, policy):
    new = copy.deepcopy(policy)
    statements = new["Statement"]
    for _ in range(rng.randint(1, 2)):
        what = rng.random()
        i = rng.randrange(len(statements))
        if what < 0.2:
            statements.append(random_policy(rng)["Statement"][0])
        elif what < 0.35 and len(statements) > 1:
            statements.pop(i)
        elif what < 0.5:
            statements[i] = random_policy(rng)["Statement"][0]
        elif what < 0.7:
            element = "Resource" if "Resource" in statements[i] else "NotResource"
            values = statements[i][element]
            if rng.random() < 0.5 and len(values) > 1:
                values.pop(rng.randrange(len(values)))
            else:
                arn = base.random_arn(rng, element == "Resource")
                while "${" in arn:
                    arn = base.random_arn(rng, element == "Resource")
                values.append(arn)
        elif what < 0.8:
            statements[i]["Effect"] = "Deny" if statements[i]["Effect"] == "Allow" else "Allow"
            statements[i].pop("Condition", None)
        elif "Condition" in statements[i]:
            del statements[i]["Condition"]
        else:
            add_condition(rng, statements[i])
    return new


def dump(policies):
    """An `aws iam get-account-authorization-details` output holding the policies as p0, p1, ..."""
    return {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": [
        {"PolicyName": f"p{i}", "PolicyId": f"ANPA{i:012d}", "Arn": f"arn:aws:iam::111122223333:policy/p{i}",
         "DefaultVersionId": "v1", "AttachmentCount": 0,
         "PolicyVersionList": [{"Document": p, "VersionId": "v1", "IsDefaultVersion": True}]}
        for i, p in enumerate(policies)]}


def reaches(statement, arn):
    """Whether an Allow statement of the report reaches a concrete ARN (IAM's matching, as the scope test
    implements it)."""
    if "resources" in statement:
        return any(base.iam_matches(p, arn) for p in statement["resources"])
    return not any(base.iam_matches(p, arn, spanning=False) for p in statement.get("not_resources", []))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scopecop")
    parser.add_argument("source_dir")
    parser.add_argument("--pairs", type=int, default=int(os.environ.get("SCOPECOP_DIFF_PAIRS", 2000)))
    parser.add_argument("--seed", type=int, default=20261205)
    args = parser.parse_args()
    skip = base.without_evaluator("diff differential")
    if skip is not None:
        return skip

    rng = random.Random(args.seed)
    olds, news = [], []
    for _ in range(args.pairs):
        old = random_policy(rng)
        olds.append(old)
        news.append(mutate(rng, old) if rng.random() < 0.8 else random_policy(rng))

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, policies in (("before.json", olds), ("after.json", news)):
            paths.append(os.path.join(tmp, name))
            with open(paths[-1], "w") as f:
                json.dump(dump(policies), f)
        started = time.monotonic()
        run = subprocess.run([args.scopecop, "diff", "--format", "json", "--no-fail-on-new-access"] + paths,
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"diff differential: scopecop exited {run.returncode}: {run.stderr}")
        report = json.loads(run.stdout)
        print(f"diff differential: scopecop compared {args.pairs} pairs in {time.monotonic() - started:.1f} s")
    changes = {int(p["name"].rsplit("/p", 1)[1]): p["changes"] for p in report["policies"]}
    undecided = [p["name"] for p in report["policies"] if p["undecided"]]

    evaluator = base.Evaluator(os.path.join(args.source_dir, "tests", "differential", "evaluate.mjs"))
    evaluator.contexts = CONTEXTS
    ids = [(evaluator.add_policy(o), evaluator.add_policy(n)) for o, n in zip(olds, news)]

    def ask_all(policy, action, resource):
        return [evaluator.ask_in(policy, action, resource, c) for c in range(len(CONTEXTS))]

    claims, samples = [], []
    for i in range(args.pairs):
        old_id, new_id = ids[i]
        pair_changes = changes.get(i, [])
        for change in rng.sample(pair_changes, min(len(pair_changes), 8)):
            # The vocabulary's actions first, then others; three per change.
            judged = sorted(zip(change["actions"], change["resources"]), key=lambda a: a[0] not in REQUEST_ACTIONS)
            for action, resource in judged[:3]:
                claims.append((i, change, action, resource, ask_all(old_id, action, resource),
                               ask_all(new_id, action, resource)))
        for _ in range(6):
            action = rng.choice(REQUEST_ACTIONS)
            types = base.ACTIONS.get(action)
            resource = rng.choice(sum((base.GRID[t] for t in types), [])) if types else "*"
            samples.append((i, action, resource, ask_all(old_id, action, resource),
                            ask_all(new_id, action, resource)))
    answers = evaluator.run()

    def allowed(requests):
        return [answers[r] == "Allowed" for r in requests]

    def unjudged(requests):
        # The evaluator's own catalog lacks the action's resource types ("no.resource.types").
        return any(answers[r].startswith("error:") for r in requests)

    def spanning(i, resource):
        # scopecop reads a '*' that ends a Resource's region or account field as matching ':' too; the
        # evaluator does not. Such witnesses (a Glue database named "aws:x", a backup recovery point's ARN,
        # whose format has '*' for an account) are where the two readings differ, not judged here.
        statements = olds[i]["Statement"] + news[i]["Statement"]
        return any(base.iam_matches(p, resource) != base.iam_matches(p, resource, spanning=False)
                   for s in statements for p in s.get("Resource", []) + s.get("NotResource", []))

    failures, passed, skipped = [], 0, 0
    for i, change, action, resource, old_requests, new_requests in claims:
        if unjudged(old_requests + new_requests) or spanning(i, resource):
            skipped += 1
            continue
        was, now = allowed(old_requests), allowed(new_requests)
        kind = change["kind"]
        if kind == "added":
            ok = any(now) and not any(was)
        elif kind == "removed":
            ok = any(was) and not any(now)
        elif kind in WIDENING:
            ok = any(now)
        else:
            ok = any(was)
        if ok:
            passed += 1
        else:
            failures.append(f"p{i} {kind} {action} on {resource}: evaluator old={was} new={now}\n"
                            f"  old={json.dumps(olds[i])}\n  new={json.dumps(news[i])}")
    for i, action, resource, old_requests, new_requests in samples:
        was, now = allowed(old_requests), allowed(new_requests)
        for widening, side in ((True, "after_statements"), (False, "before_statements")):
            grows = any(n and not w for n, w in zip(now, was)) if widening else \
                any(w and not n for n, w in zip(now, was))
            if not grows:
                continue
            # A change of conditions is reported once, as a widening, with both statements.
            reported = any(action in c["actions"] and
                           ((c["kind"] in WIDENING) == widening or c["kind"] == "condition-changed") and
                           any(s["effect"] == "Allow" and reaches(s, resource) for s in c[side])
                           for c in changes.get(i, []))
            if reported or f"policy/p{i}" in undecided:
                passed += 1
            else:
                failures.append(f"p{i}: {'new' if widening else 'removed'} access to {action} on {resource} "
                                f"not reported (evaluator old={was} new={now})\n"
                                f"  old={json.dumps(olds[i])}\n  new={json.dumps(news[i])}")
    for f in failures[:30]:
        print(f)
    reported = sum(len(c) for c in changes.values())
    print(f"diff differential: {args.pairs} policy pairs, {reported} changes reported, {len(claims)} claims and "
          f"{len(samples)} sampled requests judged in {len(CONTEXTS)} contexts: {passed} passed, "
          f"{len(failures)} failed, {skipped} not judged (the evaluator's catalog lacks the "
          f"action, or the witness depends on a '*' spanning ':')")
    if reported < args.pairs // 4 or passed < args.pairs:
        print("diff differential: too few changes were judged for the test to mean anything")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
