import { describe, expect, it } from 'vitest';
import { checkEndpoint } from '../../../src/donation/endpoint';

const accepted = (input: string) => {
  const check = checkEndpoint(input);
  if (!check.ok) throw new Error(`refused ${input}: ${check.message}`);
  return check.endpoint;
};
const refusal = (input: string) => {
  const check = checkEndpoint(input);
  if (check.ok) throw new Error(`accepted ${input} as ${check.endpoint}`);
  return check.message;
};

describe('collector address', () => {
  it('takes https anywhere, normalised without a trailing slash', () => {
    expect(accepted('https://collector.example.org')).toBe('https://collector.example.org');
    expect(accepted('  https://Collector.Example.org/  ')).toBe('https://collector.example.org');
    expect(accepted('https://example.org:8443/donate/v/')).toBe('https://example.org:8443/donate/v');
    expect(accepted('https://example.org:443/')).toBe('https://example.org');
  });

  it('allows plain http only on this computer', () => {
    expect(accepted('http://localhost:8787')).toBe('http://localhost:8787');
    expect(accepted('http://LOCALHOST:8787/')).toBe('http://localhost:8787');
    expect(accepted('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(accepted('http://[::1]:8787')).toBe('http://[::1]:8787');
    expect(accepted('http://collector.localhost')).toBe('http://collector.localhost');
  });

  it('refuses plain http to another machine, saying to use https', () => {
    for (const input of ['http://collector.example.org', 'http://192.168.1.10:8787', 'http://localhost.example.org', 'http://127.0.0.2']) {
      expect(refusal(input)).toMatch(/https:\/\//);
    }
  });

  it('refuses junk, other schemes, credentials, queries and fragments with a message that says why', () => {
    expect(refusal('')).toMatch(/Enter the collector's address/);
    expect(refusal('collector.example.org')).toMatch(/not a web address/);
    expect(refusal('not a url')).toMatch(/not a web address/);
    expect(refusal('ftp://example.org')).toMatch(/Only https:\/\//);
    expect(refusal('javascript:alert(1)')).toMatch(/Only https:\/\//);
    expect(refusal('https://user:secret@example.org')).toMatch(/user name and password/);
    expect(refusal('https://example.org/?key=1')).toMatch(/"\?" or "#"/);
    expect(refusal('https://example.org/#top')).toMatch(/"\?" or "#"/);
    expect(refusal('https://example.org/?')).toMatch(/"\?" or "#"/);
  });
});
