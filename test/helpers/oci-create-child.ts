// Run in a separate Node process (bundled by `bundleOciCreateChild`): creates and starts one container
// through conmon, prints {"pid", "conmonPid"} and exits, so a test can check that the container outlives
// the process that started it. argv[2] is a JSON CreateContainerOptions plus the runtime options.
import { OciRuntime } from '../../main/core/oci/oci-runtime.ts';
import type { CreateContainerOptions, OciRuntimeOptions } from '../../main/core/oci/oci-runtime.ts';

const input = JSON.parse(process.argv[2] ?? '{}') as { runtime: OciRuntimeOptions; create: CreateContainerOptions };
const runtime = new OciRuntime(input.runtime);
const created = await runtime.createContainer(input.create);
await runtime.startContainer(input.create.id);
process.stdout.write(`${JSON.stringify(created)}\n`);
