import { z } from 'zod';
import { call, stream } from './define.ts';
import { maxKubeYamlBytes } from '../types/kube.ts';
import type { KubeDownReport, KubeGenerateReport, KubePlayFrame } from '../types/kube.ts';

const nameOrId = z.string().min(1).max(256);
/** The reader checks the byte size again (a character may be several bytes). */
const yaml = z.string().min(1).max(maxKubeYamlBytes);

export const kubeProcedures = {
  /**
   * podman generate kube: a Kubernetes Pod manifest of each pod named, and one Pod holding the
   * containers named outside pods; `service` adds a NodePort Service per pod with ports.
   */
  'kube.generate': call<KubeGenerateReport>()(
    z.strictObject({ nameOrIds: z.array(nameOrId).min(1).max(64), service: z.boolean().default(false) }),
  ),
  /**
   * podman play kube: creates and starts the pods the YAML describes (Pod, Deployment with one
   * replica, ConfigMap, PersistentVolumeClaim), pulling images as needed: frames `pull` per image,
   * then `played`. All or nothing; a pod name in use → ErrPodExists unless `replace`. Kinds and
   * fields it does not act on are listed in the report's `ignored`.
   */
  'kube.play': stream<KubePlayFrame>()(
    z.strictObject({
      yaml,
      replace: z.boolean().default(false),
      tlsVerify: z.boolean().optional(),
      network: z.array(z.string().min(1).max(1024)).min(1).max(32).optional(),
    }),
  ),
  /** podman play kube --down: stops and removes the pods the YAML names; none of them exists → ErrNoSuchPod. */
  'kube.down': call<KubeDownReport>()(z.strictObject({ yaml })),
};
