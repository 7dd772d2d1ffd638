// `--ipc/--pid/--uts host` as podman has them: the container's process is in the host's namespace of
// that kind (the same /proc/self/ns link target as the test's own), keeps the others private, sees
// the host's name under --uts host and the host's /dev/shm under --ipc host.
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podbay } from '../../helpers/cli.ts';
import { busyboxLayer, busyboxMissing, buildImage, installImage } from '../../helpers/image-builder.ts';
import { crunRefusalReason, ociSkipReason } from '../../helpers/oci-env.ts';

const skip = ociSkipReason('crun') ?? crunRefusalReason('crun') ?? busyboxMissing() ?? null;

describe.skipIf(skip !== null)(`--ipc/--pid/--uts host${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let globals: string[];
  const cli = (...args: string[]) => podbay([...globals, ...args], { timeoutMs: 60_000 });
  const nsLinks = (...flags: string[]) => {
    const result = cli('run', '--rm', '--network', 'none', ...flags, 'localhost/busybox', 'sh', '-c', 'for ns in ipc pid uts; do readlink /proc/self/ns/$ns; done');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [ipc, pid, uts] = result.stdout.trim().split('\n');
    return { ipc, pid, uts };
  };
  const host = { ipc: readlinkSync('/proc/self/ns/ipc'), pid: readlinkSync('/proc/self/ns/pid'), uts: readlinkSync('/proc/self/ns/uts') };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-host-ns-'));
    globals = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run')];
    await installImage(join(dir, 'root'), buildImage([busyboxLayer()]), 'localhost/busybox:latest');
  });
  afterAll(() => {
    cli('rm', '-f', '-a');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every namespace private by default', () => {
    const links = nsLinks();
    expect(links.ipc).not.toBe(host.ipc);
    expect(links.pid).not.toBe(host.pid);
    expect(links.uts).not.toBe(host.uts);
  });

  it('uses the host namespace of each kind asked for, and only those', () => {
    expect(nsLinks('--pid', 'host')).toEqual({ ipc: expect.not.stringMatching(host.ipc), pid: host.pid, uts: expect.not.stringMatching(host.uts) });
    expect(nsLinks('--ipc', 'host', '--uts', 'host')).toEqual({ ipc: host.ipc, pid: expect.not.stringMatching(host.pid), uts: host.uts });
  });

  it('sees the host processes with --pid host', () => {
    const result = cli('run', '--rm', '--network', 'none', '--pid', 'host', 'localhost/busybox', 'cat', `/proc/${process.pid}/cmdline`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(process.execPath.split('/').at(-1));
  });

  it('keeps the host name with --uts host, and /etc/hostname says it', () => {
    const result = cli('run', '--rm', '--network', 'none', '--uts', 'host', 'localhost/busybox', 'sh', '-c', 'hostname; cat /etc/hostname');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${hostname()}\n${hostname()}\n`);
  });

  it("shares the host's /dev/shm with --ipc host", () => {
    const name = `podbay-host-ns-${process.pid}`;
    writeFileSync(join('/dev/shm', name), 'from the host');
    try {
      const result = cli('run', '--rm', '--network', 'none', '--ipc', 'host', 'localhost/busybox', 'cat', `/dev/shm/${name}`);
      expect(result).toMatchObject({ code: 0, stdout: 'from the host' });
      expect(cli('run', '--rm', '--network', 'none', 'localhost/busybox', 'cat', `/dev/shm/${name}`).code).not.toBe(0);
    } finally {
      rmSync(join('/dev/shm', name), { force: true });
    }
  });

  it('shows the modes in inspect as podman does, and refuses modes it does not know', () => {
    const id = cli('create', '--network', 'none', '--pid', 'host', 'localhost/busybox', 'true').stdout.trim();
    const [inspect] = JSON.parse(cli('container', 'inspect', id).stdout) as { HostConfig: Record<string, string> }[];
    expect(inspect?.HostConfig).toMatchObject({ PidMode: 'host', IpcMode: 'private', UTSMode: 'private' });
    const bad = cli('create', '--network', 'none', '--ipc', 'bogus', 'localhost/busybox', 'true');
    expect(bad.code).toBe(125);
    expect(bad.stderr).toContain('--ipc bogus: expected private, host or container:NAME');
  });
});
