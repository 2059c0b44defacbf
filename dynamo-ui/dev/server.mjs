// Dev server (node, no dependencies): serves the built dashboard at /ui/ and the fixtures at
// the /admin/ endpoints, like a node would.
//
//   node dev/server.mjs [port]          (default 8099), then open http://127.0.0.1:8099/ui/
//   curl -XPOST localhost:8099/dev/fail?on=1   makes every /admin/ request fail (503) until
//   curl -XPOST localhost:8099/dev/fail?on=0
//   curl -XPOST localhost:8099/dev/settled?on=1   finishes the ring change (on=0: back to mid-change)
//   LOG=1 node dev/server.mjs           logs every request
//   PARTITIONS=256 node dev/server.mjs  a bigger ring

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bucketStore, cluster, mode, preflist, ring, setBucket } from './fixtures.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const UI = join(here, '..', '..', 'dynamo-net', 'src', 'main', 'resources', 'io', 'dynamo', 'net', 'ui');
const port = Number(process.argv[2] ?? process.env.PORT ?? 8099);
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
let failing = false;

function send(res, status, body, type = 'application/json') {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(data);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function admin(req, res, url) {
  const path = url.pathname;
  const q = url.searchParams;
  if (req.method !== 'GET' && req.headers['content-type'] !== 'application/json') {
    return send(res, 415, { error: 'unsupported_media_type', message: 'send Content-Type: application/json' });
  }
  if (req.method === 'GET' && path === '/admin/cluster') return send(res, 200, cluster(Number(q.get('since') ?? 0), Date.now()));
  if (req.method === 'GET' && path === '/admin/ring') return send(res, 200, ring());
  if (req.method === 'GET' && path === '/admin/buckets') return send(res, 200, bucketStore);
  if (req.method === 'GET' && path === '/admin/preflist') {
    const [status, body] = preflist(q.get('bucket') ?? '', q.get('key') ?? '');
    return send(res, status, body);
  }
  if (req.method === 'POST' && path === '/admin/invite') {
    const body = await readBody(req);
    if (!body || typeof body.http !== 'string' || !/^[^\s:]+:\d{1,5}$/.test(body.http)) {
      return send(res, 400, { error: 'invalid_request', message: 'http must be host:port' });
    }
    return send(res, 200, { invited: body.http, node: 'n5', status: 'joining', epoch: 9 });
  }
  if (req.method === 'POST' && path === '/admin/leave') {
    const node = q.get('node');
    if (!['n1', 'n2', 'n3', 'n4'].includes(node)) return send(res, 400, { error: 'invalid_request', message: `no member "${node}"` });
    if (node === 'n4') return send(res, 409, { error: 'conflict', message: 'n4 is still joining; wait for the ring change to finish' });
    return send(res, 200, { node, status: 'leaving', epoch: 9 });
  }
  if (req.method === 'POST' && path === '/admin/replace') {
    const node = q.get('node');
    const by = q.get('by');
    if (by !== 'n5') return send(res, 400, { error: 'invalid_request', message: `"${by}" has not asked to join` });
    return send(res, 200, { node, by, status: 'replacing', epoch: 9 });
  }
  const bucket = path.match(/^\/admin\/buckets\/([^/]+)$/);
  if (req.method === 'PUT' && bucket) {
    const body = await readBody(req);
    if (body === undefined) return send(res, 400, { error: 'malformed_json', message: 'the body does not parse as JSON' });
    const [status, answer] = setBucket(decodeURIComponent(bucket[1]), body);
    return send(res, status, answer);
  }
  return send(res, 404, { error: 'not_found', message: `no such resource: ${req.method} ${path}` });
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (process.env.LOG) console.log(new Date().toISOString().slice(11, 23), req.method, req.url);
  try {
    if (url.pathname === '/' || url.pathname === '/ui') {
      res.writeHead(302, { Location: '/ui/' });
      return res.end();
    }
    if (url.pathname === '/dev/fail') {
      failing = url.searchParams.get('on') === '1';
      return send(res, 200, { failing });
    }
    if (url.pathname === '/dev/settled') {
      mode.settled = url.searchParams.get('on') === '1';
      return send(res, 200, mode);
    }
    if (url.pathname.startsWith('/admin/')) {
      if (failing) return send(res, 503, { error: 'unavailable', message: 'dev server told to fail' });
      return await admin(req, res, url);
    }
    const file = url.pathname === '/ui/' ? 'index.html' : url.pathname.replace(/^\/ui\//, '');
    if (!/^(index\.html|app\.js|app\.css)$/.test(file)) return send(res, 404, 'not found', 'text/plain');
    const ext = file.slice(file.lastIndexOf('.'));
    return send(res, 200, await readFile(join(UI, file), 'utf8'), TYPES[ext]);
  } catch (e) {
    return send(res, 500, { error: 'internal', message: String(e) });
  }
});

server.listen(port, '127.0.0.1', () => console.log(`dev server: http://127.0.0.1:${port}/ui/`));
