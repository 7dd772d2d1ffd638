// A small YAML writer for plain JSON data (podman prints `info` as YAML). Strings are quoted whenever
// they could be read back as something else.

export function toYaml(value: unknown, indent = 0): string {
  return `${lines(value, indent).join('\n')}\n`;
}

function lines(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item) => {
      if (isObject(item) || Array.isArray(item)) {
        const inner = lines(item, indent + 2);
        const first = inner[0] ?? '';
        return [`${pad}- ${first.trimStart()}`, ...inner.slice(1)];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) => {
      if ((isObject(item) && Object.keys(item).length > 0) || (Array.isArray(item) && item.length > 0)) {
        return [`${pad}${key}:`, ...lines(item, indent + 2)];
      }
      return [`${pad}${key}: ${Array.isArray(item) ? '[]' : isObject(item) ? '{}' : scalar(item)}`];
    });
  }
  return [`${pad}${scalar(value)}`];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = String(value);
  const plain = /^[A-Za-z0-9_./@+-][A-Za-z0-9_./@+ :,()-]*$/.test(text) && !/^(true|false|null|yes|no|~|-?\d[\d.eE+-]*)$/i.test(text) && !/: |\s$/.test(text);
  return plain ? text : JSON.stringify(text);
}
