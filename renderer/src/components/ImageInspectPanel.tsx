import type { ImageInspect } from '../../../shared/types/images.ts';
import { imageConfigRows, imageHistoryRows, imageShortId, platformLabel, sizeLabel } from '../images/image-presenters.ts';
import { formatEventDate } from '../presenters/event-presenters.ts';
import { shortDigest } from '../images/pull-presenters.ts';
import { InspectPanel } from './InspectPanel.tsx';

/**
 * An image's details beside the list: its config (command, environment, ports …), labels, history
 * and layers (compressed and uncompressed sizes), over the full `images.inspect` JSON (the shared
 * Inspect panel: Copy, Escape closes).
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
      {data && imageConfigRows(data).length > 0 && (
        <section className="layers-card" aria-label={`Configuration of ${title}`}>
          <h3 className="layers-title">Configuration</h3>
          <DetailList rows={imageConfigRows(data).map((r) => ({ key: r.label, label: r.label, value: r.value }))} />
        </section>
      )}
      {data && Object.keys(data.labels).length > 0 && (
        <section className="layers-card" aria-label={`Labels of ${title}`}>
          <h3 className="layers-title">Labels</h3>
          <DetailList rows={Object.entries(data.labels).map(([key, value]) => ({ key, label: key, value }))} monoLabels />
        </section>
      )}
      {data && data.history.length > 0 && (
        <section className="layers-card" aria-label={`History of ${title}`}>
          <h3 className="layers-title">History</h3>
          <table className="table table-compact layers-table">
            <thead>
              <tr>
                <th scope="col">Created by</th>
                <th scope="col">Created</th>
                <th scope="col" className="numeric">
                  Size
                </th>
              </tr>
            </thead>
            <tbody>
              {imageHistoryRows(data).map((h, i) => (
                <tr key={i}>
                  <td className="mono ellipsis" title={`${h.createdBy}${h.comment ? `\n${h.comment}` : ''}`}>
                    {h.createdBy || <span className="muted">—</span>}
                  </td>
                  <td className="muted nowrap">{h.created ? formatEventDate(h.created) : '—'}</td>
                  <td className="numeric">{h.size === null ? '—' : sizeLabel(h.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
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

function DetailList({ rows, monoLabels = false }: { rows: { key: string; label: string; value: string }[]; monoLabels?: boolean }) {
  return (
    <dl className="detail-list">
      {rows.map((row) => (
        <div key={row.key} className="detail-row">
          <dt className={monoLabels ? 'mono' : undefined}>{row.label}</dt>
          <dd className="mono">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}
