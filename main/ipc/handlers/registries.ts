// The registries procedures over the core's registry settings and check. The files are read on
// every call (they are small, and podman or an editor may change them between calls).
import type { Handlers } from '../../../shared/contract/define.ts';
import type { registryProcedures } from '../../../shared/contract/registries.ts';
import { registryClientFor, testRegistry } from '../../core/image/registry-check.ts';
import { checkRegistryHost, defaultRegistryFiles, listRegistries, registriesConfOf, registryInfo, removeLogin, removeRegistry, saveLogin, writeRegistry } from '../../core/image/registry-settings.ts';
import type { RegistryFiles } from '../../core/image/registry-settings.ts';
import type { ResolvedRuntimeConfig } from '../../core/runtime-config.ts';

export interface RegistryHandlerDeps {
  config: ResolvedRuntimeConfig;
  /** Defaults to the files podman uses for this user (tests point them into a temp dir). */
  registryFiles?: RegistryFiles;
}

export function createRegistryHandlers(deps: RegistryHandlerDeps) {
  const files = () => deps.registryFiles ?? defaultRegistryFiles();
  const conf = () => registriesConfOf(files(), deps.config.image);
  return {
    'registries.list': async () => listRegistries(files(), deps.config.image),
    'registries.add': async (input, { signal }) => {
      const host = checkRegistryHost(input.host);
      // Credentials are proved before anything is written, with the CA and scheme being added.
      if (input.credentials) {
        await registryClientFor(files(), conf(), { host, tlsVerify: input.insecure ? false : undefined, ca: input.ca, credentials: input.credentials }).checkLogin(signal);
      }
      writeRegistry(files(), { host, insecure: input.insecure, ca: input.ca });
      if (input.credentials) saveLogin(files(), host, input.credentials);
      return registryInfo(files(), deps.config.image, host);
    },
    'registries.remove': async (input) => removeRegistry(files(), input.host),
    'registries.test': async (input, { signal }) => testRegistry(files(), conf(), { ...input, signal }),
    'registries.login': async (input, { signal }) => {
      const host = checkRegistryHost(input.host);
      await registryClientFor(files(), conf(), { host, tlsVerify: input.tlsVerify, credentials: input.credentials }).checkLogin(signal);
      saveLogin(files(), host, input.credentials);
      return registryInfo(files(), deps.config.image, host);
    },
    'registries.logout': async (input) => removeLogin(files(), input.host),
  } satisfies Handlers<typeof registryProcedures>;
}
