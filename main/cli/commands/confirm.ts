// The y/N question podman's prune commands ask before removing anything (`-f` skips it). No answer
// (stdin closed or not a terminal with nothing to read) means no.
import { createInterface } from 'node:readline';

export async function confirmed(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
