// Opens the reports html_report_test.sh wrote (DIR/examples.html, DIR/dump.html with their JSON reports) in
// headless chromium and checks what a reader sees. Usage: node html_report_test.js DIR
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');
const assert = require('assert');

const dir = process.argv[2];
const report = (name) => JSON.parse(fs.readFileSync(path.join(dir, name + '.json'), 'utf8'));
const url = (name, hash = '') => 'file://' + path.join(dir, name + '.html') + hash;

// Every finding of `severities` (all when omitted) and `rule`.
function expected(json, { severities, rule, text } = {}) {
  return json.findings.filter(
    (f) => (!severities || severities.includes(f.severity)) && (!rule || f.code === rule) &&
      (!text || f.file.includes(text))).length;
}

async function open(browser, target, javascript = true) {
  const context = await browser.newContext({ javaScriptEnabled: javascript });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) problems.push('request ' + r.url()); });
  await page.goto(target);
  return { page, problems, context };
}

const visible = (page) => page.locator('article.finding:visible').count();

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.SCOPECOP_CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const examples = report('examples');
    const total = examples.findings.length;
    assert(total > 10, 'the examples have findings');
    const { page, problems, context } = await open(browser, url('examples'));

    // What the report says: the summary line, every finding, the rules' pages.
    assert.strictEqual(await page.locator('h1').innerText(), 'scopecop report');
    const summary = await page.locator('#summary').innerText();
    assert.match(summary, new RegExp(`^Found ${total} findings \\(`));
    assert.strictEqual(await visible(page), total);
    assert.strictEqual(await page.locator('#shown').innerText(), `${total} of ${total} findings shown`);
    const first = examples.findings[0];
    const article = page.locator('article.finding').first();
    assert.match(await article.innerText(), new RegExp(first.code));
    assert((await article.innerText()).includes(first.message), 'the first finding shows its message');
    assert((await article.innerText()).includes(`${first.file}:${first.line}:${first.column}`));
    assert.strictEqual(await page.locator('article.finding pre.source mark').count(), total);
    const codes = [...new Set(examples.findings.map((f) => f.code))];
    assert.strictEqual(await page.locator('details.rule').count(), codes.length);

    // A rule's page opens from the finding's link.
    await page.locator(`article.finding a[href="#rule-${first.code}"]`).first().click();
    const details = page.locator(`#rule-${first.code}`);
    await details.locator('summary').click();
    assert(await details.evaluate((d) => d.open), 'the rule page opens');
    assert.match(await details.innerText(), /Why/);

    // The filters: severities, a rule, a text, and all three in the address.
    await page.locator('input[name=severity][value=error]').uncheck();
    const noErrors = expected(examples, { severities: ['security', 'warning', 'suggestion'] });
    assert.strictEqual(await visible(page), noErrors);
    assert.strictEqual(await page.locator('#shown').innerText(), `${noErrors} of ${total} findings shown`);
    await page.locator('input[name=severity][value=error]').check();
    await page.locator('select[name=rule]').selectOption('POLICY-010');
    assert.strictEqual(await visible(page), expected(examples, { rule: 'POLICY-010' }));
    await page.locator('select[name=rule]').selectOption('');
    await page.locator('input[name=q]').fill('redshift-lake/');
    assert.strictEqual(await visible(page), expected(examples, { text: 'redshift-lake/' }));
    // A file whose findings are all filtered out is hidden with them.
    assert.strictEqual(await page.locator('section.file:visible').count(), 1);
    assert.match(page.url(), /#q=redshift-lake%2F$/);
    await page.locator('input[name=q]').fill('');
    assert.strictEqual(await visible(page), total);
    assert.deepStrictEqual(problems, [], 'no console errors, no requests');
    await context.close();

    // A filtered view linked to.
    const linked = await open(browser, url('examples', '#severity=security&rule=S3-004'));
    assert.strictEqual(await visible(linked.page), expected(examples, { severities: ['security'], rule: 'S3-004' }));
    assert.strictEqual(await linked.page.locator('input[name=severity][value=error]').isChecked(), false);
    assert.deepStrictEqual(linked.problems, []);
    await linked.context.close();

    // Without JavaScript: every finding and the summaries are there; the filters, which need it, are not.
    const plain = await open(browser, url('examples'), false);
    assert.strictEqual(await visible(plain.page), total);
    assert.strictEqual(await plain.page.locator('form#filters').isVisible(), false);
    assert.match(await plain.page.locator('#overview').innerText(), /by severity[\s\S]*by rule[\s\S]*by file/);
    assert.deepStrictEqual(plain.problems, []);
    await plain.context.close();

    // An account dump and templates: findings by principal.
    const dump = report('dump');
    const principals = {};
    for (const f of dump.findings) for (const p of f.principals || []) principals[p] = (principals[p] || 0) + 1;
    assert(Object.keys(principals).length > 0, 'the dump has findings about principals');
    const d = await open(browser, url('dump'));
    assert.strictEqual(await visible(d.page), dump.findings.length);
    const table = await d.page.locator('table:has(caption:text("by principal"))').innerText();
    for (const [p, n] of Object.entries(principals)) assert(table.includes(`${p}\t${n}`), `${p}: ${n} in\n${table}`);
    assert.deepStrictEqual(d.problems, []);
    await d.context.close();
  } finally {
    await browser.close();
  }
  console.log('html report: rendered text, filters, no console errors, works without JavaScript');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
