/** Disjoint sets over 0…size−1 with path halving and union by size, for grouping linked vectors. */
export class UnionFind {
  readonly #parent: Int32Array;
  readonly #size: Int32Array;

  constructor(size: number) {
    this.#parent = new Int32Array(size);
    this.#size = new Int32Array(size).fill(1);
    for (let i = 0; i < size; i++) this.#parent[i] = i;
  }

  /** The representative of `x`'s set. */
  find(x: number): number {
    let node = x;
    for (;;) {
      const parent = this.#parent[node] ?? node;
      if (parent === node) return node;
      const grand = this.#parent[parent] ?? parent;
      this.#parent[node] = grand;
      node = grand;
    }
  }

  /** Joins the sets of `a` and `b`; returns false when they were already one. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if ((this.#size[ra] ?? 0) < (this.#size[rb] ?? 0)) [ra, rb] = [rb, ra];
    this.#parent[rb] = ra;
    this.#size[ra] = (this.#size[ra] ?? 0) + (this.#size[rb] ?? 0);
    return true;
  }

  /** The sets of two or more of `members`, each sorted ascending, ordered by their first member. */
  groups(members: ArrayLike<number>): number[][] {
    const byRoot = new Map<number, number[]>();
    for (let i = 0; i < members.length; i++) {
      const member = members[i] ?? 0;
      const root = this.find(member);
      const group = byRoot.get(root);
      if (group === undefined) byRoot.set(root, [member]);
      else group.push(member);
    }
    return [...byRoot.values()]
      .filter((group) => group.length > 1)
      .map((group) => group.sort((a, b) => a - b))
      .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
  }
}
