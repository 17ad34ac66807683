// Evaluates IAM requests with the independent evaluator @cloud-copilot/iam-simulate, for the differential
// test (differential_test.py). The evaluator is AGPL-licensed: it is installed by scripts/install-iam-simulate
// outside the repository and only ever run as this separate program, never linked or shipped.
//
// Reads from stdin {"policies": [policy, ...], "context": {key: value}, "requests": [[policy, action,
// resource], ...]} and prints one line per request: Allowed, ImplicitlyDenied, ExplicitlyDenied or
// "error: ...". Every request is made by one principal of account 111122223333 on a resource of the same
// account, so that only the identity policy decides.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(process.env.SCOPECOP_IAM_SIMULATE + '/')
const { runSimulation } = require('@cloud-copilot/iam-simulate')

const input = JSON.parse(readFileSync(0, 'utf8'))
const lines = []
for (const [index, action, resource] of input.requests) {
  const simulation = {
    identityPolicies: [{ name: 'policy', policy: input.policies[index] }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      principal: 'arn:aws:iam::111122223333:user/zed-user',
      action,
      resource: { resource, accountId: '111122223333' },
      contextVariables: input.context
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
