// `podbay serve`: the UI and the contract on a loopback address, for browsers (and for `npm start`
// where Electron's binary is not installed). Runs until interrupted.
import { join } from 'node:path';
import type { CommandSpec } from '../command.ts';
import { PodbayError } from '../../../shared/errors.ts';
import { startWebHost } from '../../server/web-host.ts';
import { locateRendererDir } from '../../server/renderer-dir.ts';
import { openAppWindow } from '../../server/open-app-window.ts';
import { createAppRouter } from '../../app-router.ts';
import { TransferStore } from '../../core/transfer-store.ts';

export const command: CommandSpec = {
  name: 'serve',
  aliases: ['system service'],
  summary: 'Serve the Podbay UI and API on a loopback address',
  usage: 'serve [options]',
  maxArgs: 0,
  flags: {
    port: { type: 'string', short: 'p', description: 'Port on 127.0.0.1 (default: a free one)', valueName: 'N' },
    'no-open': { type: 'boolean', description: 'Do not open an app window' },
  },
  examples: ['podbay serve', 'podbay serve --port 8080 --no-open'],
  async run({ flags, io, context, signal }) {
    const port = flags.port === undefined ? 0 : Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new PodbayError('ErrInvalidArg', `invalid port ${JSON.stringify(flags.port)}: use 0-65535`);
    const ctx = await context();
    const transfers = new TransferStore(join(ctx.paths.runRoot, 'transfers'));
    const host = await startWebHost({ router: createAppRouter({ ...ctx, transfers }), staticDir: locateRendererDir(), port, transfers }).catch((error: NodeJS.ErrnoException) => {
      throw new PodbayError(error.code === 'EADDRINUSE' ? 'ErrInvalidArg' : 'ErrInternal', `listening on 127.0.0.1:${port}: ${error.message}`, { cause: error });
    });
    io.stdout(`Podbay is serving on ${host.url}\n`);
    if (!flags['no-open']) io.stdout(`${openAppWindow(host.url, join(ctx.paths.graphRoot, 'ui-profile'))}\n`);
    io.stdout('Press Ctrl+C to stop.\n');
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await host.close();
    return 0;
  },
};
