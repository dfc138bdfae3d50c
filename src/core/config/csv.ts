/**
 * A small CSV reader for inventory files, RFC 4180 plus what spreadsheets and
 * hand edits produce: quoted fields (with "" for a quote, and line breaks),
 * CRLF, a UTF-8 byte-order mark, blank lines, and whole-line `#` comments.
 * Every record keeps its line number for error messages.
 */
import { ConfigError } from './errors';

/** One CSV record: unquoted fields are trimmed, quoted ones kept as written. */
export interface CsvRecord {
  /** Line the record starts on (1-based). */
  line: number;
  fields: string[];
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r';

/** Parses CSV text; throws ConfigError at file:line:column for malformed quoting. */
export function parseCsv(text: string, file: string): CsvRecord[] {
  // Excel writes a byte-order mark, which would otherwise glue itself to the first header name.
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (message: string, at = i, atLine = line, atLineStart = lineStart): never => {
    throw new ConfigError([{ file, line: atLine, column: at - atLineStart + 1, message }]);
  };
  /** Consumes one line break (CRLF counts as one) at i. */
  const newline = (): void => {
    i += src[i] === '\r' && src[i + 1] === '\n' ? 2 : 1;
    line++;
    lineStart = i;
  };

  while (i < src.length) {
    let j = i;
    while (isBlank(src[j])) j++;
    if (j >= src.length) break;
    if (isBreak(src[j]) || src[j] === '#') {
      i = j;
      while (i < src.length && !isBreak(src[i])) i++;
      if (i < src.length) newline();
      continue;
    }
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      while (isBlank(src[i])) i++;
      if (src[i] === '"') {
        const [openAt, openLine, openLineStart] = [i, line, lineStart];
        let value = '';
        i++;
        for (;;) {
          if (i >= src.length) fail('quoted field is never closed: add the closing "', openAt, openLine, openLineStart);
          const c = src[i];
          if (c === '"' && src[i + 1] === '"') {
            value += '"';
            i += 2;
          } else if (c === '"') {
            i++;
            break;
          } else if (isBreak(c)) {
            value += '\n';
            newline();
          } else {
            value += c;
            i++;
          }
        }
        while (isBlank(src[i])) i++;
        record.fields.push(value);
        if (i < src.length && src[i] !== ',' && !isBreak(src[i])) fail('unexpected text after a closing quote: a quoted field must end at the next comma');
      } else {
        const start = i;
        while (i < src.length && src[i] !== ',' && !isBreak(src[i])) {
          if (src[i] === '"') fail('a quote inside an unquoted field: quote the whole field and double the inner quote ("")');
          i++;
        }
        record.fields.push(src.slice(start, i).trim());
      }
      if (src[i] === ',') {
        i++;
        continue;
      }
      if (i < src.length) newline();
      break;
    }
    records.push(record);
  }
  return records;
}
