// `npm run bench -- --smoke` inside `npm test`: every group sets up its fixtures and runs each case
// once against its peer, so the bench cannot rot between real runs. The figures are ignored (timings
// never live in tests); what is checked is that every group ran every case to a number and that a
// smoke run writes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const benchScript = join(root, 'dist', 'bench', 'bench.js');
const latest = join(root, 'bench', 'results', 'latest.json');
const groups = ['cli', 'start', 'list', 'remove', 'transfer', 'pods', 'desktop', 'rootless'];

function skipReason(): string | null {
  if (process.geteuid?.() !== 0) return 'the bench runs containers as root';
  if (spawnSync('podman', ['--version']).status !== 0) return 'podman (the peer) missing: apt-get install podman';
  if (!existsSync(benchScript)) return 'dist/bench/bench.js missing: npm run build';
  if (!existsSync(join(root, 'dist', 'renderer', 'index.html'))) return 'the renderer is not built: npm run build';
  return null;
}

const skip = skipReason();
describe.skipIf(skip !== null)(`npm run bench -- --smoke${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('runs every case of every group once and writes no results', () => {
    const before = existsSync(latest) ? readFileSync(latest, 'utf8') : null;
    const result = spawnSync(process.execPath, [benchScript, '--smoke'], { encoding: 'utf8', timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
    expect(result.status, result.stderr.slice(-2000)).toBe(0);
    const sections = result.stdout.split(/^## /m).slice(1);
    expect(sections.map((s) => s.split('\n', 1)[0])).toEqual(groups);
    for (const section of sections) {
      const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| work'));
      expect(rows.length, `rows of ${section.split('\n', 1)[0]}`).toBeGreaterThan(0);
      // Every row has a measured Podbay figure (column 2), and a peer figure where it names a peer.
      for (const row of rows) {
        const cells = row.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, ''));
        expect(cells[1], row).toMatch(/^\d+(\.\d+)? (ms|%|MB)$/);
        if (cells[2] !== '—') expect(cells[3], row).toMatch(/^\d+(\.\d+)? (ms|%|MB)$/);
      }
    }
    expect(result.stdout).toContain('smoke run: figures not written');
    expect(existsSync(latest) ? readFileSync(latest, 'utf8') : null).toBe(before);
  }, 900_000);
});
