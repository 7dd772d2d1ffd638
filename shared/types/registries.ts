// Registries as the Registries page and the push dialog see them: what registries.conf, Podbay's
// drop-in, certs.d and the auth files say about each registry host, and the report of a test.
import type { ErrorData } from '../errors.ts';

/** One registry host (host[:port], or a registries.conf prefix such as `*.example.com`). */
export interface RegistryInfo {
  host: string;
  /** Listed in `unqualified-search-registries`: short names are looked up here. */
  search: boolean;
  /** Plain HTTP and unverified TLS allowed (registries.conf `insecure`, podbay.conf insecure registries). */
  insecure: boolean;
  blocked: boolean;
  /** Where pulls go when registries.conf rewrites the prefix to another location; null when the same. */
  location: string | null;
  /** Defined in Podbay's own drop-in (added on the Registries page): it can be removed there. */
  managed: boolean;
  /** CA certificates (`*.crt`) in a certs.d directory for this host. */
  caFiles: string[];
  /** The stored login, when an auth file has credentials for this host. */
  login: { username: string; authFile: string } | null;
  /** Files that mention this host (registries.conf files, auth files). */
  sources: string[];
}

/** What a registry test found, step by step; a step not reached is `skipped`. */
export interface RegistryTestReport {
  host: string;
  reachable:
    | { status: 'ok'; scheme: 'https' | 'http'; auth: string }
    | { status: 'failed'; error: ErrorData };
  login:
    | { status: 'not-required' }
    | { status: 'anonymous' }
    | { status: 'ok'; username: string }
    | { status: 'refused'; error: ErrorData }
    | { status: 'skipped' };
  push:
    | { status: 'allowed'; repository: string; cleanedUp: boolean }
    | { status: 'denied'; repository: string }
    | { status: 'failed'; repository: string; error: ErrorData }
    | { status: 'skipped' };
}
