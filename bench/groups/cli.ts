// CLI start-up: what every `podbay` command pays before doing anything (issue 2's benchmark).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command } from '../measure.ts';
import type { BenchGroup } from '../types.ts';

export const cliGroup: BenchGroup = {
  name: 'cli',
  async setup(context) {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-cli-'));
    const podbay = (...args: string[]) => context.podbay(['--root', join(dir, 'root'), '--runroot', join(dir, 'run'), ...args]);
    const podman = (...args: string[]) => command(['podman', '--root', join(dir, 'podman-root'), '--runroot', join(dir, 'podman-run'), ...args]);
    return {
      cases: [
        { group: 'cli', work: '`--version` cold start', podbay: { label: 'podbay --version', run: podbay('--version') }, peer: { label: 'podman --version', run: podman('--version') } },
        { group: 'cli', work: '`--version` vs the Node floor', podbay: { label: 'podbay --version', run: podbay('--version') }, peer: { label: 'node -e 0', run: command([process.execPath, '-e', '0']) } },
        { group: 'cli', work: '`info`', podbay: { label: 'podbay info', run: podbay('info') }, peer: { label: 'podman info', run: podman('info') }, goalRatio: 0.5 },
      ],
      teardown: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};
