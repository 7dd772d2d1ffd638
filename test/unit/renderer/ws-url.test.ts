import { describe, expect, it } from 'vitest';
import { webSocketUrl } from '../../../renderer/src/bridge/ws-url.ts';

describe('webSocketUrl', () => {
  it('connects to /ws on the page host', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:4242', search: '' })).toBe('ws://127.0.0.1:4242/ws');
  });

  it('carries the page token along', () => {
    expect(webSocketUrl({ protocol: 'http:', host: '127.0.0.1:4242', search: '?token=abc123&x=1' })).toBe('ws://127.0.0.1:4242/ws?token=abc123');
  });

  it('escapes a token that is not plain hex', () => {
    expect(webSocketUrl({ protocol: 'http:', host: 'localhost:1', search: '?token=a%26b' })).toBe('ws://localhost:1/ws?token=a%26b');
  });

  it('uses wss behind https', () => {
    expect(webSocketUrl({ protocol: 'https:', host: 'example.test', search: '' })).toBe('wss://example.test/ws');
  });

  it('has no URL for a file:// page', () => {
    expect(webSocketUrl({ protocol: 'file:', host: '', search: '' })).toBeNull();
  });
});
