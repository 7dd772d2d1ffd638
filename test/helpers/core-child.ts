// A child process for the multi-process core tests: the integration tests bundle this file with
// esbuild and run it with `node` several times at once on one store. Commands (argv):
//   create GRAPH RUN NAME            open a runtime, print "ready", wait for "go" on stdin, create the
//                                    container NAME, print {"ok":true,"id"} or {"ok":false,"code"}
//   create-many GRAPH RUN PREFIX N   create PREFIX-0 … PREFIX-(N-1), print "done"
//   hold-lock GRAPH RUN NAME MS      lease container NAME, print "locked", hold MS ms (-1: forever), release
//   churn GRAPH RUN SIZE             forever: add a pod with SIZE containers in one transaction, print
//                                    the round, remove it with its containers, print again
//   raw-mid-tx DBFILE                BEGIN IMMEDIATE, insert a namespace row, print "mid", spin
//   start GRAPH RUN NAME             start container NAME, print "started"
import Database from 'better-sqlite3';
import { createInterface } from 'node:readline';
import { withName, withRootFSFromPath } from '../../main/core/container-config.ts';
import { initialContainerState } from '../../main/core/container-state.ts';
import { generateId } from '../../main/core/names.ts';
import { Runtime } from '../../main/core/runtime.ts';
import { withConfigFiles, withHostProbe, withMode, withStorageConfig } from '../../main/core/runtime-config.ts';

const [command, ...args] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`);
const spec = { process: { args: ['sleep', 'infinity'] } };

function runtime(graphRoot: string, runRoot: string): Runtime {
  const probe = { overlaySupported: () => true, systemdBooted: () => false, isExecutable: () => true };
  // The test run's override only (its default network, vitest.config.ts), as test/helpers/core-store.ts.
  const override = process.env.PODBAY_CONF_OVERRIDE;
  return Runtime.create([withMode('rootful'), withConfigFiles(override ? [override] : []), withHostProbe(probe), withStorageConfig({ graphRoot, runRoot })]);
}

async function waitForGo(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === 'go') break;
  lines.close();
}

async function main(): Promise<void> {
  switch (command) {
    case 'create': {
      const [graphRoot, runRoot, name] = args as [string, string, string];
      const rt = runtime(graphRoot, runRoot);
      say('ready');
      await waitForGo();
      try {
        const ctr = await rt.newContainer(spec, [withName(name), withRootFSFromPath('/')]);
        say(JSON.stringify({ ok: true, id: ctr.id() }));
      } catch (error) {
        say(JSON.stringify({ ok: false, code: (error as { code?: string }).code ?? String(error) }));
      }
      rt.shutdown(false);
      break;
    }
    case 'create-many': {
      const [graphRoot, runRoot, prefix, count] = args as [string, string, string, string];
      const rt = runtime(graphRoot, runRoot);
      for (let i = 0; i < Number(count); i++) await rt.newContainer(spec, [withName(`${prefix}-${i}`), withRootFSFromPath('/')]);
      rt.shutdown(false);
      say('done');
      break;
    }
    case 'hold-lock': {
      const [graphRoot, runRoot, name, ms] = args as [string, string, string, string];
      const rt = runtime(graphRoot, runRoot);
      const ctr = rt.lookupContainer(name);
      const lease = await rt.locks().acquire([ctr.id()]);
      say('locked');
      if (Number(ms) < 0) await new Promise(() => setInterval(() => {}, 1000)); // held until killed
      await new Promise((resolve) => setTimeout(resolve, Number(ms)));
      lease.release();
      rt.shutdown(false);
      say('released');
      break;
    }
    case 'churn': {
      const [graphRoot, runRoot, size] = args as [string, string, string];
      const rt = runtime(graphRoot, runRoot);
      const state = rt.state();
      for (let round = 0; ; round++) {
        const podId = generateId();
        const now = new Date().toISOString();
        const members = Array.from({ length: Number(size) }, (_, i) => ({
          config: { id: generateId(), name: `churn-${round}-${i}`, pod: podId, spec, rootfs: '/', rootfsImage: null, labels: {}, annotations: {}, stopSignal: 15, sharedNamespaces: {}, createdAt: now },
          state: initialContainerState(),
        }));
        state.addPod({ config: { id: podId, name: `churn-pod-${round}`, labels: {}, createdAt: now }, state: { infraContainerId: null } }, members);
        say(`added ${round}`);
        await rt.removePod(rt.getPod(podId), false);
        say(`removed ${round}`);
      }
    }
    case 'raw-mid-tx': {
      const [file] = args as [string];
      const db = new Database(file);
      db.exec('BEGIN IMMEDIATE');
      db.prepare("INSERT INTO namespace (id, name, kind) VALUES (?, 'half-written', 'container')").run('e'.repeat(64));
      say('mid');
      for (;;) {
        // Spin inside the open transaction until killed.
      }
    }
    case 'start': {
      const [graphRoot, runRoot, name] = args as [string, string, string];
      const rt = runtime(graphRoot, runRoot);
      await rt.lookupContainer(name).start();
      say('started');
      rt.shutdown(true);
      break;
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  },
);
