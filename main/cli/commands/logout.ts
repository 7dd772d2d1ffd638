// `podbay logout [--authfile F] [-a] REGISTRY`: removes the registry's credentials from auth.json.
import { PodbayError } from '../../../shared/errors.ts';
import { defaultAuthFilePaths, removeCredentials } from '../../core/image/auth.ts';
import type { CommandSpec } from '../command.ts';
import { registryKey } from './login.ts';

export const command: CommandSpec = {
  name: 'logout',
  summary: 'Log out of a container registry',
  usage: 'logout [options] REGISTRY',
  maxArgs: 1,
  flags: {
    authfile: { type: 'string', description: 'Path of the authentication file', valueName: 'FILE' },
    all: { type: 'boolean', short: 'a', description: 'Remove the cached credentials for all registries in the auth file' },
  },
  examples: ['podbay logout registry.example.com', 'podbay logout -a'],
  async run(run) {
    const { flags, args, io } = run;
    const authFile = typeof flags.authfile === 'string' ? flags.authfile : (process.env.REGISTRY_AUTH_FILE || defaultAuthFilePaths()[0]!);
    if (flags.all === true) {
      const { existsSync, readFileSync, writeFileSync } = await import('node:fs');
      if (existsSync(authFile)) {
        const doc = JSON.parse(readFileSync(authFile, 'utf8')) as Record<string, unknown>;
        writeFileSync(authFile, `${JSON.stringify({ ...doc, auths: {} }, null, '\t')}\n`, { mode: 0o600 });
      }
      io.stdout('Removed login credentials for all registries\n');
      return 0;
    }
    if (args.length !== 1) throw new PodbayError('ErrInvalidArg', "logout requires exactly 1 argument (the registry)\nSee 'podbay logout --help'");
    const { key } = registryKey(args[0]!);
    if (!removeCredentials(key, authFile)) throw new PodbayError('ErrInvalidArg', `not logged into ${key}`);
    io.stdout(`Removed login credentials for ${key}\n`);
    return 0;
  },
};
