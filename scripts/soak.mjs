#!/usr/bin/env node
// `npm run test:soak`: the reliability suites at full size (PODBAY_SOAK=1) — every kill point of the
// crash harness, the whole registry-fault, disk-full and runtime-fault corpus, fuzzing with many runs,
// the hostile-tar suite with millions of entries, the untrusted renderer, 500 concurrent operations —
// then a summary table of what was tried. Exits non-zero when a test failed or when data was lost,
// something escaped or something crashed. `--readme` writes the table into README.md's Reliability
// section; `--only <substring>` runs the suites whose file path contains it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;

/** The suites of the soak, by project. Fuzz and hostile-input suites are unit tests that scale up. */
const suites = {
  unit: [
    'test/contract/schemas.fuzz.test.ts',
    'test/unit/core/image/layer-extract.test.ts',
    'test/unit/core/image/archive.test.ts',
    'test/unit/core/image/readers.fuzz.test.ts',
    'test/unit/core/image/reference-readers.fuzz.test.ts',
    'test/unit/core/oci/k8s-file-log.fuzz.test.ts',
    'test/unit/core/kube/kube-reader.fuzz.test.ts',
    'test/unit/core/runtime-config.fuzz.test.ts',
    'test/unit/core/image/reference.test.ts',
    'test/unit/core/image/manifest.test.ts',
    'test/unit/core/image/registries-conf.test.ts',
    'test/unit/core/image/tar-reader.test.ts',
  ],
  integration: ['test/integration/reliability/', 'test/integration/core/image/registry-faults.integration.test.ts'],
  e2e: ['test/e2e/untrusted-renderer.test.ts'],
};

const summaryDir = mkdtempSync(join(tmpdir(), 'podbay-soak-'));
const summaryFile = join(summaryDir, 'summary.jsonl');
const env = { ...process.env, PODBAY_SOAK: '1', PODBAY_SOAK_SUMMARY: summaryFile };
const run = (command, commandArgs) => spawnSync(command, commandArgs, { cwd: root, env, stdio: 'inherit' }).status ?? 1;

let failed = run(process.execPath, ['scripts/build.mjs']) !== 0;
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
for (const [project, files] of Object.entries(suites)) {
  const chosen = files.filter((f) => (!only || f.includes(only)) && existsSync(join(root, f)));
  if (chosen.length === 0) continue;
  if (run(process.execPath, [vitest, 'run', '--project', project, ...chosen]) !== 0) failed = true;
}

const entries = existsSync(summaryFile)
  ? readFileSync(summaryFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
  : [];
rmSync(summaryDir, { recursive: true, force: true });

const columns = [
  ['killPoints', 'kill points tried'],
  ['repairs', 'repairs made'],
  ['dataLost', 'data lost'],
  ['hostileInputs', 'hostile inputs tried'],
  ['escapes', 'escapes'],
  ['typedErrors', 'typed errors'],
  ['crashes', 'crashes'],
];
const cell = (value) => (value === undefined ? '—' : String(value));
const totals = Object.fromEntries(columns.map(([key]) => [key, entries.reduce((n, e) => n + (e[key] ?? 0), 0)]));
const lines = [
  `| suite | ${columns.map(([, title]) => title).join(' | ')} |`,
  `|---|${columns.map(() => '---:').join('|')}|`,
  ...entries.map((e) => `| ${e.suite} | ${columns.map(([key]) => cell(e[key])).join(' | ')} |`),
  `| **total** | ${columns.map(([key]) => `**${totals[key]}**`).join(' | ')} |`,
];
const notes = entries.filter((e) => e.notes).map((e) => `- ${e.suite}: ${e.notes}`);
const table = lines.join('\n');
process.stdout.write(`\n${table}\n\n${notes.join('\n')}\n`);

const bad = totals.dataLost > 0 || totals.escapes > 0 || totals.crashes > 0;
if (bad) process.stdout.write('\nFAILED: data lost, escapes and crashes must all be 0.\n');
if (entries.length === 0) {
  process.stdout.write('\nNo suite reported a summary.\n');
  failed = true;
}

if (args.includes('--readme') && !only) {
  const readme = join(root, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- reliability:start -->';
  const end = '<!-- reliability:end -->';
  const date = new Date().toISOString().slice(0, 10);
  const block = `${start}\nLatest \`npm run test:soak\` (${date}):\n\n${table}\n\n${notes.join('\n')}\n${end}`;
  if (text.includes(start) && text.includes(end)) {
    writeFileSync(readme, text.slice(0, text.indexOf(start)) + block + text.slice(text.indexOf(end) + end.length));
    process.stdout.write('README.md: reliability summary updated.\n');
  } else process.stdout.write('README.md has no reliability markers: summary not written.\n');
}

process.exit(failed || bad ? 1 : 0);
