/**
 * The CSV form of `meridian users add --csv FILE`: a header row naming the columns, then one
 * SAML account a line. Quoted fields ("a, b", "say ""hi""") may hold commas, quotes and line
 * breaks; blank lines are skipped. Each record keeps the line it starts on, for messages.
 */
import type { NewSamlAccount } from '../saml-accounts.ts';

/** Column names (compared without regard to case, '-' and '_') → field. */
const COLUMNS: Record<string, keyof NewSamlAccount> = {
  nameid: 'nameId',
  idpusername: 'nameId',
  idp: 'idpEntityId',
  idpentityid: 'idpEntityId',
  username: 'username',
  role: 'role',
  email: 'email',
  firstname: 'firstName',
  lastname: 'lastName',
  fullname: 'fullName',
  description: 'description',
};

export const CSV_COLUMNS =
  'name-id (required), idp, username, role, email, first-name, last-name, full-name, description';

export class CsvError extends Error {
  override name = 'CsvError';
}

interface CsvRecord {
  line: number;
  fields: string[];
}

function records(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let any = false;
  const endRecord = () => {
    fields.push(field);
    if (any || fields.length > 1 || field !== '') out.push({ line: start, fields });
    fields = [];
    field = '';
    any = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field.trim() === '') {
      field = '';
      quoted = true;
      any = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      any = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw new CsvError(`line ${start}: a quoted field is not closed.`);
  endRecord();
  return out;
}

/** The accounts of a CSV file, each with its line; defaults fill empty or absent idp and role. */
export function parseAccountsCsv(
  text: string,
  defaults: { idpEntityId?: string; role?: string },
): { accounts: NewSamlAccount[]; lines: number[] } {
  const rows = records(text.replace(/^\uFEFF/, ''));
  const header = rows.shift();
  if (!header) throw new CsvError(`the file is empty: its first line names the columns (${CSV_COLUMNS}).`);
  const columns = header.fields.map((h, i) => {
    const key = COLUMNS[h.trim().toLowerCase().replace(/[-_ ]/g, '')];
    if (!key)
      throw new CsvError(
        `line ${header.line}: column ${i + 1} '${h.trim().slice(0, 40)}' is not known; the columns are ${CSV_COLUMNS}.`,
      );
    return key;
  });
  if (!columns.includes('nameId'))
    throw new CsvError(
      `line ${header.line}: the header has no name-id column; the columns are ${CSV_COLUMNS}.`,
    );
  const problems: string[] = [];
  const accounts: NewSamlAccount[] = [];
  const lines: number[] = [];
  for (const r of rows) {
    if (r.fields.length !== columns.length) {
      problems.push(`line ${r.line}: ${r.fields.length} fields, the header has ${columns.length}.`);
      continue;
    }
    const a: Partial<Record<keyof NewSamlAccount, string>> = {};
    for (const [i, key] of columns.entries()) {
      const v = r.fields[i]!.trim();
      if (v) a[key] = v;
    }
    const role = a.role ?? defaults.role;
    if (!role) {
      problems.push(`line ${r.line}: the role is missing (give a role column or --role).`);
      continue;
    }
    if (!a.nameId) {
      problems.push(`line ${r.line}: the name-id is missing.`);
      continue;
    }
    accounts.push({ ...a, nameId: a.nameId, role, idpEntityId: a.idpEntityId ?? defaults.idpEntityId });
    lines.push(r.line);
  }
  if (problems.length) throw new CsvError(problems.join('\n'));
  if (!accounts.length) throw new CsvError('the file has a header but no account.');
  return { accounts, lines };
}
