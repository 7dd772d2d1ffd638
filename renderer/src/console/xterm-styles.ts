// xterm.js's DOM renderer writes its theme and cell-size rules into <style> elements it creates inside
// the terminal. The app's Content-Security-Policy (`style-src 'self'`, no inline styles) keeps the
// browser from applying them, which leaves the terminal without colours, cursor or selection (and logs
// a violation per element). Two parts:
// - `openTerminal` opens the terminal with `createElement('style')` answered by an inert, hidden
//   <xterm-style> element for the duration of `open()` (where xterm makes all three of its style
//   elements): their text never becomes an inline stylesheet, so nothing is blocked or logged;
// - `adoptTerminalStyles` mirrors each such element's text (and any real <style> made later) into a
//   constructed stylesheet adopted by the document — CSSOM, which the policy permits — and follows
//   later rewrites (theme, font size, cell size).
import type { Terminal } from '@xterm/xterm';

const inertTag = 'xterm-style';

export function openTerminal(term: Terminal, element: HTMLElement): void {
  const doc = element.ownerDocument;
  const original = doc.createElement;
  const patched = function (this: Document, tagName: string, options?: ElementCreationOptions): HTMLElement {
    if (String(tagName).toLowerCase() !== 'style') return original.call(this, tagName, options);
    const inert = original.call(this, inertTag);
    inert.hidden = true;
    return inert;
  };
  Object.defineProperty(doc, 'createElement', { value: patched, configurable: true, writable: true });
  try {
    term.open(element);
  } finally {
    delete (doc as { createElement?: unknown }).createElement;
  }
}

export function adoptTerminalStyles(root: HTMLElement): () => void {
  const doc = root.ownerDocument;
  const sheets = new Map<HTMLElement, { sheet: CSSStyleSheet; text: string }>();

  const sync = () => {
    for (const element of root.querySelectorAll<HTMLElement>(`style, ${inertTag}`)) {
      const text = element.textContent ?? '';
      let entry = sheets.get(element);
      if (!entry) {
        entry = { sheet: new CSSStyleSheet(), text: '' };
        sheets.set(element, entry);
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, entry.sheet];
      }
      if (entry.text !== text) {
        entry.text = text;
        entry.sheet.replaceSync(text);
      }
    }
  };

  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    const ours = new Set([...sheets.values()].map((e) => e.sheet));
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((sheet) => !ours.has(sheet));
    sheets.clear();
  };
}
