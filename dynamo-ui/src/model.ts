// Facts derived from the cluster answer, shared by the header and the views.

import { compareIds } from './colors';
import type { ClusterResponse, Member } from './types';

export type MemberState = 'up' | 'unreachable' | 'joining' | 'leaving' | 'left' | 'down';

const KNOWN_STATES: readonly string[] = ['up', 'unreachable', 'joining', 'leaving', 'left', 'down'];

/** `unreachable` when the member did not answer or is not reachable, else its status. */
export function memberState(m: Member): MemberState {
  if (m.answered === false || m.reachable === false) return 'unreachable';
  const status = (m.status ?? 'up').toLowerCase();
  return (KNOWN_STATES.includes(status) ? status : 'up') as MemberState;
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
export function healthParts(cluster: ClusterResponse): Array<{ text: string; tone: 'ok' | 'warn' | 'bad' | 'plain' }> {
  const counts = new Map<MemberState, number>();
  for (const m of cluster.members ?? []) {
    const state = memberState(m);
    counts.set(state, (counts.get(state) ?? 0) + 1);
  }
  const parts: Array<{ text: string; tone: 'ok' | 'warn' | 'bad' | 'plain' }> = [
    { text: `${counts.get('up') ?? 0} up`, tone: 'ok' },
  ];
  const tones: Record<MemberState, 'ok' | 'warn' | 'bad' | 'plain'> = {
    up: 'ok', joining: 'plain', leaving: 'warn', unreachable: 'bad', down: 'bad', left: 'plain',
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
