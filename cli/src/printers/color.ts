// Colour only when the stream is a terminal and NO_COLOR is unset: piped
// output must stay byte-for-byte what kubectl prints.
const CODES = { red: 31, green: 32, yellow: 33, blue: 34, bold: 1 } as const;
export type Color = keyof typeof CODES;

export function colorEnabled(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env['NO_COLOR'];
}

export function paint(text: string, color: Color, stream: NodeJS.WriteStream = process.stdout): string {
  return colorEnabled(stream) ? `\x1b[${CODES[color]}m${text}\x1b[0m` : text;
}
