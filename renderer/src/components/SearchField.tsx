import { Icon } from './Icon.tsx';

/** The search box of a list page's toolbar: labelled for screen readers, the placeholder for the eye. */
export function SearchField({ label, placeholder, value, onChange }: { label: string; placeholder: string; value: string; onChange: (text: string) => void }) {
  return (
    <label className="field field-search">
      <Icon name="search" size={14} />
      <span className="visually-hidden">{label}</span>
      <input type="search" placeholder={placeholder} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}
