import { describe, expect, it } from 'vitest';
import { isTrustedSender, mayNavigate, mayOpenExternally, WEB_PREFERENCES } from './security';

describe('Electron security rules', () => {
  it('sandbox and isolation are on, Node is off', () => {
    expect(WEB_PREFERENCES).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false });
  });

  it('answers IPC only from the top frame of the app origin', () => {
    expect(isTrustedSender('triptych://app/index.html', true)).toBe(true);
    expect(isTrustedSender('triptych://app/index.html', false)).toBe(false);
    expect(isTrustedSender('https://evil.example/', true)).toBe(false);
    expect(isTrustedSender('triptych://app.evil/', true)).toBe(false);
    expect(isTrustedSender('file:///etc/passwd', true)).toBe(false);
    expect(isTrustedSender(undefined, true)).toBe(false);
    expect(isTrustedSender('not a url', true)).toBe(false);
  });

  it('locks navigation and external opening', () => {
    expect(mayNavigate('triptych://app/#/site/fra')).toBe(true);
    expect(mayNavigate('https://example.com')).toBe(false);
    expect(mayOpenExternally('https://kubernetes.io/docs/')).toBe(true);
    expect(mayOpenExternally('http://kubernetes.io/')).toBe(false);
    expect(mayOpenExternally('file:///etc/passwd')).toBe(false);
    expect(mayOpenExternally('https://user:pw@example.com/')).toBe(false);
    expect(mayOpenExternally('javascript:alert(1)')).toBe(false);
  });
});
