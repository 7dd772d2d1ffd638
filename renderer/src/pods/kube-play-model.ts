// The Play Kubernetes YAML dialog's state from the kube.play stream's frames (pure, tested without a
// DOM): which image is being pulled and how far, then the played pods and what was ignored.
import type { KubePlayFrame, KubePlayReport } from '../../../shared/types/kube.ts';
import { maxKubeYamlBytes } from '../../../shared/types/kube.ts';

export interface KubePlayView {
  /** The image a pull is under way for, with a line of its progress. */
  pulling: { image: string; text: string } | null;
  report: KubePlayReport | null;
}

export const initialKubePlay: KubePlayView = { pulling: null, report: null };

export function kubePlayReducer(view: KubePlayView, frame: KubePlayFrame): KubePlayView {
  if (frame.type === 'played') return { pulling: null, report: frame.report };
  const f = frame.frame;
  switch (f.type) {
    case 'resolving':
      return { ...view, pulling: { image: frame.image, text: `Resolving ${f.reference}…` } };
    case 'layer-bytes':
      return { ...view, pulling: { image: frame.image, text: `Layer ${f.digest.replace(/^sha256:/, '').slice(0, 12)}: ${Math.round((100 * f.done) / Math.max(1, f.total))}%` } };
    case 'done':
      return { ...view, pulling: { image: frame.image, text: 'Pulled' } };
    default:
      return view.pulling?.image === frame.image ? view : { ...view, pulling: { image: frame.image, text: 'Pulling…' } };
  }
}

/** Why the YAML cannot be sent as it is, or null: empty, or larger than the engine reads. */
export function kubeYamlProblem(text: string): string | null {
  if (text.trim() === '') return 'Paste a Kubernetes YAML or load a file';
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > maxKubeYamlBytes) return `The YAML has ${bytes} bytes: at most ${maxKubeYamlBytes} are read`;
  return null;
}

/** "Played 2 pods: web (2 containers), db (1 container)". */
export function playedSummary(report: KubePlayReport): string {
  const pods = report.pods.map((p) => `${p.name} (${p.containers.length} container${p.containers.length === 1 ? '' : 's'})`);
  return `Played ${report.pods.length} pod${report.pods.length === 1 ? '' : 's'}: ${pods.join(', ')}`;
}
