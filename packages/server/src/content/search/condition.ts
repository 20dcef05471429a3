import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidSearch } from '../errors.ts';
import { ACL } from './acl-tokens.ts';
import { TEXT_FIELDS, type TextField } from './document.ts';
import type { QueryNode } from './parse-query.ts';
import { tokenize } from './tokenize.ts';
import { VIS } from './visibility.ts';

/**
 * A parsed query (parse-query.ts) as a condition on an item, in two kinds of parts: text
 * queries, which the database's full-text engine answers from its index (words, phrases and
 * prefixes in fields, and the access tokens of owner:, group: and access:), and the rest
 * (id:, created:/modified: ranges), which are SQL on search_docs. orgid: is decided here (true or
 * false), and so is anything it decides.
 */
export type TextQuery =
  /** Words in a row (a phrase when several) in one field, or in any text field (null). */
  | { kind: 'words'; field: TextField | null; tokens: string[]; prefix: boolean }
  /** An access token (acl-tokens.ts), or a prefix of one (owner:jan*). */
  | { kind: 'acl'; token: string; prefix: boolean }
  | { kind: 'and'; items: TextQuery[] }
  | { kind: 'or'; items: TextQuery[] }
  | { kind: 'not'; item: TextQuery };

export type RangeOp = '=' | '>' | '>=' | '<' | '<=';

export type Condition =
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'text'; query: TextQuery }
  | { kind: 'range'; column: 'created' | 'modified'; op: RangeOp; value: number }
  /** id: an item id (a key lookup in search_docs). */
  | { kind: 'id'; value: string }
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition };

export interface ConditionContext {
  /** The organisation id, for orgid:. */
  orgId: string;
}

const TRUE: Condition = { kind: 'true' };
const FALSE: Condition = { kind: 'false' };
const FIELDS = new Set<string>(TEXT_FIELDS);
const ACCESS_VALUES = new Set(['private', 'shared', 'org', 'public']);
export const SEARCH_FIELDS = [
  ...TEXT_FIELDS,
  'id',
  'owner',
  'access',
  'group',
  'orgid',
  'created',
  'modified',
] as const;

function fail(message: string): never {
  throw new MeridianError(InvalidSearch, `Invalid search query q: ${message}`);
}

function acl(token: string, prefix = false): Condition {
  return { kind: 'text', query: { kind: 'acl', token, prefix } };
}

function words(field: TextField | null, value: string, prefix: boolean, shown: string): Condition {
  const tokens = tokenize(value);
  if (tokens.length === 0) fail(`${shown} has no letters or digits to search for.`);
  if (tokens.length > 1 && prefix) fail(`a wildcard (*) works only on a single word, not on ${shown}.`);
  return { kind: 'text', query: { kind: 'words', field, tokens, prefix } };
}

function epochMs(value: string, field: string): number {
  if (!/^\d{1,16}$/.test(value))
    fail(`${field} takes epoch milliseconds (digits only), not '${value.slice(0, 40)}'.`);
  return Number(value);
}

function leafTerm(node: Extract<QueryNode, { kind: 'term' }>, ctx: ConditionContext): Condition {
  const { field, value, prefix } = node;
  const shown = `'${`${field ? `${field}:` : ''}${node.phrase ? `"${value}"` : value}`.slice(0, 80)}'`;
  if (field === null) return words(null, value, prefix, shown);
  if (FIELDS.has(field)) return words(field as TextField, value, prefix, shown);
  if (prefix && field !== 'owner') fail(`a wildcard (*) is not supported on ${field}:.`);
  switch (field) {
    case 'owner':
      if (!value) fail(`owner: needs a username.`);
      return acl(ACL.owner(value), prefix);
    case 'id':
      return { kind: 'id', value };
    case 'access': {
      const v = value.toLowerCase();
      if (!ACCESS_VALUES.has(v))
        fail(`access: takes private, shared, org or public, not '${value.slice(0, 40)}'.`);
      return acl(ACL.access(VIS[v as keyof typeof VIS]));
    }
    case 'group':
      return acl(ACL.group(value));
    case 'orgid':
      return value.toLowerCase() === ctx.orgId.toLowerCase() ? TRUE : FALSE;
    case 'created':
    case 'modified':
      return { kind: 'range', column: field, op: '=', value: epochMs(value, field) };
    default:
      fail(`unknown field '${field}:'. Fields: ${SEARCH_FIELDS.join(', ')}.`);
  }
}

function leafRange(node: Extract<QueryNode, { kind: 'range' }>): Condition {
  if (node.field !== 'created' && node.field !== 'modified')
    fail(`ranges work on created: and modified:, not on ${node.field}:.`);
  const column = node.field;
  const parts: Condition[] = [];
  if (node.from !== null)
    parts.push({ kind: 'range', column, op: node.inclusive ? '>=' : '>', value: epochMs(node.from, column) });
  if (node.to !== null)
    parts.push({ kind: 'range', column, op: node.inclusive ? '<=' : '<', value: epochMs(node.to, column) });
  return and(parts);
}

/** Text children merged into one text condition (one full-text query). */
function mergeText(items: Condition[], kind: 'and' | 'or'): Condition[] {
  const text = items.filter((c) => c.kind === 'text').map((c) => c.query);
  const rest = items.filter((c) => c.kind !== 'text');
  if (text.length < 2) return items;
  const query: TextQuery = { kind, items: text.flatMap((q) => (q.kind === kind ? q.items : [q])) };
  return [{ kind: 'text', query }, ...rest];
}

function and(items: Condition[]): Condition {
  const flat = items.flatMap((c) => (c.kind === 'and' ? c.items : [c]));
  if (flat.some((c) => c.kind === 'false')) return FALSE;
  const kept = mergeText(
    flat.filter((c) => c.kind !== 'true'),
    'and',
  );
  if (!kept.length) return TRUE;
  return kept.length === 1 ? kept[0]! : { kind: 'and', items: kept };
}

function or(items: Condition[]): Condition {
  const flat = items.flatMap((c) => (c.kind === 'or' ? c.items : [c]));
  if (flat.some((c) => c.kind === 'true')) return TRUE;
  const kept = mergeText(
    flat.filter((c) => c.kind !== 'false'),
    'or',
  );
  if (!kept.length) return FALSE;
  return kept.length === 1 ? kept[0]! : { kind: 'or', items: kept };
}

function not(item: Condition): Condition {
  switch (item.kind) {
    case 'true':
      return FALSE;
    case 'false':
      return TRUE;
    case 'text':
      return {
        kind: 'text',
        query: item.query.kind === 'not' ? item.query.item : { kind: 'not', item: item.query },
      };
    case 'not':
      return item.item;
    default:
      return { kind: 'not', item };
  }
}

/** The condition of a parsed query (throws content.invalid_search naming the problem). */
export function toCondition(node: QueryNode, ctx: ConditionContext): Condition {
  switch (node.kind) {
    case 'all':
      return TRUE;
    case 'term':
      return leafTerm(node, ctx);
    case 'range':
      return leafRange(node);
    case 'not':
      return not(toCondition(node.item, ctx));
    case 'and':
      return and(node.items.map((n) => toCondition(n, ctx)));
    case 'or':
      return or(node.items.map((n) => toCondition(n, ctx)));
  }
}

/**
 * A condition split for the index path: `text`, the part the full-text engine answers (null
 * when no required part is text), and `rest`, what is left to check on search_docs.
 */
export function splitCondition(c: Condition): { text: TextQuery | null; rest: Condition[] } {
  if (c.kind === 'text') return { text: c.query, rest: [] };
  if (c.kind === 'and') {
    const text = c.items.find((x) => x.kind === 'text');
    return {
      text: text?.kind === 'text' ? text.query : null,
      rest: c.items.filter((x) => x !== text),
    };
  }
  if (c.kind === 'true') return { text: null, rest: [] };
  return { text: null, rest: [c] };
}
