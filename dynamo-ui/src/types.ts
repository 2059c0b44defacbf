// Shapes of the JSON the node serves under /admin/. Every field the server may leave out or
// set to null is typed that way; extra fields are ignored.

export type OpName = 'get' | 'put' | 'delete';
export const OPS: readonly OpName[] = ['get', 'put', 'delete'];

export interface OpSample {
  rate?: number | null;
  p50_ms?: number | null;
  p99_ms?: number | null;
  p999_ms?: number | null;
}

export interface TrafficSample {
  t: number;
  ops?: Partial<Record<OpName, OpSample | null>>;
  overloaded?: number | null;
  admission_refused?: number | null;
  errors?: number | null;
  gets_with_siblings?: number | null;
  max_siblings?: number | null;
}

/**
 * What a node reports of a peer. Only `unreachable` means requests are routed around it; `late`
 * (heartbeats overdue) and `unknown` (too few heartbeats seen, as after a restart) are still
 * routed to. Nodes before this field existed send only the flags.
 */
export const PEER_STATES = ['ok', 'late', 'unknown', 'unreachable'] as const;
export type PeerState = (typeof PEER_STATES)[number];

export interface PeerView {
  state?: string | null;
  reachable?: boolean;
  timed_out?: boolean;
  suspected?: boolean;
  phi?: number | null;
}

export interface ReplicaSync {
  last_sync_ms_ago?: number | null;
  differing_segments?: number | null;
  keys_repaired?: number | null;
  keys_sent?: number | null;
}

export interface AePartition {
  partition: number;
  replicas?: Record<string, ReplicaSync | null> | null;
}

export interface AntiEntropyView {
  exchanges?: number;
  failed?: number;
  keys_repaired?: number;
  keys_sent?: number;
  partitions?: AePartition[] | null;
}

export interface TransfersView {
  pending?: number;
  active_partition?: number | null;
  phase?: string | null;
  done?: number;
  keys_moved?: number;
  bytes_moved?: number;
  bytes_per_second?: number | null;
  handed_off?: number;
  keys_handed_off?: number;
}

export interface NodeView {
  node?: string;
  zone?: string;
  state?: string;
  uptime_ms?: number | null;
  version?: string;
  time_ms?: number;
  in_flight?: number | null;
  data?: { bytes?: number | null; partitions?: number | null } | null;
  peers?: Record<string, PeerView | null> | null;
  hints?: { pending?: Record<string, number> | null; delivered?: number; deferred?: number } | null;
  transfers?: TransfersView | null;
  anti_entropy?: AntiEntropyView | null;
  admission?: { refused?: number } | null;
  traffic?: { interval_ms?: number; samples?: TrafficSample[] | null } | null;
}

export interface Member {
  id: string;
  zone?: string | null;
  status?: string | null;
  peer?: string | null;
  client?: string | null;
  http?: string | null;
  partitions?: number | null;
  generation?: number | null;
  reachable?: boolean;
  answered?: boolean;
  error?: string | null;
  view?: NodeView | null;
}

export interface PlannedTransfer {
  partition: number;
  to: string;
  from?: string;
  done: boolean;
}

export interface ClusterResponse {
  served_by: string;
  cluster: string;
  time_ms: number;
  ring: {
    epoch: number;
    partitions: number;
    n: number;
    settled: boolean;
    partitions_owned?: Record<string, number>;
    next_partitions_owned?: Record<string, number> | null;
  };
  transfers?: { planned?: PlannedTransfer[] | null } | null;
  members: Member[];
}

export interface RingOwner {
  partition: number;
  nodes: string[];
}

export interface RingLayout {
  epoch: number;
  partitions_owned?: Record<string, number>;
  owners: RingOwner[];
}

export interface RingResponse extends RingLayout {
  partitions: number;
  n: number;
  next?: RingLayout | null;
}

export interface PreflistEntry {
  node: string;
  stands_in_for?: string | null;
}

export interface PreflistResponse {
  bucket: string;
  key: string;
  n: number;
  partition: number;
  primaries: string[];
  now: PreflistEntry[];
  unreachable?: string[] | null;
  next_owners?: Array<string | { node: string }> | null;
}

export type Props = Record<string, string | number | boolean | null>;

export interface BucketInfo {
  bucket?: string;
  props?: Props | null;
  source?: string | null;
}

export interface BucketsResponse {
  defaults?: Props | null;
  buckets?: Record<string, BucketInfo> | null;
}
