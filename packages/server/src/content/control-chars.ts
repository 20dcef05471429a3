/** Index of the first C0 control character or DEL in `text` (tab, CR and LF allowed if asked), or -1. */
export function controlCharIndex(text: string, allowWhitespace = false): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 || c === 0x7f) && !(allowWhitespace && (c === 0x09 || c === 0x0a || c === 0x0d))) return i;
  }
  return -1;
}

/** `text` without C0 control characters and DEL. */
export function withoutControlChars(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c >= 0x20 && c !== 0x7f) out += ch;
  }
  return out;
}
