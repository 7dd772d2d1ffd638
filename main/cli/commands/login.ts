// `podbay login [-u USER] [-p PASS | --password-stdin] [--tls-verify=false] [--authfile F] REGISTRY`:
// proves the credentials against the registry (Basic on /v2/, or a token request), then writes them
// to the standard auth.json (${XDG_RUNTIME_DIR}/containers/auth.json) so podman and skopeo see them.
import { readFileSync } from 'node:fs';
import { PodbayError } from '../../../shared/errors.ts';
import { defaultAuthFilePaths, storeCredentials } from '../../core/image/auth.ts';
import { imageRegistriesConf, isInsecureRegistry } from '../../core/image/registries-conf.ts';
import { RegistryClient } from '../../core/image/registry-client.ts';
import type { CommandSpec } from '../command.ts';
import { registryOptions } from './images.ts';

/** `docker.io`, `host:port` or `host:port/namespace` (auth.json keys), without a scheme. */
export function registryKey(input: string): { key: string; host: string } {
  const key = input.replace(/^(https?|docker):\/\//, '').replace(/\/+$/, '');
  if (key === '' || /[\s@]/.test(key)) throw new PodbayError('ErrInvalidArg', `invalid registry ${JSON.stringify(input)}`);
  return { key, host: key.split('/')[0]! };
}

export const command: CommandSpec = {
  name: 'login',
  summary: 'Log in to a container registry',
  usage: 'login [options] REGISTRY',
  flags: {
    username: { type: 'string', short: 'u', description: 'Username for the registry', valueName: 'USER' },
    password: { type: 'string', short: 'p', description: 'Password for the registry', valueName: 'PASS' },
    'password-stdin': { type: 'boolean', description: 'Take the password from stdin' },
    'tls-verify': { type: 'string', description: 'Require HTTPS and verify certificates when contacting registries (default true)', valueName: 'BOOL' },
    authfile: { type: 'string', description: 'Path of the authentication file', valueName: 'FILE' },
    'get-login': { type: 'boolean', description: 'Return the current login user for the registry' },
  },
  examples: ['podbay login -u me -p secret registry.example.com', 'echo secret | podbay login -u me --password-stdin --tls-verify=false 127.0.0.1:5000'],
  async run(run) {
    const { flags, io } = run;
    const registry = registryOptions(run);
    if (registry.args.length !== 1) throw new PodbayError('ErrInvalidArg', "login requires exactly 1 argument (the registry)\nSee 'podbay login --help'");
    const { key, host } = registryKey(registry.args[0]!);
    const authFile = registry.authFile ?? defaultAuthFilePaths()[0]!;
    if (flags['get-login'] === true) {
      const { lookupAuth } = await import('../../core/image/auth.ts');
      const found = lookupAuth(host, key.slice(host.length + 1), [authFile]);
      if (!found?.credentials) throw new PodbayError('ErrUnauthorized', `not logged into ${key}`);
      io.stdout(`${found.credentials.username}\n`);
      return 0;
    }
    const username = typeof flags.username === 'string' ? flags.username : undefined;
    let password = typeof flags.password === 'string' ? flags.password : undefined;
    if (flags['password-stdin'] === true) {
      if (password !== undefined) throw new PodbayError('ErrInvalidArg', 'can only use one of --password or --password-stdin');
      password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
    }
    if (!username || password === undefined) throw new PodbayError('ErrInvalidArg', 'give --username and --password or --password-stdin (podbay does not prompt)');
    const ctx = await run.context();
    const insecure = registry.tlsVerify === false || isInsecureRegistry(imageRegistriesConf(ctx.config.image), host);
    const client = new RegistryClient({ registry: host, insecure, auth: { credentials: { username, password } } });
    await client.checkLogin(run.signal);
    storeCredentials(key, { username, password }, authFile);
    io.stdout('Login Succeeded!\n');
    return 0;
  },
};
