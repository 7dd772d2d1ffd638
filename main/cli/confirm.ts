// podman's [y/N] prompt for destructive commands without --force (prune): the question on stdout, one
// line read from stdin; anything but y/yes — or stdin closing — is a no.
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
