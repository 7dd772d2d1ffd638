// The Commit dialog's form as pure functions: what the user typed turned into a commit task's input,
// and the problems to show before anything is sent. The engine checks everything again.
import type { CommitTaskInput } from '../tasks/commit-task-model.ts';

export interface CommitForm {
  name: string;
  author: string;
  message: string;
  /** One instruction a line: `CMD=/bin/sh`, `ENV KEY=value`, … */
  changes: string;
  pause: boolean;
  format: 'oci' | 'docker';
}

export const emptyCommitForm: CommitForm = { name: '', author: '', message: '', changes: '', pause: true, format: 'oci' };

const instructions = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];

export function changeLines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Problems the form has (empty when it can be sent). */
export function commitFormProblems(form: CommitForm): string[] {
  const problems: string[] = [];
  const name = form.name.trim();
  if (name !== '' && (/\s/.test(name) || /[A-Z]/.test(name.split('/').pop()?.split(':')[0] ?? ''))) problems.push('The image name must be lower case, without spaces (registry/name:tag).');
  for (const line of changeLines(form.changes)) {
    const key = (/^([A-Za-z]+)[\s=]/.exec(line)?.[1] ?? '').toUpperCase();
    if (!instructions.includes(key)) problems.push(`"${line}": start it with one of ${instructions.join(', ')}.`);
  }
  return problems;
}

export function commitInput(form: CommitForm, container: { nameOrId: string; containerName: string }): CommitTaskInput {
  const name = form.name.trim();
  const author = form.author.trim();
  const message = form.message.trim();
  return {
    nameOrId: container.nameOrId,
    containerName: container.containerName,
    ...(name ? { name } : {}),
    ...(author ? { author } : {}),
    ...(message ? { message } : {}),
    changes: changeLines(form.changes),
    pause: form.pause,
    format: form.format,
  };
}
