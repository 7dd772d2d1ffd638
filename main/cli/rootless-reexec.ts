// Rootless CLI: the engine must run as root of the user's namespace (rootless/userns-holder.ts), so
// a command that opens the store re-runs this same CLI invocation inside it through nsenter and
// exits with its status — what podman does with its re-exec into the pause process's namespaces.
// Node cannot setns(2) into a user namespace in a multi-threaded process, so a fresh process it is;
// the dispatcher asks before loading the command's modules, so the first process loads almost nothing.
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';
import type { AppContext } from '../app-context.ts';
import { formatUsernsMarker, hostIdentity, usernsEnvVar } from '../core/rootless/host-identity.ts';
import { readSubordinateIds } from '../core/rootless/subordinate-ids.ts';
import { detectMode } from '../core/runtime-paths.ts';
import { ensureNamespaceHolder, nsenterPrefix } from '../core/rootless/userns-holder.ts';

/**
 * The dispatcher's early check, before a command's modules load: null when the engine is rootful or
 * already inside (then nothing was loaded), the context when the config says rootful after all;
 * otherwise the process re-runs inside the namespace and this never resolves.
 */
export async function enterRootlessNamespaceEarly(load: () => Promise<AppContext>, signal: AbortSignal): Promise<AppContext | null> {
  if (hostIdentity().inUserNamespace || detectMode() !== 'rootless') return null;
  return enterRootlessNamespace(await load(), signal);
}

/** Resolves with the context when no re-exec is needed (rootful, or already inside); otherwise never. */
export async function enterRootlessNamespace(context: AppContext, signal: AbortSignal): Promise<AppContext> {
  if (context.config.mode !== 'rootless' || hostIdentity().inUserNamespace) return context;
  const { uid, gid } = hostIdentity();
  const user = userInfo().username;
  const owner = { name: user, id: uid };
  const [subuids, subgids] = await Promise.all([readSubordinateIds('/etc/subuid', owner), readSubordinateIds('/etc/subgid', owner)]);
  const pid = await ensureNamespaceHolder({ runRoot: context.config.storage.runRoot, uid, gid, subuids, subgids, signal });
  const [file, ...prefix] = await nsenterPrefix(pid);
  const child = spawn(file as string, [...prefix, process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [usernsEnvVar]: formatUsernsMarker(pid, uid, gid, user) },
  });
  // A terminal's Ctrl-C reaches the whole process group already; a SIGTERM sent to us is passed on.
  process.removeAllListeners('SIGINT');
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.once('error', (error) => {
    process.stderr.write(`Error: entering the rootless user namespace: ${error.message}\n`);
    process.exit(125);
  });
  child.once('exit', (code, sig) => process.exit(code ?? (sig === 'SIGKILL' ? 137 : 143)));
  return new Promise<never>(() => undefined);
}
