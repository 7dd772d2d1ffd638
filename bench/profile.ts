// `--profile`: the bench process's own CPU profile while a group runs, through the inspector — it
// holds everything Podbay does in-process (the Runtime verbs of the start and pods groups); CLI
// processes write theirs beside it (context.ts).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export interface ProfileRecorder {
  stop(): Promise<string>;
}

export async function startProfile(dir: string, name: string): Promise<ProfileRecorder> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  // 200 µs samples: fine enough for a verb that takes a few milliseconds.
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const path = join(dir, `${name}.in-process.cpuprofile`);
      writeFileSync(path, JSON.stringify(profile));
      return path;
    },
  };
}
