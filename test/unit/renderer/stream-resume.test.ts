import { describe, expect, it } from 'vitest';
import { resumeInput } from '../../../renderer/src/bridge/stream-resume.ts';

describe('resumeInput', () => {
  it('resumes system.events after the last seq it delivered', () => {
    expect(resumeInput('system.events', { filter: { type: ['container'] } }, { seq: 812 }, true)).toEqual({ filter: { type: ['container'] }, sinceSeq: 812 });
  });

  it('re-opens with the original input when nothing was delivered yet', () => {
    expect(resumeInput('system.events', {}, undefined, false)).toEqual({});
  });

  it('keeps the input of streams it knows nothing about', () => {
    const input = { id: 'abc' };
    expect(resumeInput('containers.logs', input, { line: 'x' }, true)).toBe(input);
  });

  it('ignores a last frame without a usable seq', () => {
    expect(resumeInput('system.events', {}, { seq: -1 }, true)).toEqual({});
    expect(resumeInput('system.events', {}, { seq: '5' }, true)).toEqual({});
  });
});
