#!/usr/bin/env python3
"""Differential test of `scopecop can` against an independent IAM evaluator (@cloud-copilot/iam-simulate, run
by evaluate.mjs beside this file).

Usage: can_test.py SCOPECOP SOURCE_DIR [--requests N] [--seed S]   (N: SCOPECOP_CAN_REQUESTS, else 1500)

Seeded random identity policies (the generator of diff_test.py: Allow and Deny, Action and NotAction, Resource
and NotResource, wildcards in every ARN field, conditions on aws:PrincipalTag/team and aws:SecureTransport),
each asked one random request (an action of the scope test's vocabulary on a grid ARN, in one of the four
contexts those keys make, by a user of the resource's account). Every context key is given, so `can` must
decide, and its decision (allowed, explicitly denied, implicitly denied) must be the evaluator's. Requests the
evaluator cannot judge (its catalog lacks the action's resource types) are counted and left out.

Needs SCOPECOP_IAM_SIMULATE (scripts/install-iam-simulate); without it the test says it is skipped, except
under CI=true, where that is a failure. Prints "N passed, N failed" and exits 1 on any disagreement.
"""
import argparse
import concurrent.futures
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import differential_test as base  # noqa: E402
import diff_test  # noqa: E402

ANSWERS = {"allowed": "Allowed", "explicitly-denied": "ExplicitlyDenied", "implicitly-denied": "ImplicitlyDenied"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scopecop")
    parser.add_argument("source_dir")
    parser.add_argument("--requests", type=int, default=int(os.environ.get("SCOPECOP_CAN_REQUESTS", 1500)))
    parser.add_argument("--seed", type=int, default=20261205)
    args = parser.parse_args()
    skip = base.without_evaluator("can differential")
    if skip is not None:
        return skip

    rng = random.Random(args.seed)
    evaluator = base.Evaluator(os.path.join(args.source_dir, "tests", "differential", "evaluate.mjs"))
    evaluator.contexts = diff_test.CONTEXTS
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.requests):
            policy = diff_test.random_policy(rng)
            action = rng.choice(diff_test.REQUEST_ACTIONS)
            types = base.ACTIONS.get(action)
            resource = rng.choice(sum((base.GRID[t] for t in types), [])) if types else "*"
            context = rng.randrange(len(diff_test.CONTEXTS))
            path = os.path.join(tmp, f"p{i}.json")
            with open(path, "w") as f:
                json.dump(policy, f)
            account = resource.split(":")[4] if resource.count(":") >= 5 and resource.split(":")[4] else "111122223333"
            command = [args.scopecop, "can", "--format", "json", action, resource, path,
                       "--principal", f"arn:aws:iam::{account}:user/zed-user"]
            for key, value in diff_test.CONTEXTS[context].items():
                command += ["--context", f"{key}={value}"]
            cases.append((i, policy, action, resource, context, command,
                          evaluator.ask_in(evaluator.add_policy(policy), action, resource, context)))

        def run(case):
            out = subprocess.run(case[5], capture_output=True, text=True)
            if out.returncode not in (0, 1, 3):
                return f"exit {out.returncode}: {out.stderr.strip()}"
            return json.loads(out.stdout)["decision"]

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            decisions = list(pool.map(run, cases))
    answers = evaluator.run()

    failures, passed, skipped = [], 0, 0
    for (i, policy, action, resource, context, _, request), decision in zip(cases, decisions):
        expected = answers[request]
        if expected.startswith("error:"):
            skipped += 1
            continue
        if ANSWERS.get(decision) == expected:
            passed += 1
        else:
            failures.append(f"request {i}: {action} on {resource} in {diff_test.CONTEXTS[context]}: scopecop "
                            f"{decision}, evaluator {expected}\n  policy={json.dumps(policy)}")
    for f in failures[:20]:
        print(f)
    counts = {d: decisions.count(d) for d in ANSWERS}
    print(f"can differential: {len(cases)} requests ({', '.join(f'{n} {d}' for d, n in counts.items())}): "
          f"{passed} passed, {len(failures)} failed, {skipped} the evaluator could not judge")
    if passed < len(cases) // 2 or min(counts.values()) < len(cases) // 50:
        print("can differential: too few requests were judged for the test to mean anything")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
