#!/usr/bin/env python3
"""Writes the inputs of the `scopecop diff` benchmarks (bench/run):

- DIR/diff-6kb/before.json and after.json: an AWS managed policy of about 6 KB and a change to it (a Resource
  widened to "*", a statement added);
- DIR/diff-repo/: a git repository of 1,000 AWS managed policies, one file each, committed, then every file
  changed the same way in the working tree, for `scopecop diff --git HEAD`.

Usage: make-diff-inputs.py CORPUS.jsonl DIR
"""
import copy
import json
import os
import subprocess
import sys


def statements(doc):
    return doc["Statement"] if isinstance(doc["Statement"], list) else [doc["Statement"]]


def change(doc):
    new = copy.deepcopy(doc)
    new["Statement"] = statements(new)
    for s in new["Statement"]:
        if s.get("Resource") not in (None, "*"):
            s["Resource"] = "*"
            break
    new["Statement"].append({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::lake/*"})
    return new


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    docs = []
    for line in open(corpus):
        record = json.loads(line)
        doc = record["document"]
        docs.append((record["name"], json.loads(doc) if isinstance(doc, str) else doc))
    six = next(d for _, d in docs if 5800 < len(json.dumps(d, indent=2)) < 6500 and
               any(s.get("Resource") not in (None, "*") for s in statements(d)))
    os.makedirs(f"{out}/diff-6kb", exist_ok=True)
    json.dump(six, open(f"{out}/diff-6kb/before.json", "w"), indent=2)
    json.dump(change(six), open(f"{out}/diff-6kb/after.json", "w"), indent=2)

    repo = f"{out}/diff-repo"
    if os.path.isdir(repo):
        return
    os.makedirs(f"{repo}/policies")
    chosen = docs[:1000]
    for name, doc in chosen:
        json.dump(doc, open(f"{repo}/policies/{name}.json", "w"), indent=2)
    git = ["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "policies"], check=True)
    subprocess.run(git + ["gc", "-q"], check=True)  # packed, as a repository's history is
    for name, doc in chosen:
        json.dump(change(doc), open(f"{repo}/policies/{name}.json", "w"), indent=2)


if __name__ == "__main__":
    main()
