// The toolbar's Remove button of every list page: disabled with nothing selected, a spinner while
// the removal runs, and the count of what it will remove.
import { formatCount } from '../presenters/format-bytes.ts';
import { Icon } from './Icon.tsx';

export function RemoveSelectedButton({ count, removing, onClick }: { count: number; removing: boolean; onClick: () => void }) {
  return (
    <button type="button" className="button button-danger-ghost" onClick={onClick} disabled={count === 0 || removing}>
      {removing ? <span className="spinner spinner-small" aria-hidden="true" /> : <Icon name="trash" size={14} />}
      {count > 0 ? `Remove ${formatCount(count)}` : 'Remove'}
    </button>
  );
}
