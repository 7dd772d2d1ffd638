import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../../main/cli/run-cli.ts';
import { command as commitCommand } from '../../../main/cli/commands/commit.ts';
import { parseCopyArgument } from '../../../main/cli/commands/cp.ts';
import { pairOfSizes, statsFields, statsSize } from '../../../main/cli/commands/stats.ts';

describe('boolean flags with a value', () => {
  it('take --flag=true|false as pflag does, and stay plain booleans otherwise', () => {
    expect(parseCommandArgs(['--pause=false', 'ctr'], commitCommand.flags, 'commit').flags.pause).toBe(false);
    expect(parseCommandArgs(['--pause=TRUE', 'ctr'], commitCommand.flags, 'commit').flags.pause).toBe(true);
    expect(parseCommandArgs(['-p', 'ctr', 'img'], commitCommand.flags, 'commit')).toMatchObject({ flags: { pause: true }, args: ['ctr', 'img'] });
    expect(parseCommandArgs(['ctr'], commitCommand.flags, 'commit').flags.pause).toBeUndefined();
    expect(() => parseCommandArgs(['--pause=maybe', 'ctr'], commitCommand.flags, 'commit')).toThrow();
    expect(parseCommandArgs(['--author=true', 'ctr'], commitCommand.flags, 'commit').flags.author).toBe('true');
  });
});

describe('podbay cp arguments', () => {
  it('reads CTR:PATH as a container path, and host paths with a colon as host paths', () => {
    expect(parseCopyArgument('web:/etc/passwd')).toEqual({ container: 'web', path: '/etc/passwd' });
    expect(parseCopyArgument('web:rel')).toEqual({ container: 'web', path: 'rel' });
    expect(parseCopyArgument('./a:b')).toEqual({ path: './a:b' });
    expect(parseCopyArgument('/tmp/x:y')).toEqual({ path: '/tmp/x:y' });
    expect(parseCopyArgument('-')).toEqual({ path: '-' });
    expect(() => parseCopyArgument('web:')).toThrow();
  });
});

describe('podbay stats output', () => {
  it('prints sizes as go-units HumanSize and pairs as podman', () => {
    expect(statsSize(796)).toBe('796B');
    expect(statsSize(1_434_000)).toBe('1.434MB');
    expect(statsSize(67_108_864)).toBe('67.11MB');
    expect(pairOfSizes(0, 0)).toBe('-- / --');
    expect(pairOfSizes(null, 5)).toBe('-- / --');
    expect(pairOfSizes(1000, 2_000_000)).toBe('1kB / 2MB');
    expect(statsFields({ id: 'a'.repeat(64), name: 'w', cpuPercent: 1.234, avgCpuPercent: 0.5, cpuNanos: 12_603_000, memUsage: 1_434_000, memLimit: 33_540_000_000, memPercent: 0, netInput: 796, netOutput: 796, blockInput: 0, blockOutput: 0, pids: 1, time: 0 })).toEqual({
      id: 'a'.repeat(12), name: 'w', cpu_time: '12.603ms', cpu_percent: '1.23%', avg_cpu: '0.50%', mem_usage: '1.434MB / 33.54GB', mem_percent: '0.00%', net_io: '796B / 796B', block_io: '-- / --', pids: '1',
    });
  });
});
