// Every CLI command, by name, with its one-line summary, loaded only when run: `podbay --version` and
// `podbay help` import none of them. Subcommands are written with a space ('pod create').
import type { CommandSpec } from './command.ts';

export interface CommandEntry {
  name: string;
  aliases?: string[];
  summary: string;
  load: () => Promise<{ command: CommandSpec }>;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'info', aliases: ['system info'], summary: 'Display podbay system information', load: () => import('./commands/info.ts') },
  { name: 'version', summary: 'Display the Podbay version information', load: () => import('./commands/version.ts') },
  { name: 'serve', aliases: ['system service'], summary: 'Serve the Podbay UI and API on a loopback address', load: () => import('./commands/serve.ts') },
  { name: 'create', aliases: ['container create'], summary: 'Create but do not start a container', load: () => import('./commands/create.ts') },
  { name: 'ps', aliases: ['container ps', 'container ls', 'container list'], summary: 'List containers', load: () => import('./commands/ps.ts') },
  { name: 'container inspect', summary: 'Display the configuration of a container', load: () => import('./commands/container-inspect.ts') },
  { name: 'rm', aliases: ['container rm', 'container remove'], summary: 'Remove one or more containers', load: () => import('./commands/rm.ts') },
  { name: 'rename', aliases: ['container rename'], summary: 'Rename an existing container', load: () => import('./commands/rename.ts') },
  { name: 'run', aliases: ['container run'], summary: 'Run a command in a new container', load: () => import('./commands/run.ts') },
  { name: 'start', aliases: ['container start'], summary: 'Start one or more containers', load: () => import('./commands/start.ts') },
  { name: 'stop', aliases: ['container stop'], summary: 'Stop one or more containers', load: () => import('./commands/stop.ts') },
  { name: 'kill', aliases: ['container kill'], summary: 'Kill one or more running containers with a specific signal', load: () => import('./commands/kill.ts') },
  { name: 'restart', aliases: ['container restart'], summary: 'Restart one or more containers', load: () => import('./commands/restart.ts') },
  { name: 'pause', aliases: ['container pause'], summary: 'Pause all the processes in one or more containers', load: () => import('./commands/pause.ts') },
  { name: 'unpause', aliases: ['container unpause'], summary: 'Unpause the processes in one or more containers', load: () => import('./commands/unpause.ts') },
  { name: 'wait', aliases: ['container wait'], summary: 'Block on one or more containers', load: () => import('./commands/wait.ts') },
  { name: 'logs', aliases: ['container logs'], summary: 'Fetch the logs of a container', load: () => import('./commands/logs.ts') },
  { name: 'exec', aliases: ['container exec'], summary: 'Run a process in a running container', load: () => import('./commands/exec.ts') },
  { name: 'attach', aliases: ['container attach'], summary: 'Attach to a running container', load: () => import('./commands/attach.ts') },
  { name: 'container cleanup', summary: 'Clean up the runtime state of exited containers (conmon runs it)', load: () => import('./commands/container-cleanup.ts') },
  { name: 'pod create', summary: 'Create a new pod', load: () => import('./commands/pod-create.ts') },
  { name: 'pod ps', aliases: ['pod ls', 'pod list'], summary: 'List pods', load: () => import('./commands/pod-ps.ts') },
  { name: 'pod inspect', summary: 'Display information describing a pod', load: () => import('./commands/pod-inspect.ts') },
  { name: 'pod start', summary: 'Start one or more pods', load: () => import('./commands/pod-start.ts') },
  { name: 'pod stop', summary: 'Stop one or more pods', load: () => import('./commands/pod-stop.ts') },
  { name: 'pod kill', summary: 'Send the specified signal or SIGKILL to containers in a pod', load: () => import('./commands/pod-kill.ts') },
  { name: 'pod restart', summary: 'Restart one or more pods', load: () => import('./commands/pod-restart.ts') },
  { name: 'pod rm', aliases: ['pod remove'], summary: 'Remove one or more pods and their containers', load: () => import('./commands/pod-rm.ts') },
  { name: 'pull', aliases: ['image pull'], summary: 'Pull an image from a registry', load: () => import('./commands/pull.ts') },
  { name: 'push', aliases: ['image push'], summary: 'Push an image to a specified destination', load: () => import('./commands/push.ts') },
  { name: 'images', aliases: ['image ls', 'image list'], summary: 'List images in local storage', load: () => import('./commands/images.ts') },
  { name: 'image inspect', summary: 'Display the configuration of an image', load: () => import('./commands/image-inspect.ts') },
  { name: 'rmi', aliases: ['image rm', 'image remove'], summary: 'Remove one or more images from local storage', load: () => import('./commands/rmi.ts') },
  { name: 'tag', aliases: ['image tag'], summary: 'Add an additional name to a local image', load: () => import('./commands/tag.ts') },
  { name: 'untag', aliases: ['image untag'], summary: 'Remove a name from a local image', load: () => import('./commands/untag.ts') },
  { name: 'image prune', summary: 'Remove unused images', load: () => import('./commands/image-prune.ts') },
  { name: 'save', aliases: ['image save'], summary: 'Save image(s) to an archive', load: () => import('./commands/save.ts') },
  { name: 'load', aliases: ['image load'], summary: 'Load image(s) from a tar archive', load: () => import('./commands/load.ts') },
  { name: 'import', aliases: ['image import'], summary: 'Import a tarball to create a filesystem image', load: () => import('./commands/import.ts') },
  { name: 'image history', aliases: ['history'], summary: 'Show history of a specified image', load: () => import('./commands/image-history.ts') },
  { name: 'login', summary: 'Log in to a container registry', load: () => import('./commands/login.ts') },
  { name: 'logout', summary: 'Log out of a container registry', load: () => import('./commands/logout.ts') },
  { name: 'events', aliases: ['system events'], summary: 'Show podbay events', load: () => import('./commands/events.ts') },
  { name: 'system check', summary: 'Check storage consistency and optionally repair it', load: () => import('./commands/system-check.ts') },
  { name: 'system prune', summary: 'Remove unused data: stopped containers and pods, unused images', load: () => import('./commands/system-prune.ts') },
  { name: 'volume create', summary: 'Create a new volume', load: () => import('./commands/volume-create.ts') },
  { name: 'volume ls', aliases: ['volume list'], summary: 'List volumes', load: () => import('./commands/volume-ls.ts') },
  { name: 'volume inspect', summary: 'Display detailed information on one or more volumes', load: () => import('./commands/volume-inspect.ts') },
  { name: 'volume rm', aliases: ['volume remove'], summary: 'Remove one or more volumes', load: () => import('./commands/volume-rm.ts') },
  { name: 'volume prune', summary: 'Remove all unused volumes', load: () => import('./commands/volume-prune.ts') },
  { name: 'volume exists', summary: 'Check if a volume exists', load: () => import('./commands/volume-exists.ts') },
];
