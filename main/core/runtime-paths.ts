// Where a store lives, chosen per mode from the start: rootful uses /var/lib/podbay and /run/podbay
// (as podman uses /var/lib/containers and /run/containers); rootless follows XDG (its own issue adds
// the user namespace). Nothing here assumes uid 0 beyond choosing the rootful paths; the uid is the
// host's, also inside the rootless user namespace.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { hostIdentity } from './rootless/host-identity.ts';

export type RuntimeMode = 'rootful' | 'rootless';

export interface RuntimePaths {
  mode: RuntimeMode;
  graphRoot: string;
  runRoot: string;
  /** Config files read in order, later ones overriding earlier ones. */
  configFiles: string[];
}

export interface PathOverrides {
  root?: string | undefined;
  runRoot?: string | undefined;
}

export function detectMode(uid = hostIdentity().uid): RuntimeMode {
  return uid === 0 ? 'rootful' : 'rootless';
}

/**
 * $PODBAY_CONF_OVERRIDE names one more config file, read after all the others (podman's
 * CONTAINERS_CONF_OVERRIDE): a way to change a setting for one process tree, as tests do.
 */
function overrideFile(env: NodeJS.ProcessEnv): string[] {
  const file = env.PODBAY_CONF_OVERRIDE;
  return file ? [file] : [];
}

export function defaultPaths(mode: RuntimeMode, env: NodeJS.ProcessEnv = process.env, uid = hostIdentity().uid): RuntimePaths {
  if (mode === 'rootful') {
    return { mode, graphRoot: '/var/lib/podbay', runRoot: '/run/podbay', configFiles: ['/etc/podbay/podbay.conf', ...overrideFile(env)] };
  }
  const home = env.HOME || homedir();
  const dataHome = env.XDG_DATA_HOME || join(home, '.local', 'share');
  const configHome = env.XDG_CONFIG_HOME || join(home, '.config');
  const runtimeDir = env.XDG_RUNTIME_DIR || join('/tmp', `podbay-run-${uid}`);
  return {
    mode,
    graphRoot: join(dataHome, 'podbay'),
    runRoot: join(runtimeDir, 'podbay'),
    configFiles: ['/etc/podbay/podbay.conf', join(configHome, 'podbay', 'podbay.conf'), ...overrideFile(env)],
  };
}

export function resolvePaths(overrides: PathOverrides = {}, mode: RuntimeMode = detectMode()): RuntimePaths {
  const base = defaultPaths(mode);
  return {
    ...base,
    graphRoot: overrides.root ?? base.graphRoot,
    runRoot: overrides.runRoot ?? base.runRoot,
  };
}
