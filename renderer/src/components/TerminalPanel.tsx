import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import '@xterm/xterm/css/xterm.css';
import type { ConsoleFrame, ConsoleSize } from '../../../shared/types/console.ts';
import type { StreamFrame } from '../../../shared/wire.ts';
import { copyText } from '../console/clipboard.ts';
import { acceptsInput, chunkInput, clampSize, consoleReducer, consoleStatusText, initialConsole, shouldReconnect } from '../console/console-session.ts';
import type { ConsoleState } from '../console/console-session.ts';
import { terminalFont, terminalTheme } from '../console/terminal-theme.ts';
import { adoptTerminalStyles, openTerminal } from '../console/xterm-styles.ts';
import { useEngine } from '../query/use-engine.ts';
import { Icon } from './Icon.tsx';

export type OpenConsole = (size: ConsoleSize, onFrame: (frame: StreamFrame<ConsoleFrame>) => void) => () => void;

/**
 * An xterm.js terminal joined to a console session (attach or exec). It fits its box (addon-fit) and
 * measures itself before connecting, so the session starts at the right size; it follows the box with
 * a ResizeObserver; keystrokes and pastes (bracketed when the program asks, as xterm does) go to the
 * session in order, selections are copied. Unmounting cancels the stream: attach detaches, exec ends.
 */
export function TerminalPanel({
  kind,
  label,
  open,
  available,
  unavailableText,
  autoReconnect,
}: {
  kind: 'console' | 'terminal';
  label: string;
  open: OpenConsole;
  /** Whether a session can be opened now (attach: the container runs). */
  available: boolean;
  unavailableText: string;
  /** Connect again by itself when it becomes available (the Console after a restart). */
  autoReconnect: boolean;
}) {
  const { client } = useEngine();
  const host = useRef<HTMLDivElement>(null);
  const terminal = useRef<{ term: Terminal; fit: FitAddon; search: SearchAddon } | null>(null);
  const [finding, setFinding] = useState(false);
  const [findText, setFindText] = useState('');
  const [found, setFound] = useState<boolean | null>(null);
  const findInput = useRef<HTMLInputElement>(null);
  const [state, dispatch] = useReducer(consoleReducer, initialConsole);
  const stateRef = useRef<ConsoleState>(state);
  stateRef.current = state;
  const openRef = useRef(open);
  openRef.current = open;
  const [generation, setGeneration] = useState(0);
  const [copied, setCopied] = useState(false);
  const [size, setSize] = useState('');

  const send = useCallback(
    (data: string) => {
      const current = stateRef.current;
      if (!acceptsInput(current) || !current.sessionId) return;
      // Calls leave in order on the one connection and main writes each before the next: order is kept.
      for (const piece of chunkInput(data)) void client.call('console.input', { sessionId: current.sessionId, data: piece }).catch(() => undefined);
    },
    [client],
  );

  const sendSize = useCallback(() => {
    const current = stateRef.current;
    const t = terminal.current;
    if (!t || current.status !== 'open' || !current.sessionId || !current.tty) return;
    void client.call('console.resize', { sessionId: current.sessionId, ...clampSize(t.term.rows, t.term.cols) }).catch(() => undefined);
  }, [client]);

  // The terminal: made once per mount, disposed with it.
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const stopStyles = adoptTerminalStyles(element);
    const term = new Terminal({
      fontFamily: terminalFont,
      fontSize: 13,
      lineHeight: 1.15,
      cursorBlink: true,
      scrollback: 5000,
      theme: terminalTheme,
      allowProposedApi: false,
      macOptionIsMeta: true,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    openTerminal(term, element);
    safeFit(fit, element);
    terminal.current = { term, fit, search };
    setSize(`${term.cols}×${term.rows}`);

    const disposables = [
      term.onData((data) => send(data)),
      term.onBinary((data) => send(data)),
      term.onResize(({ rows, cols }) => {
        setSize(`${cols}×${rows}`);
        sendSize();
      }),
      term.onSelectionChange(() => {
        const text = term.getSelection();
        if (text)
          void copyText(text).then((ok) => {
            if (!ok) return;
            setCopied(true);
            window.setTimeout(() => setCopied(false), 1200);
          });
      }),
    ];
    // Ctrl+Shift+C copies and Ctrl+Shift+V pastes, as in desktop terminals; Ctrl+V pastes too (the
    // browser's paste event reaches xterm, which sends the text, bracketed when the program asked).
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown') return true;
      const key = event.key.toLowerCase();
      if (event.ctrlKey && event.shiftKey && key === 'c') {
        void copyText(term.getSelection());
        event.preventDefault();
        return false;
      }
      if (event.ctrlKey && key === 'v') return false;
      if (event.ctrlKey && event.shiftKey && key === 'f') {
        event.preventDefault();
        setFinding(true);
        window.setTimeout(() => findInput.current?.focus(), 0);
        return false;
      }
      return true;
    });

    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => safeFit(fit, element));
    });
    observer.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      for (const d of disposables) d.dispose();
      terminal.current = null;
      term.dispose();
      stopStyles();
    };
  }, [send, sendSize]);

  // The session: opened at the measured size; a new generation opens a new one.
  useEffect(() => {
    const t = terminal.current;
    if (!t || !available) return;
    safeFit(t.fit, host.current);
    const size = clampSize(t.term.rows, t.term.cols);
    dispatch({ type: 'connect' });
    if (generation > 0) t.term.write('\r\n');
    let closed = false;
    const cancel = openRef.current(size, (frame) => {
      if (closed) return;
      if (frame.type === 'data') {
        const value = frame.value;
        if (value.type === 'output') t.term.write(value.data);
        else if (value.type === 'session') {
          // Without a tty, programs end lines with "\n" alone.
          t.term.options.convertEol = !value.tty;
          t.term.options.disableStdin = !value.stdin;
          dispatch({ type: 'frame', frame: value });
          stateRef.current = consoleReducer(stateRef.current, { type: 'frame', frame: value });
          // The box may have changed while connecting.
          if (value.tty && (t.term.rows !== size.rows || t.term.cols !== size.cols)) sendSize();
          if (kind === 'terminal' || value.stdin) t.term.focus();
        } else {
          dispatch({ type: 'frame', frame: value });
          t.term.write(`\r\n\x1b[2m[${value.exitCode === null ? 'ended' : `exited with code ${value.exitCode}`}]\x1b[0m\r\n`);
        }
      } else if (frame.type === 'end') dispatch({ type: 'end' });
      else dispatch({ type: 'error', error: frame.error });
    });
    return () => {
      closed = true;
      cancel();
      dispatch({ type: 'close' });
    };
  }, [generation, available, kind, sendSize]);

  // The Console connects again after a restart: a stop then a start changes `available` (the session
  // effect reconnects); a restart faster than the list's update ends the session while it still runs.
  const autoAttempts = useRef(0);
  useEffect(() => {
    if (!autoReconnect || !shouldReconnect(state, available, autoAttempts.current)) return;
    const timer = window.setTimeout(() => {
      autoAttempts.current++;
      setGeneration((g) => g + 1);
    }, 600);
    return () => window.clearTimeout(timer);
  }, [autoReconnect, available, state]);

  // Unavailable: the bar says how the last session ended, the overlay says what to do.
  const status = available || state.status === 'open' || state.status === 'exited' ? consoleStatusText(state, kind) : 'Not running';
  const tone = state.status === 'open' ? 'ok' : state.status === 'failed' ? 'danger' : state.status === 'connecting' ? 'warning' : 'neutral';
  const ended = state.status === 'exited' || state.status === 'failed';

  const find = (backwards: boolean, text = findText) => {
    const t = terminal.current;
    if (!t) return;
    if (!text) {
      t.search.clearDecorations();
      t.term.clearSelection();
      setFound(null);
      return;
    }
    setFound(backwards ? t.search.findPrevious(text) : t.search.findNext(text, { incremental: true }));
  };
  const closeFind = () => {
    setFinding(false);
    setFound(null);
    terminal.current?.search.clearDecorations();
    terminal.current?.term.focus();
  };

  return (
    <div className="term">
      <div className="term-bar">
        <span className={`term-dot term-dot-${tone}`} aria-hidden="true" />
        <span className="term-status" role="status">
          {status}
        </span>
        {copied && <span className="term-copied">Copied</span>}
        <span className="term-size muted small" aria-label="Terminal size">
          {size}
        </span>
        {finding ? (
          <label className="term-find">
            <span className="visually-hidden">Find in the terminal</span>
            <input
              ref={findInput}
              type="search"
              placeholder="Find…"
              value={findText}
              aria-invalid={found === false ? true : undefined}
              onChange={(e) => {
                setFindText(e.target.value);
                find(false, e.target.value);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  find(e.shiftKey);
                } else if (e.key === 'Escape') {
                  e.preventDefault();
                  e.stopPropagation();
                  closeFind();
                }
              }}
            />
            {found === false && <span className="term-find-none">No match</span>}
          </label>
        ) : (
          <button
            type="button"
            className="button button-small button-icon term-find-open"
            aria-label="Find in the terminal"
            title="Find (Ctrl+Shift+F)"
            onClick={() => {
              setFinding(true);
              window.setTimeout(() => findInput.current?.focus(), 0);
            }}
          >
            <Icon name="search" size={13} />
          </button>
        )}
        {ended && available && (
          <button type="button" className="button button-small" onClick={() => setGeneration((g) => g + 1)}>
            <Icon name="refresh" size={13} />
            {kind === 'terminal' ? 'New shell' : 'Reconnect'}
          </button>
        )}
      </div>
      <div className="term-body" aria-label={label} role="group">
        <div ref={host} className="term-host" />
        {!available && state.status !== 'open' && <div className="term-overlay">{unavailableText}</div>}
      </div>
    </div>
  );
}

/** Fits when the box has a size (a hidden tab has none: keep the last size, never shrink to nothing). */
function safeFit(fit: FitAddon, box: HTMLElement | null): void {
  if (!box || box.clientWidth === 0 || box.clientHeight === 0) return;
  try {
    if (fit.proposeDimensions()) fit.fit();
  } catch {
    // not laid out yet
  }
}
