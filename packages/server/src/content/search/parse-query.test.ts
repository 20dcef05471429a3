import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isMeridianError } from '../../kernel/errors/meridian-error.ts';
import { parseQuery, type QueryNode } from './parse-query.ts';

const term = (value: string, field: string | null = null, phrase = false, prefix = false): QueryNode => ({
  kind: 'term',
  field,
  value,
  phrase,
  prefix,
});

function rejects(q: string, message: RegExp): void {
  assert.throws(
    () => parseQuery(q),
    (err: unknown) =>
      isMeridianError(err) && err.code === 'content.invalid_search' && message.test(err.message),
    `expected ${JSON.stringify(q.slice(0, 60))} to be refused with ${message}`,
  );
}

describe('search query parser', () => {
  test('field:value and field: value (with a space) are the same', () => {
    assert.deepEqual(parseQuery('id:abc'), term('abc', 'id'));
    assert.deepEqual(parseQuery('id: abc'), term('abc', 'id'));
    assert.deepEqual(parseQuery('TypeKeywords:"Web Map"'), term('Web Map', 'typekeywords', true));
  });

  test("arcgis-rest-js's `id: X AND group: Y`", () => {
    assert.deepEqual(parseQuery('id: 0123abc AND group: 9f9f'), {
      kind: 'and',
      items: [term('0123abc', 'id'), term('9f9f', 'group')],
    });
  });

  test('juxtaposition is OR; AND binds tighter than OR; parentheses group', () => {
    assert.deepEqual(parseQuery('a b'), { kind: 'or', items: [term('a'), term('b')] });
    assert.deepEqual(parseQuery('a OR b AND c'), {
      kind: 'or',
      items: [term('a'), { kind: 'and', items: [term('b'), term('c')] }],
    });
    assert.deepEqual(parseQuery('(a OR b) AND c'), {
      kind: 'and',
      items: [{ kind: 'or', items: [term('a'), term('b')] }, term('c')],
    });
  });

  test('NOT, -term and +term follow Lucene', () => {
    assert.deepEqual(parseQuery('a -b'), {
      kind: 'and',
      items: [term('a'), { kind: 'not', item: term('b') }],
    });
    assert.deepEqual(parseQuery('a NOT b'), parseQuery('a -b'));
    assert.deepEqual(parseQuery('a AND NOT b'), {
      kind: 'and',
      items: [term('a'), { kind: 'not', item: term('b') }],
    });
    assert.deepEqual(parseQuery('+a b'), term('a'));
    assert.deepEqual(parseQuery('-type:CSV'), {
      kind: 'and',
      items: [{ kind: 'not', item: term('CSV', 'type') }],
    });
    assert.deepEqual(parseQuery('NOT NOT a'), term('a'));
  });

  test('a field applies to a parenthesised group; ranges; wildcards; quoted escapes', () => {
    assert.deepEqual(parseQuery('tags:(flood OR fire)'), {
      kind: 'or',
      items: [term('flood', 'tags'), term('fire', 'tags')],
    });
    assert.deepEqual(parseQuery('created:[0000001 TO 0000002]'), {
      kind: 'range',
      field: 'created',
      from: '0000001',
      to: '0000002',
      inclusive: true,
    });
    assert.deepEqual(parseQuery('modified:{1 TO *}'), {
      kind: 'range',
      field: 'modified',
      from: '1',
      to: null,
      inclusive: false,
    });
    assert.deepEqual(parseQuery('wat*'), term('wat', null, false, true));
    assert.deepEqual(parseQuery('"say \\"hi\\""'), term('say "hi"', null, true));
    assert.deepEqual(parseQuery('*'), { kind: 'all' });
    assert.deepEqual(parseQuery(''), { kind: 'all' });
  });

  test('words with quotes or SQL are just words', () => {
    assert.deepEqual(parseQuery("O'Brien"), term("O'Brien"));
    assert.deepEqual(parseQuery('x;DROP'), term('x;DROP'));
  });

  test('malformed queries are refused with a message that names the problem', () => {
    rejects('title:"unclosed', /quotation mark .* never closed/);
    rejects('(a OR b', /unbalanced parentheses: the '\(' at position 1 is never closed/);
    rejects('a OR b)', /unbalanced parentheses: the '\)' at position 7 has no matching/);
    rejects('a AND', /'AND' at position 3 must be followed by a search term/);
    rejects('OR a', /unexpected 'OR'/);
    rejects('title:', /'title:' at position 1 must be followed by a value/);
    rejects('()', /empty parentheses/);
    rejects('created:[1 TO', /never closed/);
    rejects('created:[1 2]', /must read \[from TO to\]/);
    rejects('*ater', /wildcards are supported only at the end/);
    rejects('x'.repeat(2049), /2049 characters long; the limit is 2048/);
    rejects('a\u0000b', /control character/);
    rejects(`${'('.repeat(40)}a${')'.repeat(40)}`, /nested more than 16 deep/);
    rejects(Array.from({ length: 70 }, (_, i) => `w${i}`).join(' '), /more than 64 search terms/);
  });
});
