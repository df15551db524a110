// fastBashNode: a syntax tree node as plain data, shaped like web-tree-sitter's
// Node for the members in bashSyntax.ts. Indexes are UTF-16 code units, as
// web-tree-sitter reports them for a JavaScript string.

import type { BashNode, BashPoint, BashTree } from './bashSyntax.js';

/** What every node of one tree shares: the source and, once asked for, its line starts. */
export class FastBashSource {
  private lineStarts: number[] | undefined;
  constructor(readonly text: string) {}

  position(index: number): BashPoint {
    if (this.lineStarts === undefined) {
      const starts = [0];
      for (let at = this.text.indexOf('\n'); at !== -1; at = this.text.indexOf('\n', at + 1)) starts.push(at + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return { row: low, column: index - starts[low]! };
  }
}

const NO_CHILDREN: readonly FastBashNode[] = [];

export class FastBashNode implements BashNode {
  parent: FastBashNode | null = null;
  private named: FastBashNode[] | undefined;

  constructor(
    private readonly source: FastBashSource,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly children: readonly FastBashNode[] = NO_CHILDREN,
    /** The field name of each child (undefined where it has none); absent when no child has one. */
    private readonly fields?: ReadonlyArray<string | undefined>,
  ) {
    for (const child of children) child.parent = this;
  }

  get hasError(): boolean {
    return false;
  }

  get isMissing(): boolean {
    return false;
  }

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): BashPoint {
    return this.source.position(this.startIndex);
  }

  get childCount(): number {
    return this.children.length;
  }

  get namedChildren(): readonly FastBashNode[] {
    this.named ??= this.children.filter((child) => child.isNamed);
    return this.named;
  }

  child(index: number): FastBashNode | null {
    return this.children[index] ?? null;
  }

  fieldNameForChild(index: number): string | null {
    return this.fields?.[index] ?? null;
  }

  childForFieldName(fieldName: string): FastBashNode | null {
    const index = this.fields?.indexOf(fieldName) ?? -1;
    return index === -1 ? null : this.children[index]!;
  }

  /** This node and its descendants of `type`, in document order (web-tree-sitter includes the node itself). */
  descendantsOfType(type: string): FastBashNode[] {
    const found: FastBashNode[] = [];
    const visit = (node: FastBashNode): void => {
      if (node.type === type) found.push(node);
      for (const child of node.children) visit(child);
    };
    visit(this);
    return found;
  }
}

export class FastBashTree implements BashTree {
  constructor(readonly rootNode: FastBashNode) {}
  delete(): void {}
}
