// HTTP calls to the node that served the page. Errors carry the server's `message` when the
// answer has one.

import type { BucketsResponse, ClusterResponse, PreflistResponse, RingResponse } from './types';

const TIMEOUT_MS = 8000;

export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly kind: string) {
    super(message);
  }
}

async function request(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), TIMEOUT_MS);
  const abort = () => timeout.abort();
  signal?.addEventListener('abort', abort);
  let response: Response;
  try {
    const init: RequestInit = { method, signal: timeout.signal, cache: 'no-store', headers: { Accept: 'application/json' } };
    if (method !== 'GET') {
      init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body ?? {});
    }
    response = await fetch(path, init);
  } catch (e) {
    if (signal?.aborted) throw new ApiError('cancelled', 0, 'cancelled');
    const message = timeout.signal.aborted ? `no answer within ${TIMEOUT_MS / 1000} s` : 'the node is not answering';
    throw new ApiError(message, 0, 'network');
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const obj = (json && typeof json === 'object' ? json : {}) as { message?: unknown; error?: unknown };
    const message = typeof obj.message === 'string' && obj.message
      ? obj.message
      : `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new ApiError(message, response.status, typeof obj.error === 'string' ? obj.error : 'http');
  }
  if (json === null && text) throw new ApiError('the answer is not JSON', response.status, 'parse');
  return json;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const api = {
  cluster: (since: number) => request('GET', `/admin/cluster?since=${since}`) as Promise<ClusterResponse>,
  ring: () => request('GET', '/admin/ring') as Promise<RingResponse>,
  buckets: () => request('GET', '/admin/buckets') as Promise<BucketsResponse>,
  preflist: (bucket: string, key: string, signal?: AbortSignal) =>
    request('GET', `/admin/preflist?bucket=${encodeURIComponent(bucket)}&key=${encodeURIComponent(key)}`,
      undefined, signal) as Promise<PreflistResponse>,
  invite: (http: string) => request('POST', '/admin/invite', { http }),
  leave: (node: string) => request('POST', `/admin/leave?node=${encodeURIComponent(node)}`),
  replace: (node: string, by: string) =>
    request('POST', `/admin/replace?node=${encodeURIComponent(node)}&by=${encodeURIComponent(by)}`),
  setBucket: (name: string, props: Record<string, number>) =>
    request('PUT', `/admin/buckets/${encodeURIComponent(name)}`, { props }),
};
