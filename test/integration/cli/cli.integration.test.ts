import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SystemInfo } from '../../../shared/types/system-info.ts';
import { codeCachePath } from '../../../main/cli/code-cache-path.ts';
import { cliPath, podbay, repoRoot } from '../../helpers/cli.ts';
import { makeTempStore } from '../../helpers/temp-store.ts';

const store = makeTempStore();
const globals = ['--root', store.root, '--runroot', store.runRoot];
afterAll(() => store.cleanup());

describe('podbay CLI', () => {
  it('prints its version as podman does', () => {
    const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;
    expect(podbay(['--version'])).toMatchObject({ code: 0, stdout: `podbay version ${version}\n` });
  });

  it('reports the same crun that `crun --version` reports', () => {
    const result = podbay([...globals, 'info', '--format', 'json']);
    expect(result.code).toBe(0);
    const info = JSON.parse(result.stdout) as SystemInfo;
    const crun = info.components.find((c) => c.name === 'crun');
    const real = spawnSync('crun', ['--version'], { encoding: 'utf8' });
    if (real.status !== 0) throw new Error('crun is not installed: apt-get install crun (npm test installs it)');
    expect(real.stdout).toContain(`crun version ${crun?.version}`);
    expect(crun?.path).toMatch(/\/crun$/);
    expect(info.store).toMatchObject({ graphRoot: store.root, runRoot: store.runRoot });
    expect(info.host.kernel).toBe(spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim());
  });

  it('reads the cgroup mode the host really has', () => {
    const info = JSON.parse(podbay([...globals, 'info', '--format', 'json']).stdout) as SystemInfo;
    const fsType = spawnSync('stat', ['-f', '-c', '%T', '/sys/fs/cgroup'], { encoding: 'utf8' }).stdout.trim();
    if (fsType === 'cgroup2fs') expect(info.host.cgroups.mode).toBe('v2');
    else {
      const unified = spawnSync('stat', ['-f', '-c', '%T', '/sys/fs/cgroup/unified'], { encoding: 'utf8' }).stdout.trim();
      expect(info.host.cgroups.mode).toBe(unified === 'cgroup2fs' ? 'hybrid' : 'v1');
    }
    const nofile = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
    const reported = info.host.rlimits.find((r) => r.resource === 'RLIMIT_NOFILE')?.hard;
    expect(reported === null ? 'unlimited' : String(reported)).toBe(nofile);
  });

  it('prints info as YAML by default', () => {
    const result = podbay([...globals, 'info']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^podbay:\n {2}version: "\d+\.\d+\.\d+"/);
    expect(result.stdout).toContain(`graphRoot: ${store.root}`);
  });

  it('answers errors as podman does: Error: on stderr, exit 125', () => {
    for (const args of [['frobnicate'], ['info', '--format', 'xml'], ['info', '--bogus'], ['--log-level', 'loud', 'info'], ['info', 'extra-arg']]) {
      const result = podbay([...globals, ...args]);
      expect(result.code, args.join(' ')).toBe(125);
      expect(result.stderr, args.join(' ')).toMatch(/^Error: /);
      expect(result.stdout).toBe('');
    }
  });

  it('has help for every command', () => {
    const root = podbay(['help']);
    expect(root.code).toBe(0);
    const commands = [...root.stdout.matchAll(/^ {2}([a-z-]+) {3,}/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['info', 'serve', 'version']));
    for (const command of commands) {
      const viaHelp = podbay(['help', command]);
      const viaFlag = podbay([command, '--help']);
      expect(viaHelp.code, command).toBe(0);
      expect(viaHelp.stdout, command).toMatch(/Usage:\n {2}podbay /);
      expect(viaFlag.stdout).toBe(viaHelp.stdout);
    }
  });

  it('bundles no React, renderer or Electron code into the CLI', () => {
    const dir = join(repoRoot, 'dist', 'cli');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.c?js$/.test(f));
    expect(files).toEqual(expect.arrayContaining(['podbay.js', 'podbay-bundle.cjs']));
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/require\(["']electron["']\)|from ["']electron["']|react-dom|__reactFiber/);
    }
  });

  it('starts from the code cache the build wrote for exactly this bundle', () => {
    const dir = join(repoRoot, 'dist', 'cli');
    expect(existsSync(codeCachePath(dir, statSync(join(dir, 'podbay-bundle.cjs'))))).toBe(true);
  });

  it('stops quietly when the reader of its output goes away (podbay info | head)', async () => {
    const child = spawn(process.execPath, [cliPath, ...globals, 'info', '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the CLI writes a byte: every write it makes meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('serves the UI with `serve`, prints the URL with its token, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cliPath, ...globals, 'serve', '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/.exec(out);
        if (match) resolve(match[0]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const refused = await fetch(url.replace(/\?token=.*/, ''), { redirect: 'manual' });
    expect(refused.status).toBe(401);
    const accepted = await fetch(url, { redirect: 'manual' });
    expect(accepted.status).toBe(303);
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});
