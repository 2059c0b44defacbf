// Facts derived from the cluster answer, shared by the header and the views.

import { compareIds } from './colors';
import type { ClusterResponse, Member } from './types';

export type MemberState = 'up' | 'unreachable' | 'joining' | 'leaving' | 'left' | 'down';

const KNOWN_STATES: readonly string[] = ['up', 'unreachable', 'joining', 'leaving', 'left', 'down'];

/**
 * `left` for a member that left the cluster (it is gone, not failed: the node neither asks it nor
 * watches it); otherwise `unreachable` when it did not answer or is not reachable, else its status.
 */
export function memberState(m: Member): MemberState {
  const status = (m.status ?? 'up').toLowerCase();
  if (status === 'left') return 'left';
  if (m.answered === false || m.reachable === false) return 'unreachable';
  return (KNOWN_STATES.includes(status) ? status : 'up') as MemberState;
}

export function hasLeft(m: Member): boolean {
  return memberState(m) === 'left';
}

export function sortedMembers(cluster: ClusterResponse | null): Member[] {
  return [...(cluster?.members ?? [])].sort((a, b) => compareIds(a.id, b.id));
}

export function hintsPending(cluster: ClusterResponse | null): number {
  let total = 0;
  for (const m of cluster?.members ?? []) {
    for (const count of Object.values(m.view?.hints?.pending ?? {})) total += Number(count) || 0;
  }
  return total;
}

export function pendingTransfers(cluster: ClusterResponse | null): number {
  return (cluster?.transfers?.planned ?? []).filter((p) => !p.done).length;
}

/** "3 up · 1 unreachable · 12 hints pending · 2 transfers · ring settled". */
export type Tone = 'ok' | 'warn' | 'bad' | 'plain' | 'muted';

export function healthParts(cluster: ClusterResponse): Array<{ text: string; tone: Tone }> {
  const counts = new Map<MemberState, number>();
  for (const m of cluster.members ?? []) {
    const state = memberState(m);
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const parts: Array<{ text: string; tone: Tone }> = [
    { text: `${counts.get('up') ?? 0} up`, tone: 'ok' },
  ];
  // Members that left are counted apart, greyed: they are gone, not a fault.
  const tones: Record<MemberState, Tone> = {
    up: 'ok', joining: 'plain', leaving: 'warn', unreachable: 'bad', down: 'bad', left: 'muted',
  };
  for (const state of ['joining', 'leaving', 'unreachable', 'down', 'left'] as const) {
    const n = counts.get(state) ?? 0;
    if (n > 0) parts.push({ text: `${n} ${state}`, tone: tones[state] });
  }
  const hints = hintsPending(cluster);
  // The words are the contract's ("12 hints pending", "2 transfers"), whatever the count.
  parts.push({ text: `${hints} hints pending`, tone: hints > 0 ? 'warn' : 'plain' });
  const transfers = pendingTransfers(cluster);
  parts.push({ text: `${transfers} transfers`, tone: transfers > 0 ? 'warn' : 'plain' });
  parts.push(cluster.ring.settled
    ? { text: 'ring settled', tone: 'plain' }
    : { text: 'ring changing', tone: 'warn' });
  return parts;
}
