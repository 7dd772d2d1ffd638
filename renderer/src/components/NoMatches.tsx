import { countLabel } from '../containers/container-presenters.ts';

/** Over an emptied table: nothing among `total` rows (`counted`, default `noun`s) matches `query`, with the way back. */
export function NoMatches({ noun, counted = noun, total, query, clearLabel = 'Clear search', onClear }: { noun: string; counted?: string; total: number; query: string; clearLabel?: string; onClear: () => void }) {
  return (
    <div className="empty empty-overlay">
      <p className="empty-title">No {noun} matches</p>
      <p className="empty-text">
        Nothing among {countLabel(total, total, counted)} matches “{query}”.
      </p>
      <button type="button" className="button" onClick={onClear}>
        {clearLabel}
      </button>
    </div>
  );
}
