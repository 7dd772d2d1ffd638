// "Test" on the Registries page and in the push dialog: is the registry reachable (and over which
// scheme), does the login work, and may these credentials push — each answered by the request a
// real pull or push makes first, and nothing left behind (the test upload is cancelled).
import { PodbayError, toErrorData } from '../../../shared/errors.ts';
import type { RegistryTestReport } from '../../../shared/types/registries.ts';
import type { Credentials } from './auth.ts';
import { isInsecureRegistry } from './registries-conf.ts';
import type { RegistriesConf } from './registries-conf.ts';
import { RegistryClient } from './registry-client.ts';
import { checkRegistryHost } from './registry-settings.ts';
import type { RegistryFiles } from './registry-settings.ts';
import { createTlsFetch, loadCertsD } from './tls-fetch.ts';

export interface RegistryTestInput {
  host: string;
  /** false: plain HTTP / unverified TLS allowed for this test, whatever registries.conf says. */
  tlsVerify?: boolean;
  /** A CA to try before it is saved. */
  ca?: string;
  /** Instead of the stored login. */
  credentials?: Credentials;
  /** Where the push check opens its upload (default `podbay-push-check`): a push goes to one repository. */
  repository?: string;
  signal?: AbortSignal;
  /** Test hook. */
  fetch?: typeof fetch;
}

/** Default scratch repository of the push check. */
export const pushCheckRepository = 'podbay-push-check';

/**
 * A client for `host` with the settings a pull or push would use: insecure from registries.conf or
 * `tlsVerify: false`, certs.d CAs (plus `ca` when given), and the given or stored credentials.
 */
export function registryClientFor(files: RegistryFiles, conf: RegistriesConf, input: Omit<RegistryTestInput, 'repository' | 'signal'>): RegistryClient {
  const host = checkRegistryHost(input.host);
  const insecure = input.tlsVerify === false || isInsecureRegistry(conf, host);
  let fetchImpl = input.fetch;
  if (!fetchImpl && input.ca !== undefined) {
    const certs = loadCertsD(host, files.certsDirs);
    fetchImpl = createTlsFetch({ verify: !insecure, ...certs, ca: [...(certs?.ca ?? []), input.ca] });
  }
  return new RegistryClient({
    registry: host,
    insecure,
    auth: input.credentials ? { credentials: input.credentials } : undefined,
    authFilePaths: files.authFiles,
    certsDirs: files.certsDirs,
    fetch: fetchImpl,
    // A test answers quickly: one retry, not the pull's five with backoff.
    retry: { attempts: 2, baseDelayMs: 100 },
  });
}

export async function testRegistry(files: RegistryFiles, conf: RegistriesConf, input: RegistryTestInput): Promise<RegistryTestReport> {
  const host = checkRegistryHost(input.host);
  const repository = input.repository?.trim() || pushCheckRepository;
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository)) {
    throw new PodbayError('ErrInvalidArg', `invalid repository ${JSON.stringify(repository)} for the push check: lower-case path components such as team/app`);
  }
  const client = registryClientFor(files, conf, input);
  const report: RegistryTestReport = { host, reachable: { status: 'failed', error: { code: 'ErrInternal', category: 'internal', message: 'not tried' } }, login: { status: 'skipped' }, push: { status: 'skipped' } };
  try {
    await client.ping(input.signal);
  } catch (error) {
    if (error instanceof PodbayError && error.code === 'ErrCanceled') throw error;
    report.reachable = { status: 'failed', error: toErrorData(error) };
    return report;
  }
  report.reachable = { status: 'ok', scheme: client.scheme ?? 'https', auth: client.authScheme };
  const username = input.credentials?.username ?? client.username;
  if (client.authScheme === 'none') report.login = { status: 'not-required' };
  else if (username === undefined) report.login = { status: 'anonymous' };
  else {
    try {
      await client.checkLogin(input.signal);
      report.login = { status: 'ok', username };
    } catch (error) {
      if (error instanceof PodbayError && error.code === 'ErrCanceled') throw error;
      report.login = { status: 'refused', error: toErrorData(error) };
      return report;
    }
  }
  try {
    const probe = await client.probePush(repository, input.signal);
    report.push = probe.allowed ? { status: 'allowed', repository, cleanedUp: probe.cleanedUp } : { status: 'denied', repository };
  } catch (error) {
    if (error instanceof PodbayError && error.code === 'ErrCanceled') throw error;
    report.push = { status: 'failed', repository, error: toErrorData(error) };
  }
  return report;
}
