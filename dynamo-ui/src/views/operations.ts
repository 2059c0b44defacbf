// #/operations: join, leave, replace, bucket properties. Every action asks for confirmation
// first and shows the server's answer afterwards.

import { api } from '../api';
import { confirmAction } from '../dialog';
import { card, h, setOptions } from '../dom';
import { memberState, sortedMembers } from '../model';
import { ActionResult } from './action-result';
import { BucketsPanel } from './buckets';
import type { View, ViewContext } from './view';

export function operationsView({ store, poller }: ViewContext): View {
  const result = new ActionResult();
  const buckets = new BucketsPanel(store, poller, result);

  const clusterName = () => store.cluster?.cluster ?? 'the cluster';
  const partitionsOf = (id: string) => store.cluster?.members.find((m) => m.id === id)?.partitions ?? null;

  /** Confirms, runs, reports, and refreshes the page's data. */
  async function act(what: string, title: string, message: string, confirmLabel: string, danger: boolean,
    run: () => Promise<unknown>, done?: () => void): Promise<void> {
    if (!(await confirmAction({ title, message, confirmLabel, danger }))) return;
    result.pending(what);
    try {
      result.success(what, await run());
      done?.();
      poller.refreshNow();
    } catch (e) {
      result.failure(what, e);
    }
  }

  // Join.
  const joinAddress = h('input', { type: 'text', placeholder: 'host:port', 'data-testid': 'join-address', spellcheck: 'false', autocomplete: 'off' });
  const joinForm = h('form', { class: 'op-form', novalidate: true },
    h('h3', { class: 'form-title' }, 'Join a node'),
    h('p', { class: 'form-help' }, 'Invite a running, empty node into the cluster by its HTTP address.'),
    h('div', { class: 'form-row' },
      h('label', { class: 'field grow' }, h('span', { class: 'field-label' }, 'HTTP address'), joinAddress),
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'join' }, 'Join…')));
  joinForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const address = joinAddress.value.trim();
    if (!address) {
      result.invalid('Join a node', 'Type the new node’s HTTP address as host:port.');
      joinAddress.focus();
      return;
    }
    void act(`Invite ${address}`, 'Join a node',
      `The node at ${address} will be invited to join cluster “${clusterName()}”. Once it joins, the ring changes and partitions are transferred to it.`,
      'Invite', false, () => api.invite(address), () => { joinAddress.value = ''; });
  });

  // Leave.
  const leaveNode = h('select', { 'data-testid': 'leave-node' });
  const leaveForm = h('form', { class: 'op-form', novalidate: true },
    h('h3', { class: 'form-title' }, 'Leave'),
    h('p', { class: 'form-help' }, 'A member hands its partitions to the others, then leaves the cluster.'),
    h('div', { class: 'form-row' },
      h('label', { class: 'field grow' }, h('span', { class: 'field-label' }, 'Member'), leaveNode),
      h('button', { type: 'submit', class: 'btn btn-danger', 'data-testid': 'leave' }, 'Leave…')));
  leaveForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const node = leaveNode.value;
    if (!node) {
      result.invalid('Leave', 'Choose the member that should leave.');
      leaveNode.focus();
      return;
    }
    const count = partitionsOf(node);
    const moves = count === 0 ? 'it owns no partitions, so nothing moves' : `its ${count ?? ''} partitions move to the other members`.replace('  ', ' ');
    void act(`Leave ${node}`, `Remove ${node}`,
      `${node} will leave cluster “${clusterName()}”: ${moves}, then it is no longer a member.`,
      `Remove ${node}`, true, () => api.leave(node));
  });

  // Replace.
  const replaceNode = h('select', { 'data-testid': 'replace-node' });
  const replaceBy = h('input', { type: 'text', placeholder: 'new node id', 'data-testid': 'replace-by', spellcheck: 'false', autocomplete: 'off' });
  const replaceForm = h('form', { class: 'op-form', novalidate: true },
    h('h3', { class: 'form-title' }, 'Replace'),
    h('p', { class: 'form-help' }, 'A node that has asked to join takes over a member’s partitions unchanged.'),
    h('div', { class: 'form-row' },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Member'), replaceNode),
      h('label', { class: 'field grow' }, h('span', { class: 'field-label' }, 'By'), replaceBy),
      h('button', { type: 'submit', class: 'btn btn-danger', 'data-testid': 'replace' }, 'Replace…')));
  replaceForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const node = replaceNode.value;
    const by = replaceBy.value.trim();
    if (!node || !by) {
      result.invalid('Replace', node ? 'Type the id of the node that takes over.' : 'Choose the member to replace.');
      (node ? replaceBy : replaceNode).focus();
      return;
    }
    const count = partitionsOf(node);
    void act(`Replace ${node} by ${by}`, `Replace ${node}`,
      `${by} will take over ${count === null ? 'the' : `all ${count}`} partitions of ${node} unchanged, and ${node} will no longer be a member of cluster “${clusterName()}”.`,
      `Replace ${node}`, true, () => api.replace(node, by), () => { replaceBy.value = ''; });
  });

  const el = h('div', { class: 'view view-operations' },
    card('Membership', [h('div', { class: 'op-forms' }, joinForm, leaveForm, replaceForm)]),
    card('Last action', [result.el], { class: 'result-card' }),
    card('Buckets', [buckets.el]));

  return {
    el,
    update(): void {
      const members = sortedMembers(store.cluster).filter((m) => memberState(m) !== 'left');
      const options: Array<[string, string]> = [['', 'choose…'], ...members.map((m): [string, string] => [m.id, `${m.id} (${memberState(m)})`])];
      setOptions(leaveNode, options);
      setOptions(replaceNode, options);
      buckets.update();
    },
  };
}
