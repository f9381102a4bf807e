/**
 * A dedicated scanner for one comma-separated record with optional double quotes (RFC 4180 quoting:
 * `""` inside a quoted field is one quote; empty fields are bare). SI Classic lines are read with it
 * because csv-parse per line is several times slower; tests hold it against csv-parse on the same lines.
 * Returns the fields, or the reason the record is malformed.
 */
export function splitQuotedRecord(text: string, start = 0): string[] | { reason: string } {
  const fields: string[] = [];
  let position = start;
  const length = text.length;
  for (;;) {
    if (text.charCodeAt(position) === 34 /* " */) {
      let value = '';
      let from = position + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) return { reason: `unterminated quoted field ${fields.length}` };
        if (text.charCodeAt(quote + 1) === 34) {
          value += text.slice(from, quote + 1);
          from = quote + 2;
          continue;
        }
        value += text.slice(from, quote);
        position = quote + 1;
        break;
      }
      fields.push(value);
      if (position === length) return fields;
      if (text.charCodeAt(position) !== 44 /* , */) {
        return { reason: `unexpected character after quoted field ${fields.length - 1}` };
      }
      position++;
    } else {
      const comma = text.indexOf(',', position);
      const end = comma < 0 ? length : comma;
      const value = text.slice(position, end);
      if (value.includes('"')) return { reason: `quote inside unquoted field ${fields.length}` };
      fields.push(value);
      if (comma < 0) return fields;
      position = comma + 1;
    }
  }
}
