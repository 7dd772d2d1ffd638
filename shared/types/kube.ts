// What the kube procedures return (podman's PlayKubeReport and GenerateKubeReport), camelCase.
import type { ImagePullFrame } from './images.ts';

/** The largest YAML play kube reads: far above any real manifest, well below a contract message. */
export const maxKubeYamlBytes = 256 * 1024;

/** A field or object of the YAML that Podbay does not act on, reported rather than dropped. */
export interface KubeIgnored {
  /** Where it is: `Pod web: spec.containers[0].securityContext`, or the object for a whole kind. */
  path: string;
  reason: string;
}

export interface KubePlayedPod {
  name: string;
  id: string;
  containers: { name: string; id: string }[];
}

/** podman's PlayKubeReport: the pods created and started, the volumes made, and what was ignored. */
export interface KubePlayReport {
  pods: KubePlayedPod[];
  /** Named volumes created for PersistentVolumeClaims (those that existed are reused, not listed). */
  volumes: string[];
  /** Pods of the same names removed first (`replace`). */
  replaced: string[];
  ignored: KubeIgnored[];
}

/** The frames of `kube.play`: pull progress per image, then the report. */
export type KubePlayFrame = { type: 'pull'; image: string; frame: ImagePullFrame } | { type: 'played'; report: KubePlayReport };

/** podman play kube --down: the pods the YAML names that were stopped and removed. */
export interface KubeDownReport {
  pods: { name: string; id: string }[];
  /** Pods the YAML names that did not exist. */
  missing: string[];
  ignored: KubeIgnored[];
}

export interface KubeGenerateReport {
  yaml: string;
}
