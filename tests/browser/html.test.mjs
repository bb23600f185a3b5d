// Nu Html Checker (vnu.jar, run with the system Java) over every HTML file of the built site:
// no errors allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { LABEL, OUT, sitePages } from './lib.mjs';

const JAR = process.env.SOTAY_VNU_JAR || new URL('./node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url).pathname;

test(`[${LABEL}] Nu Html Checker finds no errors on any page`, () => {
  const pages = sitePages();
  assert.ok(pages.length > 10, `expected the bundled site, found ${pages.length} pages`);
  const run = spawnSync('java', ['-jar', JAR, '--errors-only', '--skip-non-html', '--format', 'json', OUT], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.error, undefined, `could not run java: ${run.error}`);
  const report = JSON.parse(run.stderr || run.stdout || '{"messages":[]}');
  const errors = report.messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  const lines = errors.map((m) => {
    const file = m.url ? relative(OUT, new URL(m.url).pathname) : '?';
    return `${file}:${m.lastLine ?? '?'}: ${m.message} ${m.extract ? `«${m.extract.trim()}»` : ''}`;
  });
  assert.deepEqual(lines, [], `vnu errors:\n${lines.join('\n')}`);
  console.log(`vnu: ${pages.length} pages checked, no errors`);
});
