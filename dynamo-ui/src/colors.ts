// Node colours: a fixed palette handed out in sorted node id order, so a node keeps its colour
// for as long as the set of nodes stays the same.

export const PALETTE: readonly string[] = [
  '#3b6fb6', // blue
  '#e0812f', // orange
  '#3a9a5b', // green
  '#7a5ca8', // purple
  '#2a9a9c', // teal
  '#c49a1f', // mustard
  '#d0679b', // pink
  '#8a6a4c', // brown
  '#6d92d8', // light blue
  '#6f8a2a', // olive
  '#9c3b73', // plum
  '#4e5d78', // slate
  '#e07860', // coral
  '#1f7a72', // dark teal
  '#a88bd6', // lavender
  '#b8434b', // brick
];

const collator = new Intl.Collator('en', { numeric: true });

/** Node ids sorted naturally: n2 before n10. */
export function compareIds(a: string, b: string): number {
  return collator.compare(a, b);
}

export function sortIds(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort(compareIds);
}

export class NodeColors {
  private readonly byId = new Map<string, string>();

  /** Assigns colours to the given ids in sorted order. */
  assign(ids: Iterable<string>): void {
    this.byId.clear();
    sortIds(ids).forEach((id, i) => this.byId.set(id, PALETTE[i % PALETTE.length] ?? '#888'));
  }

  of(id: string): string {
    return this.byId.get(id) ?? '#9aa3ad';
  }
}
