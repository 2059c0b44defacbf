// Dev fixtures: a 4-node cluster in the middle of a ring change, and n5 that left it earlier.
// n3 is unreachable, n4 is joining and receiving partitions (n1 has seen too few of its
// heartbeats to judge it, n2 finds them late), n1 and n2 hold hints for n3, anti-entropy cells
// are in every state, and each answering node has 5 minutes of traffic (n4's with a gap, lone
// samples after it, and sparse deletes). Everything is computed from fixed seeds, so the same
// request at the same second always gives the same answer.

export const PARTITIONS = Number(process.env.PARTITIONS ?? 64);
export const N = 3;
const NODES = ['n1', 'n2', 'n3', 'n4'];
const CURRENT = ['n1', 'n2', 'n3'];

/** A small deterministic PRNG (mulberry32) seeded from a string. */
function rng(seedText) {
  let seed = 0;
  for (const ch of seedText) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function preference(owner, nodes) {
  const i = nodes.indexOf(owner);
  return [0, 1, 2].map((k) => nodes[(i + k) % nodes.length]);
}

function layout(epoch, ownerOf, nodes) {
  const owners = [];
  const owned = {};
  for (let p = 0; p < PARTITIONS; p++) {
    const owner = ownerOf(p);
    owned[owner] = (owned[owner] ?? 0) + 1;
    owners.push({ partition: p, nodes: preference(owner, nodes) });
  }
  return { epoch, partitions_owned: owned, owners };
}

const current = layout(7, (p) => CURRENT[p % 3], CURRENT);
const next = layout(8, (p) => (p % 4 === 3 ? 'n4' : CURRENT[p % 3]), NODES);
for (const id of NODES) current.partitions_owned[id] ??= 0;

/** Switched by the dev server: false is mid-change, true is after n4 got its partitions. */
export const mode = { settled: false };

export function ring() {
  if (mode.settled) return { partitions: PARTITIONS, n: N, ...next };
  return { epoch: 7, partitions: PARTITIONS, n: N, ...current, next };
}

/** Transfers the change needs: n4 receives its 16 partitions (7 done); n2 already got two. */
export function plannedTransfers() {
  const planned = [];
  for (let p = 3; p < PARTITIONS; p += 4) {
    planned.push({ partition: p, from: current.owners[p].nodes[0], to: 'n4', done: p < 28 });
  }
  planned.push({ partition: 40, from: 'n1', to: 'n2', done: true });
  planned.push({ partition: 52, from: 'n3', to: 'n2', done: true });
  return planned;
}

function antiEntropy(node) {
  const random = rng(`ae-${node}`);
  const partitions = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const replicas = node === 'n4'
      ? (p % 4 === 3 && p < 28 ? ['n1', 'n2'] : null)
      : current.owners[p].nodes.includes(node) && p % 11 !== 5
        ? current.owners[p].nodes.filter((n) => n !== node)
        : null;
    if (!replicas) continue;
    const entry = { partition: p, replicas: {} };
    const roll = random();
    for (const other of replicas) {
      const base = { last_sync_ms_ago: Math.round(4000 + random() * 420_000), differing_segments: 0, keys_repaired: 0, keys_sent: 0 };
      if (other === 'n3' && roll < 0.1) entry.replicas[other] = null;
      else if (other === 'n3' && roll < 0.3) base.last_sync_ms_ago = Math.round(640_000 + random() * 600_000);
      else if (roll > 0.86 && other !== 'n3') Object.assign(base, { differing_segments: 1 + Math.floor(random() * 6), keys_repaired: 3 + Math.floor(random() * 40), keys_sent: Math.floor(random() * 9) });
      if (node === 'n4' && random() < 0.5) entry.replicas[other] = null;
      else if (!(other in entry.replicas)) entry.replicas[other] = base;
    }
    partitions.push(entry);
  }
  return partitions;
}

const STARTED = Date.now();
const AE = Object.fromEntries(['n1', 'n2', 'n4'].map((n) => [n, antiEntropy(n)]));

const PROFILE = {
  n1: { get: 150, put: 48, del: 4, lat: 1.0, phase: 0.0 },
  n2: { get: 128, put: 41, del: 3, lat: 0.8, phase: 1.3 },
  n4: { get: 36, put: 12, del: 1, lat: 1.6, phase: 2.1 },
};

/** One traffic sample of a node at second `t` (epoch ms). */
function sample(node, t) {
  const pr = PROFILE[node];
  const random = rng(`${node}-${t}`);
  const s = t / 1000;
  const wave = 1 + 0.18 * Math.sin(s / 37 + pr.phase) + 0.07 * Math.sin(s / 7.3);
  const noise = () => 0.92 + random() * 0.16;
  // A latency spike on every node and an overload burst on n1, about two minutes before the
  // dev server started.
  const rel = (t - STARTED) / 1000;
  const spike = rel > -135 && rel < -105 ? 3.5 : 1;
  const overload = node === 'n1' && rel > -132 && rel < -112 ? Math.round(4 + random() * 16) : 0;
  const op = (rate, lat) => ({
    rate: Math.round(rate * wave * noise() * 10) / 10,
    p50_ms: Math.round(lat * 0.7 * noise() * 100) / 100,
    p99_ms: Math.round(lat * 4.2 * spike * noise() * 100) / 100,
    p999_ms: Math.round(lat * 9.5 * spike * noise() * (1 + random() * 0.4) * 100) / 100,
  });
  // n4 deletes now and then: most of its seconds have no delete, so many latency samples are lone.
  const del = random() < (node === 'n4' ? 0.2 : 0.97) ? op(pr.del, pr.lat * 1.1) : { rate: 0, p50_ms: null, p99_ms: null, p999_ms: null };
  const siblings = random() < 0.08 ? 1 + Math.floor(random() * 2) : 0;
  return {
    t,
    ops: { get: op(pr.get, pr.lat), put: op(pr.put, pr.lat * 1.4), delete: del },
    overloaded: overload,
    admission_refused: node === 'n4' && random() < 0.3 ? 1 + Math.floor(random() * 3) : 0,
    errors: 0,
    gets_with_siblings: siblings,
    max_siblings: siblings ? (random() < 0.9 ? 2 : 3) : 0,
  };
}

function samples(node, since, nowSecondMs) {
  const out = [];
  const start = Math.max(since + 1000, nowSecondMs - 299_000);
  for (let t = Math.ceil(start / 1000) * 1000; t <= nowSecondMs; t += 1000) {
    // n4 paused for half a minute, 80 s to 50 s before the dev server started, answering once in between.
    const rel = Math.round((t - STARTED) / 1000);
    if (node === 'n4' && rel > -80 && rel < -50 && rel !== -65) continue;
    out.push(sample(node, t));
  }
  return out;
}

function view(node, since, now) {
  const nowSecond = Math.floor(now / 1000) * 1000;
  const up = now - STARTED;
  const common = {
    node, time_ms: now, version: '0.1.0',
    traffic: { interval_ms: 1000, samples: samples(node, since, nowSecond) },
    admission: { refused: node === 'n4' ? 42 : 0 },
  };
  if (node === 'n1') {
    return { ...common, zone: 'z1', state: 'up', uptime_ms: 11_520_000 + up, in_flight: 7,
      data: { bytes: 3_921_337_152, partitions: 64 },
      peers: { n2: { state: 'ok', reachable: true, timed_out: false, suspected: false, phi: 0.42 },
        n3: { state: 'unreachable', reachable: false, timed_out: true, suspected: true, phi: 11.2 },
        n4: { state: 'unknown', reachable: true, timed_out: false, suspected: false, phi: 0.81 } },
      hints: { pending: { n3: 1342 }, delivered: 18220, deferred: 12 },
      transfers: null,
      anti_entropy: { exchanges: 1288, failed: 41, keys_repaired: 2210, keys_sent: 904, partitions: AE.n1 } };
  }
  if (node === 'n2') {
    return { ...common, zone: 'z2', state: 'up', uptime_ms: 11_490_000 + up, in_flight: 4,
      data: { bytes: 3_887_101_002, partitions: 64 },
      peers: { n1: { state: 'ok', reachable: true, timed_out: false, suspected: false, phi: 0.37 },
        n3: { state: 'unreachable', reachable: false, timed_out: true, suspected: true, phi: 10.4 },
        n4: { state: 'late', reachable: true, timed_out: false, suspected: false, phi: 4.6 } },
      hints: { pending: { n3: 877, n4: 15 }, delivered: 15110, deferred: 3 },
      transfers: { pending: 0, active_partition: null, phase: null, done: 2, keys_moved: 52_210, bytes_moved: 41_200_000,
        bytes_per_second: 0, handed_off: 0, keys_handed_off: 0 },
      anti_entropy: { exchanges: 1214, failed: 38, keys_repaired: 1980, keys_sent: 1011, partitions: AE.n2 } };
  }
  return { ...common, zone: 'z1', state: 'joining', uptime_ms: 1_260_000 + up, in_flight: 1,
    data: { bytes: 412_004_352, partitions: 7 },
    peers: { n1: { state: 'ok', reachable: true, timed_out: false, suspected: false, phi: 0.55 },
      n2: { state: 'ok', reachable: true, timed_out: false, suspected: false, phi: 0.61 },
      n3: { state: 'unreachable', reachable: false, timed_out: false, suspected: true, phi: 8.3 } },
    hints: { pending: {}, delivered: 0, deferred: 0 },
    transfers: { pending: 9, active_partition: 31, phase: 'streaming', done: 7, keys_moved: 184_230, bytes_moved: 412_004_352,
      bytes_per_second: 2_516_582, handed_off: 0, keys_handed_off: 0 },
    anti_entropy: { exchanges: 58, failed: 2, keys_repaired: 31, keys_sent: 0, partitions: AE.n4 } };
}

export function cluster(since, now) {
  const owned = mode.settled ? next.partitions_owned : current.partitions_owned;
  return {
    served_by: 'n1', cluster: 'dynamo', time_ms: now,
    ring: mode.settled
      ? { epoch: 8, partitions: PARTITIONS, n: N, settled: true, partitions_owned: owned }
      : { epoch: 7, partitions: PARTITIONS, n: N, settled: false, partitions_owned: owned, next_partitions_owned: next.partitions_owned },
    transfers: { planned: mode.settled ? [] : plannedTransfers() },
    members: [
      { id: 'n1', zone: 'z1', status: 'up', peer: '10.0.1.11:7001', client: '10.0.1.11:9001', http: '10.0.1.11:8001',
        partitions: owned.n1, generation: 4, reachable: true, answered: true, error: null, view: view('n1', since, now) },
      { id: 'n2', zone: 'z2', status: 'up', peer: '10.0.2.12:7001', client: '10.0.2.12:9001', http: '10.0.2.12:8001',
        partitions: owned.n2, generation: 3, reachable: true, answered: true, error: null, view: view('n2', since, now) },
      { id: 'n3', zone: 'z3', status: 'up', peer: '10.0.3.13:7001', client: '10.0.3.13:9001', http: '10.0.3.13:8001',
        partitions: owned.n3, generation: 5, reachable: false, answered: false, error: 'no answer within 1000 ms', view: null },
      { id: 'n4', zone: 'z1', status: 'joining', peer: '10.0.1.14:7001', client: '10.0.1.14:9001', http: '10.0.1.14:8001',
        partitions: owned.n4, generation: 1, reachable: true, answered: true, error: null, view: view('n4', since, now) },
      { id: 'n5', zone: 'z2', status: 'left', peer: '10.0.2.15:7001', client: '10.0.2.15:9001', http: '10.0.2.15:8001',
        partitions: 0, generation: 2, reachable: false, answered: false, error: 'left the cluster', view: null },
    ],
  };
}

function hash(text) {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

const UNREACHABLE = new Set(['n3']);

export function preflist(bucket, key) {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(bucket)) {
    return [400, { error: 'bad_request', message: `bad bucket name "${bucket}": use letters, digits, '_', '.', '-'` }];
  }
  if (key.length > 100) return [400, { error: 'bad_request', message: 'key is longer than max_key_bytes (100)' }];
  const partition = hash(`${bucket}/${key}`) % PARTITIONS;
  const primaries = current.owners[partition].nodes;
  const spare = NODES.filter((n) => !primaries.includes(n) && !UNREACHABLE.has(n));
  const now = primaries.map((n) => (UNREACHABLE.has(n) && spare.length ? { node: spare.shift(), stands_in_for: n } : { node: n }));
  const nextNodes = next.owners[partition].nodes;
  const changes = nextNodes.join() !== primaries.join();
  return [200, { bucket, key, n: N, partition, primaries, now, unreachable: primaries.filter((n) => UNREACHABLE.has(n)),
    next_owners: changes ? nextNodes : [] }];
}

export const bucketStore = {
  defaults: { n: '3', r: '2', w: '2', dw: '1', conflict_mode: 'siblings', max_key_bytes: '1024', max_value_bytes: '1048576', max_siblings: '100' },
  buckets: {
    carts: { bucket: 'carts', props: { n: '3', r: '2', w: '3', dw: '2', conflict_mode: 'siblings', max_key_bytes: '1024', max_value_bytes: '1048576', max_siblings: '100' }, source: 'cluster', version: 3, set_at: 'n2' },
    sessions: { bucket: 'sessions', props: { n: '3', r: '1', w: '1', dw: '0', conflict_mode: 'last_write_wins', max_key_bytes: '256', max_value_bytes: '65536', max_siblings: '100' }, source: 'config' },
    logs: { bucket: 'logs', props: { n: '2', r: '1', w: '1', dw: '1', conflict_mode: 'siblings', max_key_bytes: '1024', max_value_bytes: '4194304', max_siblings: '100' }, source: 'cluster', version: 1, set_at: 'n1' },
  },
};

/** PUT /admin/buckets/NAME as the node checks it: the change applied, then validated whole. */
export function setBucket(name, body) {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) return [400, { error: 'invalid_request', message: `bad bucket name "${name}"` }];
  const changes = body && typeof body === 'object' ? body.props ?? body : null;
  if (!changes || typeof changes !== 'object') return [400, { error: 'malformed_json', message: 'the body is not a JSON object' }];
  const before = bucketStore.buckets[name]?.props ?? bucketStore.defaults;
  const props = { ...before };
  for (const [k, v] of Object.entries(changes)) {
    if (!['n', 'r', 'w', 'dw'].includes(k)) return [400, { error: 'invalid_request', message: `unknown property "${k}"` }];
    if (!Number.isInteger(v) || v < 0) return [400, { error: 'invalid_request', message: `${k} must be a whole number` }];
    props[k] = String(v);
  }
  const [n, r, w, dw] = ['n', 'r', 'w', 'dw'].map((k) => Number(props[k]));
  if (n < 1 || n > 5) return [400, { error: 'invalid_request', message: `n must be between 1 and 5, not ${n}` }];
  if (r < 1 || r > n) return [400, { error: 'invalid_request', message: `r must be between 1 and n (${n}), not ${r}` }];
  if (w < 1 || w > n) return [400, { error: 'invalid_request', message: `w must be between 1 and n (${n}), not ${w}` }];
  if (dw > w) return [400, { error: 'invalid_request', message: `dw (${dw}) must be at most w (${w})` }];
  const version = (bucketStore.buckets[name]?.version ?? 0) + 1;
  bucketStore.buckets[name] = { bucket: name, props, source: 'cluster', version, set_at: 'n1' };
  return [200, bucketStore.buckets[name]];
}
