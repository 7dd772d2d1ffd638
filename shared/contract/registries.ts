import { z } from 'zod';
import { call } from './define.ts';
import type { RegistryInfo, RegistryTestReport } from '../types/registries.ts';

/** host[:port], as in a reference's domain and an auth.json key (checked precisely by the core). */
const host = z.string().min(1).max(255);
const credentials = z.strictObject({ username: z.string().min(1).max(1024), password: z.string().max(64 * 1024) });
/** PEM text of one or more CA certificates. */
const caPem = z.string().min(1).max(256 * 1024);

export const registryProcedures = {
  /** Registries from registries.conf (search, insecure, blocked), Podbay's drop-in, certs.d and the auth files. */
  'registries.list': call<RegistryInfo[]>()(z.strictObject({})),
  /**
   * Adds (or updates) a registry: an entry in Podbay's registries.conf drop-in (insecure = plain HTTP or
   * unverified TLS), a CA written to certs.d/<host>/ca.crt, and credentials stored in auth.json after the
   * registry accepted them (ErrUnauthorized otherwise, and nothing is written).
   */
  'registries.add': call<RegistryInfo>()(
    z.strictObject({ host, insecure: z.boolean().default(false), ca: caPem.optional(), credentials: credentials.optional() }),
  ),
  /** Removes a registry added here (its drop-in entry and the CA Podbay wrote); ErrInvalidArg for one defined elsewhere. */
  'registries.remove': call<boolean>()(z.strictObject({ host })),
  /**
   * Tests a registry: reachable (ErrRegistryUnreachable otherwise), whether the login works (given
   * credentials, else the stored ones), and whether a push to `repository` would be allowed (a blob
   * upload opened and cancelled at once). `ca` tries a CA not saved yet.
   */
  'registries.test': call<RegistryTestReport>()(
    z.strictObject({
      host,
      tlsVerify: z.boolean().optional(),
      ca: caPem.optional(),
      credentials: credentials.optional(),
      repository: z.string().min(1).max(255).optional(),
    }),
  ),
  /** Checks the credentials against the registry, then stores them in auth.json (`podbay login`). */
  'registries.login': call<RegistryInfo>()(z.strictObject({ host, credentials, tlsVerify: z.boolean().optional() })),
  /** Removes stored credentials (`podbay logout`); false when there were none. */
  'registries.logout': call<boolean>()(z.strictObject({ host })),
};
