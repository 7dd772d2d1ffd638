// Reads Kubernetes YAML that may be hostile: bounded in size, documents and alias expansion (a
// "billion laughs" document stops at maxKubeAliases), every object checked by kube-schema.ts. Any
// failure is ErrInvalidArg naming the document and the field; kinds and fields Podbay does not act
// on come back in `ignored`.
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { PodbayError } from '../../../shared/errors.ts';
import { maxKubeYamlBytes } from '../../../shared/types/kube.ts';
import type { KubeIgnored } from '../../../shared/types/kube.ts';
import { kubeSchemas } from './kube-schema.ts';
import type { KubeObject } from './kube-schema.ts';

export const maxKubeDocuments = 64;
/** yaml's maxAliasCount: how many alias nodes one document may resolve (each expansion counted). */
export const maxKubeAliases = 100;
/** The ignored list is for people: past this many entries the rest is summed up in one. */
const maxIgnored = 200;

export interface KubeDocuments {
  objects: KubeObject[];
  ignored: KubeIgnored[];
}

function invalid(message: string, cause?: unknown): PodbayError {
  return new PodbayError('ErrInvalidArg', `reading kube yaml: ${message}`, cause === undefined ? undefined : { cause });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `spec.containers[0].ports` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out;
}

/** Keys of `raw` that the schema stripped from `parsed`, with their paths. */
function collectIgnored(raw: unknown, parsed: unknown, path: string, out: string[]): void {
  if (Array.isArray(raw) && Array.isArray(parsed)) {
    raw.forEach((item, i) => collectIgnored(item, parsed[i], `${path}[${i}]`, out));
    return;
  }
  if (!isRecord(raw) || !isRecord(parsed)) return;
  for (const key of Object.keys(raw)) {
    const sub = path ? `${path}.${key}` : key;
    if (!Object.hasOwn(parsed, key)) out.push(sub);
    else collectIgnored(raw[key], parsed[key], sub, out);
  }
}

function describe(raw: Record<string, unknown>, index: number): string {
  const meta = raw.metadata;
  const name = isRecord(meta) && typeof meta.name === 'string' ? ` ${meta.name.slice(0, 253)}` : '';
  return `${String(raw.kind).slice(0, 64)}${name || ` (document ${index + 1})`}`;
}

function parseDocuments(text: string): unknown[] {
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > maxKubeDocuments) throw invalid(`${list.length} documents: at most ${maxKubeDocuments} are read`);
  return list.map((doc, i) => {
    const error = doc.errors[0];
    if (error) throw invalid(`document ${i + 1}: ${error.message.split('\n')[0]}`);
    try {
      return doc.toJS({ maxAliasCount: maxKubeAliases });
    } catch (cause) {
      throw invalid(`document ${i + 1}: ${cause instanceof Error ? cause.message.split('\n')[0] : 'cannot be read'}`, cause);
    }
  });
}

/**
 * Parses and checks every document of `text`. Empty documents are skipped; a document that is not a
 * mapping with a string `kind`, a wrong field type or a missing required field → ErrInvalidArg.
 */
export function readKube(text: string): KubeDocuments {
  if (typeof text !== 'string') throw invalid('expected text');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxKubeYamlBytes) throw invalid(`${bytes} bytes: at most ${maxKubeYamlBytes} are read`);
  let docs: unknown[];
  try {
    docs = parseDocuments(text);
  } catch (error) {
    // The parser itself may fail on input no schema foresaw (nesting deep enough to exhaust the stack).
    if (error instanceof PodbayError) throw error;
    throw invalid(error instanceof Error ? error.message.split('\n')[0] ?? 'cannot be parsed' : 'cannot be parsed', error);
  }
  const objects: KubeObject[] = [];
  const ignoredPaths: KubeIgnored[] = [];
  docs.forEach((raw, index) => {
    if (raw === null || raw === undefined) return;
    if (!isRecord(raw) || typeof raw.kind !== 'string') throw invalid(`document ${index + 1} is not a Kubernetes object (a mapping with a kind)`);
    const what = describe(raw, index);
    const schema = (kubeSchemas as Record<string, z.ZodType<KubeObject>>)[raw.kind];
    if (!schema) {
      ignoredPaths.push({ path: what, reason: `kind ${raw.kind.slice(0, 64)} is not supported` });
      return;
    }
    const result = schema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const at = issue ? fieldPath(issue.path) : '';
      throw invalid(`${what}: ${at ? `${at}: ` : ''}${issue?.message ?? 'invalid'}`);
    }
    const stripped: string[] = [];
    collectIgnored(raw, result.data, '', stripped);
    for (const path of stripped) ignoredPaths.push({ path: `${what}: ${path}`, reason: 'field not supported' });
    objects.push(result.data);
  });
  const ignored = ignoredPaths.length > maxIgnored
    ? [...ignoredPaths.slice(0, maxIgnored), { path: '…', reason: `${ignoredPaths.length - maxIgnored} more fields not supported` }]
    : ignoredPaths;
  return { objects, ignored };
}
