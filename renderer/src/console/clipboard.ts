// Copy for the terminal's selection: the async Clipboard API where the page may use it, else the
// older execCommand('copy') through a hidden textarea (Electron without clipboard permission).

export async function copyText(text: string): Promise<boolean> {
  if (!text) return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    document.body.appendChild(area);
    area.select();
    let ok: boolean;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    focused?.focus();
    return ok;
  }
}
