// The header's connection indicator and the banner shown while the engine cannot be reached.
import type { ConnectionState } from '../bridge/connection-state.ts';
import type { Tone } from './system-presenters.ts';

export interface ConnectionView {
  readonly label: string;
  readonly tone: Tone;
  /** A sentence for the banner, or null when nothing needs saying. */
  readonly banner: string | null;
}

export function describeConnection(state: ConnectionState): ConnectionView {
  switch (state.status) {
    case 'connected':
      return { label: 'Connected', tone: 'ok', banner: null };
    case 'connecting':
      return { label: 'Connecting…', tone: 'neutral', banner: null };
    case 'reconnecting':
      return {
        label: 'Reconnecting…',
        tone: 'warning',
        banner: `The connection to the engine dropped; reconnecting (attempt ${state.attempt}). Data on screen may be out of date.`,
      };
    case 'unreachable':
      return {
        label: 'Not connected',
        tone: 'danger',
        banner: 'Cannot reach the Podbay engine, or it refused this page. Open the address printed by `podbay serve` — it carries the access token.',
      };
  }
}
