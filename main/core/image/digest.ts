// Content digests (`sha256:<64 hex>`). A digest string from a registry or an archive is hostile
// until parsed here: CVE-2024-3727 was a digest such as `sha256:../../x` becoming a blob path.
// Only sha256 and sha512 are accepted, in their exact lower-case hex length, so every `Digest`
// value is safe to put in a path or URL.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { PodbayError } from '../../../shared/errors.ts';

declare const digestBrand: unique symbol;
/** A validated `algorithm:hex` string. Only `parseDigest` and `Hasher.digest` make one. */
export type Digest = string & { readonly [digestBrand]: true };

export type DigestAlgorithm = 'sha256' | 'sha512';

const hexLengths: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };
const lowerHexRe = /^[a-f0-9]+$/;

/** Validates algorithm and exact hex length before anything else looks at the string. */
export function parseDigest(text: string): Digest {
  if (typeof text !== 'string' || text.length > 200) {
    throw new PodbayError('ErrInvalidArg', 'invalid digest: not a short string');
  }
  const colon = text.indexOf(':');
  if (colon < 0) throw new PodbayError('ErrInvalidArg', `invalid digest ${JSON.stringify(text)}: missing algorithm`);
  const algorithm = text.slice(0, colon);
  const hex = text.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') {
    throw new PodbayError('ErrInvalidArg', `invalid digest ${JSON.stringify(text)}: unsupported algorithm ${JSON.stringify(algorithm)}`);
  }
  if (hex.length !== hexLengths[algorithm] || !lowerHexRe.test(hex)) {
    throw new PodbayError('ErrInvalidArg', `invalid digest ${JSON.stringify(text)}: ${algorithm} needs ${hexLengths[algorithm]} lower-case hex digits`);
  }
  return text as Digest;
}

export function isDigest(text: unknown): text is Digest {
  try {
    return typeof text === 'string' && parseDigest(text) === text;
  } catch {
    return false;
  }
}

export function digestAlgorithm(digest: Digest): DigestAlgorithm {
  return digest.slice(0, digest.indexOf(':')) as DigestAlgorithm;
}

export function digestHex(digest: Digest): string {
  return digest.slice(digest.indexOf(':') + 1);
}

/** Digest of an in-memory buffer (manifests and configs, which are size-limited). */
export function digestOf(data: Uint8Array | string, algorithm: DigestAlgorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}` as Digest;
}

/** An incremental hasher that also counts bytes. */
export class Hasher {
  readonly algorithm: DigestAlgorithm;
  private readonly hash: Hash;
  bytes = 0;

  constructor(algorithm: DigestAlgorithm = 'sha256') {
    this.algorithm = algorithm;
    this.hash = createHash(algorithm);
  }

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  /** Ends the hash; call once. */
  digest(): Digest {
    return `${this.algorithm}:${this.hash.digest('hex')}` as Digest;
  }
}

/**
 * A pass-through stream that hashes what flows through it. `result()` is valid after 'end'.
 * Used where a pipeline (gunzip → tar) needs the digest of an intermediate stream.
 */
export class HashingStream extends Transform {
  private readonly hasher: Hasher;
  private final: Digest | undefined;

  constructor(algorithm: DigestAlgorithm = 'sha256') {
    super();
    this.hasher = new Hasher(algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hasher.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.final = this.hasher.digest();
    callback();
  }

  get bytes(): number {
    return this.hasher.bytes;
  }

  result(): Digest {
    if (this.final === undefined) throw new PodbayError('ErrInternal', 'digest read before the stream ended');
    return this.final;
  }
}

/** Throws a precise error when `actual` differs from `expected` (c/image's wording). */
export function verifyDigest(expected: Digest, actual: Digest, what: string): void {
  if (expected !== actual) {
    throw new PodbayError('ErrInvalidArg', `${what}: digest did not match, expected ${expected}, got ${actual}`);
  }
}
