// Go's text/tabwriter as kubectl configures it for describe (padding 2):
// a cell ended by a tab is padded to the widest cell of its column among the
// consecutive lines that also have that column.
export class TabWriter {
  private lines: string[][] = [];

  constructor(private readonly padding = 2) {}

  /** One line; cells are separated by tabs. */
  write(text: string): void {
    for (const line of text.split('\n')) this.lines.push(line.split('\t'));
  }

  toString(): string {
    const widths: number[][] = this.lines.map(() => []);
    const maxCols = Math.max(0, ...this.lines.map((l) => l.length));
    for (let c = 0; c < maxCols - 1; c++) {
      let i = 0;
      while (i < this.lines.length) {
        if (this.lines[i]!.length <= c + 1) {
          i++;
          continue;
        }
        let j = i;
        let w = 0;
        while (j < this.lines.length && this.lines[j]!.length > c + 1) w = Math.max(w, this.lines[j++]![c]!.length);
        for (let k = i; k < j; k++) widths[k]![c] = w + this.padding;
        i = j;
      }
    }
    return this.lines.map((cells, i) => cells.map((cell, c) => (c < cells.length - 1 ? cell.padEnd(widths[i]![c] ?? 0) : cell)).join('')).join('\n');
  }
}

/** Builds describe output: `key:\tvalue` lines at an indent level, like kubectl's PrefixWriter. */
export class DescribeWriter {
  readonly tw = new TabWriter(2);

  line(level: number, key: string, value?: unknown): void {
    const indent = '  '.repeat(level);
    if (value === undefined) return this.tw.write(`${indent}${key}`);
    const text = value === null ? '' : String(value);
    text.split('\n').forEach((part, i) => this.tw.write(`${indent}${i === 0 ? key : ''}\t${part}`));
  }

  /** A raw line with tabs of its own (tables inside describe). */
  raw(level: number, text: string): void {
    this.tw.write(`${'  '.repeat(level)}${text}`);
  }

  /** `Labels:  a=b` then one more key per line, aligned under the first. */
  map(level: number, key: string, m: Record<string, string> | undefined, skip: (k: string) => boolean = () => false, sep = '='): void {
    const keys = Object.keys(m ?? {}).filter((k) => !skip(k)).sort();
    if (keys.length === 0) return this.line(level, key, '<none>');
    keys.forEach((k, i) => this.line(i === 0 ? level : level, i === 0 ? key : '', `${k}${sep}${m![k]}`));
  }

  toString(): string {
    return `${this.tw.toString()}\n`;
  }
}
