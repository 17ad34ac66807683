// Evaluates IAM requests with the independent evaluator @cloud-copilot/iam-simulate, for the differential
// test (differential_test.py). The evaluator is AGPL-licensed: it is installed by scripts/install-iam-simulate
// outside the repository and only ever run as this separate program, never linked or shipped.
//
// Reads from stdin {"policies": [policy, ...], "context": {key: value}, "contexts": [{key: value}, ...],
// "requests": [[policy, action, resource, context?], ...]} (a request's context: an index into "contexts";
// without one, "context") and prints one line per request: Allowed, ImplicitlyDenied, ExplicitlyDenied or
// "error: ...". Every request is made by one principal of the account the resource ARN names (111122223333
// when it names none), so that only the identity policy decides; a KMS key, which IAM policies reach only
// through its key policy, has AWS's default key policy (the account may use IAM policies).
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(process.env.SCOPECOP_IAM_SIMULATE + '/')
const { runSimulation } = require('@cloud-copilot/iam-simulate')

const input = JSON.parse(readFileSync(0, 'utf8'))
const lines = []
for (const [index, action, resource, context] of input.requests) {
  const named = resource.split(':')[4]
  const account = /^[0-9]{12}$/.test(named ?? '') ? named : '111122223333'
  const simulation = {
    identityPolicies: [{ name: 'policy', policy: input.policies[index] }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: resource.includes(':kms:') && resource.includes(':key/')
      ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }] }
      : undefined,
    request: {
      principal: `arn:aws:iam::${account}:user/zed-user`,
      action,
      resource: { resource, accountId: account },
      contextVariables: context === undefined ? input.context : input.contexts[context]
    }
  }
  try {
    const result = await runSimulation(simulation, {})
    lines.push(result.overallResult ?? 'error: ' + JSON.stringify(result.errors ?? result).slice(0, 300))
  } catch (e) {
    lines.push('error: ' + String(e).slice(0, 300))
  }
}
process.stdout.write(lines.join('\n') + '\n')
