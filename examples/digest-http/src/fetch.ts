/** Streams an http(s) URL through a hash: constant memory, redirects followed, credentials as Basic or Bearer. */
import { createHash } from 'node:crypto';
import { request as httpGet, type IncomingMessage } from 'node:http';
import { request as httpsGet } from 'node:https';
import { pluginError } from '@ocm-plugin-kit/sdk';

const MAX_REDIRECTS = 5;

export interface HashResult {
  readonly hex: string;
  readonly bytes: number;
  /** The URL the bytes came from, after redirects. */
  readonly url: string;
}

function get(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  const fn = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const req = fn(url, { method: 'GET', headers: { 'User-Agent': 'ocmkit-http-file-digest/0.1', ...headers }, signal }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Downloads `url` and hashes it as it arrives. `authorization` goes only to the origin of the first URL. */
export async function hashUrl(url: string, algorithm: 'sha256' | 'sha512', authorization: string | undefined, signal: AbortSignal): Promise<HashResult> {
  let current = new URL(url);
  const origin = current.origin;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const headers: Record<string, string> = authorization && current.origin === origin ? { Authorization: authorization } : {};
    let res: IncomingMessage;
    try {
      res = await get(current, headers, signal);
    } catch (err) {
      throw pluginError(502, `GET ${current.href} failed: ${(err as Error).message}`);
    }
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      current = new URL(res.headers.location, current);
      continue;
    }
    if (status !== 200) {
      res.resume();
      const hint = status === 401 || status === 403 ? '; configure credentials for the identity this plugin reports (see README)' : '';
      throw pluginError(502, `GET ${current.href} answered ${status} ${res.statusMessage ?? ''}`.trimEnd() + hint);
    }
    const hash = createHash(algorithm);
    let bytes = 0;
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
      }
    } catch (err) {
      if (signal.aborted) throw err;
      throw pluginError(502, `GET ${current.href}: the download broke off after ${bytes} bytes (${(err as Error).message}); the file was truncated`);
    }
    if (!res.complete) throw pluginError(502, `GET ${current.href}: the connection closed after ${bytes} bytes; the file was truncated`);
    return { hex: hash.digest('hex'), bytes, url: current.href };
  }
  throw pluginError(502, `GET ${url}: more than ${MAX_REDIRECTS} redirects`);
}
