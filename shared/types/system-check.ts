// What `system check` and `system prune` report (libpod's SystemCheckReport and SystemPruneReport,
// in one shape the CLI prints and the System page shows).

/** What kind of damage or leftover an issue is. */
export const checkIssueKinds = [
  /** SQLite found the file damaged: nothing here repairs that (restore it or reset the store). */
  'database',
  /** An image whose blob or layer is missing or does not match its digest: repair removes the image. */
  'damaged-image',
  /** A stored reference count that does not match the records using it: repair recounts. */
  'refcount',
  /** Content or files nothing references (interrupted pulls, half-written blobs, temp dirs): repair deletes them. */
  'garbage',
  /** A lease or lock row of a process that is gone: repair deletes it. */
  'stale-lock',
  /** A container whose conmon died without recording an exit: repair marks it exited. */
  'dead-monitor',
  /** The OCI runtime or a conmon still has a container the store says is not running (or has no record of). */
  'orphan-runtime',
  /** A container's root filesystem mounted while it does not run. */
  'leaked-mount',
  /** Container or pod files without a record. */
  'orphan-files',
  /** A record whose files are missing (an infra root, an image's layers). */
  'missing-files',
  /** Network state (namespace, addresses, attachment) of a container that does not run. */
  'stale-network',
] as const;

export type CheckIssueKind = (typeof checkIssueKinds)[number];

export interface SystemCheckIssue {
  kind: CheckIssueKind;
  /** What it concerns: a container or pod name, an image ID, a digest, a path. */
  subject: string;
  /** What is wrong, in a sentence. */
  problem: string;
  /** Whether `--repair` fixes it (some need `--force`, which removes the containers that use damaged images). */
  repairable: boolean;
  /** What the repair did; absent when nothing was repaired. */
  repaired?: string;
}

export interface SystemCheckReport {
  repair: boolean;
  quick: boolean;
  /** Objects examined. */
  checked: { containers: number; pods: number; images: number; blobs: number; layers: number };
  issues: SystemCheckIssue[];
  /** Parts not checked, and why (a pull running in another process keeps garbage from being judged). */
  skipped: string[];
}

export interface SystemPruneReport {
  /** Removed containers (names). */
  containers: string[];
  /** Removed pods (names). */
  pods: string[];
  /** Removed image IDs. */
  images: string[];
  /** Removed networks and volumes, where the engine has them. */
  networks: string[];
  volumes: string[];
  /** Bytes of image layers freed. */
  reclaimedBytes: number;
  /** Items that could not be removed, each with why. */
  errors: { subject: string; code: string; message: string }[];
}

/** Issues that are still there after the run: repairable ones not repaired, and unrepairable ones. */
export function unresolvedIssues(report: SystemCheckReport): SystemCheckIssue[] {
  return report.issues.filter((issue) => issue.repaired === undefined);
}
