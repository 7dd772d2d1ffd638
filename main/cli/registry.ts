// Every CLI command, by name, with its one-line summary, loaded only when run: `podbay --version` and
// `podbay help` import none of them. Subcommands are written with a space ('pod create').
import type { CommandSpec } from './command.ts';

export interface CommandEntry {
  name: string;
  aliases?: string[];
  summary: string;
  load: () => Promise<{ command: CommandSpec }>;
  /**
   * Runs in the user's own namespaces even when rootless (`info` must report what stops the user
   * namespace from being made; `version` and `logout` open no store); every other command runs
   * inside it, re-executed before its modules are even loaded (rootless-reexec.ts).
   */
  hostSide?: boolean;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'info', aliases: ['system info'], summary: 'Display podbay system information', hostSide: true, load: () => import('./commands/info.ts') },
  { name: 'version', summary: 'Display the Podbay version information', hostSide: true, load: () => import('./commands/version.ts') },
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
  { name: 'cp', aliases: ['container cp'], summary: 'Copy files/folders between a container and the local filesystem', load: () => import('./commands/cp.ts') },
  { name: 'export', aliases: ['container export'], summary: "Export a container's filesystem contents as a tar archive", load: () => import('./commands/export.ts') },
  { name: 'commit', aliases: ['container commit'], summary: 'Create new image based on the changed container', load: () => import('./commands/commit.ts') },
  { name: 'mount', aliases: ['container mount'], summary: "Mount a working container's root filesystem", load: () => import('./commands/mount.ts') },
  { name: 'umount', aliases: ['unmount', 'container umount', 'container unmount'], summary: "Unmount working container's root filesystem", load: () => import('./commands/umount.ts') },
  { name: 'top', aliases: ['container top'], summary: 'Display the running processes of a container', load: () => import('./commands/top.ts') },
  { name: 'stats', aliases: ['container stats'], summary: 'Display a live stream of container resource usage statistics', load: () => import('./commands/stats.ts') },
  { name: 'diff', aliases: ['container diff'], summary: "Inspect changes to the container's file systems", load: () => import('./commands/diff.ts') },
  { name: 'pod create', summary: 'Create a new pod', load: () => import('./commands/pod-create.ts') },
  { name: 'pod ps', aliases: ['pod ls', 'pod list'], summary: 'List pods', load: () => import('./commands/pod-ps.ts') },
  { name: 'pod inspect', summary: 'Display information describing a pod', load: () => import('./commands/pod-inspect.ts') },
  { name: 'pod start', summary: 'Start one or more pods', load: () => import('./commands/pod-start.ts') },
  { name: 'pod stop', summary: 'Stop one or more pods', load: () => import('./commands/pod-stop.ts') },
  { name: 'pod kill', summary: 'Send the specified signal or SIGKILL to containers in a pod', load: () => import('./commands/pod-kill.ts') },
  { name: 'pod restart', summary: 'Restart one or more pods', load: () => import('./commands/pod-restart.ts') },
  { name: 'pod rm', aliases: ['pod remove'], summary: 'Remove one or more pods and their containers', load: () => import('./commands/pod-rm.ts') },
  { name: 'pod pause', summary: 'Pause one or more pods', load: () => import('./commands/pod-pause.ts') },
  { name: 'pod unpause', summary: 'Unpause one or more pods', load: () => import('./commands/pod-unpause.ts') },
  { name: 'pod top', summary: 'Display the running processes of containers in a pod', load: () => import('./commands/pod-top.ts') },
  { name: 'pod stats', summary: 'Display a live stream of resource usage statistics for the containers in one or more pods', load: () => import('./commands/pod-stats.ts') },
  { name: 'pod logs', summary: 'Fetch logs for pod with one or more containers', load: () => import('./commands/pod-logs.ts') },
  { name: 'generate kube', aliases: ['kube generate'], summary: 'Generate Kubernetes YAML based on containers or pods', load: () => import('./commands/generate-kube.ts') },
  { name: 'play kube', aliases: ['kube play'], summary: 'Play a pod and its containers from a Kubernetes YAML', load: () => import('./commands/play-kube.ts') },
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
  { name: 'logout', summary: 'Log out of a container registry', hostSide: true, load: () => import('./commands/logout.ts') },
  { name: 'events', aliases: ['system events'], summary: 'Show podbay events', load: () => import('./commands/events.ts') },
  { name: 'port', aliases: ['container port'], summary: 'List port mappings or a specific mapping for the container', load: () => import('./commands/port.ts') },
  { name: 'network create', summary: 'Create a network', load: () => import('./commands/network-create.ts') },
  { name: 'network ls', aliases: ['network list'], summary: 'List networks', load: () => import('./commands/network-ls.ts') },
  { name: 'network inspect', summary: 'Display the network configuration of one or more networks', load: () => import('./commands/network-inspect.ts') },
  { name: 'network rm', aliases: ['network remove'], summary: 'Remove one or more networks', load: () => import('./commands/network-rm.ts') },
  { name: 'network connect', summary: 'Add a container to a network', load: () => import('./commands/network-connect.ts') },
  { name: 'network disconnect', summary: 'Disconnect a container from a network', load: () => import('./commands/network-disconnect.ts') },
  { name: 'network prune', summary: 'Remove all unused networks', load: () => import('./commands/network-prune.ts') },
  { name: 'network exists', summary: 'Check if a network exists', load: () => import('./commands/network-exists.ts') },
  { name: 'system check', summary: 'Check storage consistency and optionally repair it', load: () => import('./commands/system-check.ts') },
  { name: 'system prune', summary: 'Remove unused data: stopped containers and pods, unused images', load: () => import('./commands/system-prune.ts') },
  { name: 'volume create', summary: 'Create a new volume', load: () => import('./commands/volume-create.ts') },
  { name: 'volume ls', aliases: ['volume list'], summary: 'List volumes', load: () => import('./commands/volume-ls.ts') },
  { name: 'volume inspect', summary: 'Display detailed information on one or more volumes', load: () => import('./commands/volume-inspect.ts') },
  { name: 'volume rm', aliases: ['volume remove'], summary: 'Remove one or more volumes', load: () => import('./commands/volume-rm.ts') },
  { name: 'volume prune', summary: 'Remove all unused volumes', load: () => import('./commands/volume-prune.ts') },
  { name: 'volume exists', summary: 'Check if a volume exists', load: () => import('./commands/volume-exists.ts') },
];
