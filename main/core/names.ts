// Names and ids of containers and pods. The name rule is podman's (libpod/define.NameRegex); ids are
// 64 hex digits as stringid.GenerateRandomID, re-drawn when the short form is all digits so a short id
// can never be mistaken for a number.
import { randomBytes } from 'node:crypto';
import { PodbayError } from '../../shared/errors.ts';

const nameRule = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const maxNameLength = 253;

/** Throws ErrInvalidArg unless `name` follows podman's rule `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
export function validateName(name: string, kind: 'container' | 'pod'): void {
  if (!nameRule.test(name) || name.length > maxNameLength) {
    throw new PodbayError('ErrInvalidArg', `invalid ${kind} name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]* (at most ${maxNameLength} characters)`);
  }
}

export function generateId(random: (n: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(32).toString('hex');
    if (!/^\d{12}$/.test(id.slice(0, 12))) return id;
  }
}

export const fullIdPattern = /^[0-9a-f]{64}$/;
export const idPrefixPattern = /^[0-9a-f]{1,64}$/;

// Our own short lists (the shape of Docker's namesgenerator: adjective_noun).
const adjectives = [
  'amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'cosy', 'crisp', 'curious', 'daring', 'deft', 'eager',
  'earnest', 'fair', 'fleet', 'fond', 'gentle', 'glad', 'grand', 'happy', 'hardy', 'honest', 'jolly', 'keen',
  'kind', 'lively', 'loyal', 'lucid', 'merry', 'mellow', 'modest', 'nimble', 'noble', 'patient', 'placid',
  'plucky', 'polite', 'proud', 'quick', 'quiet', 'rapid', 'serene', 'sharp', 'shy', 'sleek', 'smooth', 'snug',
  'spry', 'steady', 'stoic', 'sunny', 'swift', 'tender', 'tidy', 'trusty', 'vivid', 'warm', 'wise', 'witty', 'zesty',
];
const nouns = [
  'albatross', 'badger', 'beacon', 'bison', 'boulder', 'canyon', 'cedar', 'comet', 'coral', 'crane', 'delta',
  'dolphin', 'falcon', 'fern', 'fjord', 'gecko', 'glacier', 'harbor', 'heron', 'ibis', 'island', 'jaguar',
  'kestrel', 'lagoon', 'lantern', 'lynx', 'maple', 'meadow', 'meteor', 'nebula', 'orchid', 'osprey', 'otter',
  'panda', 'pebble', 'pelican', 'prairie', 'quartz', 'raven', 'reef', 'river', 'sparrow', 'spruce', 'summit',
  'thistle', 'tundra', 'valley', 'walrus', 'willow', 'wombat', 'yak', 'zephyr',
];

function pick<T>(list: readonly T[], random: (n: number) => Buffer): T {
  return list[random(4).readUInt32LE(0) % list.length] as T;
}

/**
 * A free adjective_noun name. After a few collisions a number is appended (as Docker does), so the
 * search always ends; the database's UNIQUE constraint stays the final judge under races.
 */
export function generateName(inUse: (name: string) => boolean, random: (n: number) => Buffer = randomBytes): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${pick(adjectives, random)}_${pick(nouns, random)}`;
    const name = attempt < 8 ? base : `${base}${random(2).readUInt16LE(0)}`;
    if (!inUse(name)) return name;
  }
}
