import type { ImageInspect } from '../../../shared/types/images.ts';
import { imageShortId, platformLabel, sizeLabel } from '../images/image-presenters.ts';
import { shortDigest } from '../images/pull-presenters.ts';
import { InspectPanel } from './InspectPanel.tsx';

/**
 * An image's details beside the list: its layers (compressed and uncompressed sizes) over the full
 * `images.inspect` JSON (the shared Inspect panel: Copy, Escape closes).
 */
export function ImageInspectPanel({
  id,
  title,
  data,
  error,
  loading,
  gone,
  onClose,
  onRetry,
}: {
  id: string;
  title: string;
  data: ImageInspect | undefined;
  error: unknown;
  loading: boolean;
  gone: string | null;
  onClose: () => void;
  onRetry: () => void;
}) {
  return (
    <div className="image-inspect">
      <InspectPanel
        title={`Inspect ${title}`}
        subtitle={
          <>
            <span className="mono">{imageShortId(id)}</span>
            {data && (
              <>
                {' · '}
                {platformLabel(data)} · {data.layers.length} layer{data.layers.length === 1 ? '' : 's'} · {sizeLabel(data.size)}
              </>
            )}
          </>
        }
        data={data}
        error={error}
        loading={loading}
        gone={gone}
        doing="inspecting the image"
        onClose={onClose}
        onRetry={onRetry}
      />
      {data && data.layers.length > 0 && (
        <section className="layers-card" aria-label={`Layers of ${title}`}>
          <h3 className="layers-title">Layers</h3>
          <table className="table table-compact layers-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Digest</th>
                <th scope="col" className="numeric">
                  Compressed
                </th>
                <th scope="col" className="numeric">
                  Size
                </th>
              </tr>
            </thead>
            <tbody>
              {data.layers.map((layer, i) => (
                <tr key={`${layer.digest}-${i}`}>
                  <td className="muted">{i + 1}</td>
                  <td className="mono" title={`${layer.digest}\nDiffID ${layer.diffId}\n${layer.mediaType}`}>
                    {shortDigest(layer.digest)}
                  </td>
                  <td className="numeric">{sizeLabel(layer.size)}</td>
                  <td className="numeric">{sizeLabel(layer.diffSize)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
