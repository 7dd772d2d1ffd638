// slirp4netns as the engine drives it, without a container: a process in a fresh network namespace
// (unshare -n, as root) gets tap0, a published port reaches a server in it from the host's
// loopback, and slirp4netns ends both when its exit watch hangs up and when it is stopped.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, readSlirpPorts, startSlirp4netns, stopSlirp4netnsSync } from '../../../main/core/rootless/slirp4netns.ts';

const skip = process.getuid?.() !== 0 ? 'needs root (unshare -n)' : !existsSync('/usr/bin/slirp4netns') ? 'slirp4netns is not installed' : !existsSync('/usr/bin/busybox') ? 'busybox is not installed' : null;

function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** unshare has made the namespace: slirp4netns must never configure the host's own. */
async function inOwnNetns(child: ChildProcess): Promise<number> {
  const pid = child.pid as number;
  for (let i = 0; i < 200; i++) {
    try {
      if (readlinkSync(`/proc/${pid}/ns/net`) !== readlinkSync('/proc/self/ns/net') && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'unshare') return pid;
    } catch {
      // not there yet
    }
    await sleep(10);
  }
  throw new Error(`process ${pid} never got a network namespace of its own`);
}

async function waitGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
  return !alive(pid);
}

describe.skipIf(skip !== null)(`slirp4netns${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dir: string;
  let server: ChildProcess;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-slirp-'));
    mkdirSync(join(dir, 'www'));
    writeFileSync(join(dir, 'www', 'index.html'), 'inside the namespace\n');
    server = spawn('unshare', ['-n', '--', 'busybox', 'httpd', '-f', '-p', '80', '-h', join(dir, 'www')], { stdio: 'ignore' });
  });

  afterEach(() => {
    stopSlirp4netnsSync(dir);
    server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const slirpPid = () => Number(readFileSync(join(dir, 'slirp4netns.pid'), 'utf8').trim());

  it('configures tap0, publishes a port to the host, and is gone once stopped', async () => {
    const port = await freePort();
    await startSlirp4netns({ pid: await inOwnNetns(server), runDir: dir, portMappings: [{ host_ip: '127.0.0.1', container_port: 80, host_port: port, range: 1, protocol: 'tcp' }] });
    const addr = spawnSync('nsenter', ['-t', String(server.pid), '-n', 'busybox', 'ip', '-4', '-o', 'addr', 'show', 'tap0'], { encoding: 'utf8' });
    expect(addr.stdout).toMatch(/inet 10\.0\.2\.100\/24/);
    expect(readSlirpPorts(dir)).toEqual([{ host_ip: '127.0.0.1', container_port: 80, host_port: port, range: 1, protocol: 'tcp' }]);
    const response = await fetch(`http://127.0.0.1:${port}/`);
    expect(await response.text()).toBe('inside the namespace\n');
    const pid = slirpPid();
    expect(alive(pid)).toBe(true);
    stopSlirp4netnsSync(dir);
    expect(await waitGone(pid)).toBe(true);
    expect(existsSync(join(dir, 'slirp4netns.pid'))).toBe(false);
    expect(readSlirpPorts(dir)).toBeNull();
  });

  it('exits by itself when the holder of its exit watch goes away', async () => {
    // A holder standing in for conmon: it keeps the other end of the socket pair until it dies.
    const holder = spawn('sleep', ['60'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    await startSlirp4netns({ pid: await inOwnNetns(server), runDir: dir, exitWatch: holder.stdio[3] as Socket });
    const pid = slirpPid();
    expect(alive(pid)).toBe(true);
    holder.kill('SIGKILL');
    expect(await waitGone(pid)).toBe(true);
  });

  it('a host port already taken fails the start and leaves no slirp4netns running', async () => {
    const port = await freePort();
    const mapping = { host_ip: '127.0.0.1', container_port: 80, host_port: port, range: 1, protocol: 'tcp' as const };
    await startSlirp4netns({ pid: await inOwnNetns(server), runDir: dir, portMappings: [mapping] });
    const first = slirpPid();
    const other = spawn('unshare', ['-n', '--', 'sleep', '60'], { stdio: 'ignore' });
    const otherDir = mkdtempSync(join(tmpdir(), 'podbay-slirp-'));
    try {
      await expect(startSlirp4netns({ pid: await inOwnNetns(other), runDir: otherDir, portMappings: [mapping] })).rejects.toThrow(/publishing 127\.0\.0\.1:\d+ → 80\/tcp through slirp4netns/);
      expect(existsSync(join(otherDir, 'slirp4netns.pid'))).toBe(false);
      expect(alive(first)).toBe(true);
    } finally {
      stopSlirp4netnsSync(otherDir);
      other.kill('SIGKILL');
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('leaves a process that is not slirp4netns alone even if the pid file names it', () => {
    writeFileSync(join(dir, 'slirp4netns.pid'), `${server.pid}\n`);
    stopSlirp4netnsSync(dir);
    expect(alive(server.pid as number)).toBe(true);
    expect(existsSync(join(dir, 'slirp4netns.pid'))).toBe(false);
  });
});
