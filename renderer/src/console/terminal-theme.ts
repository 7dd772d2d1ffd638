// The terminal's look: one dark palette in both app themes (terminals read best light-on-dark), tuned
// to the app's accent; fonts the desktop has, monospace last.
import type { ITheme } from '@xterm/xterm';

export const terminalFont = "'DejaVu Sans Mono', 'Liberation Mono', 'JetBrains Mono', 'Ubuntu Mono', ui-monospace, monospace";

export const terminalTheme: ITheme = {
  background: '#12141b',
  foreground: '#d8dbe3',
  cursor: '#a3a3ff',
  cursorAccent: '#12141b',
  selectionBackground: 'rgba(139, 139, 245, 0.38)',
  black: '#1c1f28',
  red: '#f07671',
  green: '#4cc486',
  yellow: '#e9b44c',
  blue: '#6aa5f5',
  magenta: '#b48ef5',
  cyan: '#4cc3c9',
  white: '#c7cbd6',
  brightBlack: '#5d667c',
  brightRed: '#ff9590',
  brightGreen: '#6fe0a3',
  brightYellow: '#ffd27a',
  brightBlue: '#93c0ff',
  brightMagenta: '#cfb3ff',
  brightCyan: '#7ee0e4',
  brightWhite: '#f3f4f7',
};
