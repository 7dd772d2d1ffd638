// The peer's configuration for every podman process of a run (CLI and REST service alike), as a
// user of this machine would set it: rlimits the host allows (podman's default nofile of 1048576
// fails without CAP_SYS_RESOURCE, also for a pod's infra container, which takes no --ulimit), and
// netavark, Debian's podman otherwise picking CNI, whose plugins are not installed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function usePodmanBenchConfig(): string {
  if (process.env.CONTAINERS_CONF) return process.env.CONTAINERS_CONF;
  const path = join(mkdtempSync(join(tmpdir(), 'podbay-bench-podman-')), 'containers.conf');
  writeFileSync(path, '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n\n[network]\nnetwork_backend = "netavark"\n');
  process.env.CONTAINERS_CONF = path;
  return path;
}
