// bashSyntax: the part of a bash syntax tree the PKGBUILD reader reads. Both
// web-tree-sitter's nodes and the fast parser's plain objects
// (fastBashNode.ts) satisfy it, so the reader cannot tell which one parsed.

export interface BashPoint {
  readonly row: number;
  readonly column: number;
}

export interface BashNode {
  readonly type: string;
  readonly text: string;
  readonly isNamed: boolean;
  readonly hasError: boolean;
  readonly isMissing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: BashPoint;
  readonly childCount: number;
  readonly children: ReadonlyArray<BashNode | null>;
  readonly namedChildren: ReadonlyArray<BashNode | null>;
  readonly parent: BashNode | null;
  child(index: number): BashNode | null;
  childForFieldName(fieldName: string): BashNode | null;
  descendantsOfType(type: string): ReadonlyArray<BashNode | null>;
}

export interface BashTree {
  readonly rootNode: BashNode;
  /** Frees a tree-sitter tree's wasm memory; a plain tree has nothing to free. */
  delete(): void;
}
