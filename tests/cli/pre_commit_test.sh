#!/usr/bin/env bash
# The pre-commit hook end to end: Debian's pre-commit installs this repository's hook (.pre-commit-hooks.yaml)
# in a throwaway git repository; a commit of a flawed policy is blocked with the finding printed, and the
# fixed policy is committed. Without pre-commit the test says so and passes, except in CI (.ci/run installs it).
# Usage: pre_commit_test.sh SCOPECOP_BINARY SOURCE_DIR
set -euo pipefail
bin=$(realpath "$1")
src=$(realpath "$2")
if ! command -v pre-commit >/dev/null; then
  echo "skipped: pre-commit is not installed (apt-get install pre-commit)"
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache" PATH="$(dirname "$bin"):$PATH"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_GLOBAL=/dev/null

# The hook repository: this tree's hook definition, committed, as pre-commit fetches hooks by revision.
mkdir "$work/hooks"
cp "$src/.pre-commit-hooks.yaml" "$work/hooks/"
git -C "$work/hooks" init -q
git -C "$work/hooks" add .pre-commit-hooks.yaml
git -C "$work/hooks" commit -qm "scopecop hook"
# Pinned by a release tag, as the README's snippet pins it (its version: CHANGELOG.md's newest release).
rev=v$(sed -n 's/^## \[\([0-9.]*\)\] - .*/\1/p' "$src/CHANGELOG.md" | head -1)
git -C "$work/hooks" tag "$rev"
grep -q "    rev: $rev\$" "$src/README.md" || { echo "the README's pre-commit snippet does not pin $rev"; exit 1; }

mkdir "$work/repo"
cd "$work/repo"
git init -q
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $work/hooks
    rev: $rev
    hooks:
      - id: scopecop
YAML
pre-commit install >/dev/null
cp "$src/examples/analytics-tool/identity-policy.flawed.json" policy.json
echo '{"name": "web", "version": "1.0.0"}' > package.json  # staged, not a policy: skipped
git add .pre-commit-config.yaml policy.json package.json
if git commit -qm "flawed policy" >"$work/blocked.txt" 2>&1; then
  echo "FAIL: the commit of a flawed policy was not blocked"
  cat "$work/blocked.txt"
  exit 1
fi
if ! grep -Eq '^policy\.json:[0-9]+:[0-9]+: (error|security|warning) [A-Z0-9]+-[0-9]{3} ' "$work/blocked.txt"; then
  echo "FAIL: the blocked commit did not print a finding"
  cat "$work/blocked.txt"
  exit 1
fi
if grep -q 'package\.json:[0-9]' "$work/blocked.txt"; then
  echo "FAIL: a file that is not a policy was reported"
  cat "$work/blocked.txt"
  exit 1
fi
[ -z "$(git rev-list --all 2>/dev/null)" ] || { echo "FAIL: a commit exists after the blocked one"; exit 1; }

cp "$src/examples/analytics-tool/identity-policy.fixed.json" policy.json
git add policy.json
if ! git commit -qm "fixed policy" >"$work/accepted.txt" 2>&1; then
  echo "FAIL: the commit of the fixed policy was blocked"
  cat "$work/accepted.txt"
  exit 1
fi
[ "$(git rev-list --count HEAD)" = 1 ] || { echo "FAIL: the fixed policy was not committed"; exit 1; }
echo "pre-commit: the flawed policy was blocked:"
grep -E '^policy\.json:' "$work/blocked.txt"
echo "pre-commit: the fixed policy was committed"
