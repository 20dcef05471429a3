import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isMeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Expr } from '../plan.ts';
import { testLayer } from './test-layer.ts';
import { parseWhere } from './where.ts';

const layer = testLayer();
const where = (s: string): Expr => parseWhere(s, layer);

/** Asserts a features.bad_where error whose message matches `re`. */
function rejects(s: string, re: RegExp): void {
  assert.throws(
    () => where(s),
    (e: unknown) => {
      assert.ok(isMeridianError(e), `not a MeridianError: ${e}`);
      assert.equal(e.code, 'features.bad_where');
      assert.equal(e.status, 400);
      assert.match(e.message, re);
      return true;
    },
    s,
  );
}

describe('parseWhere', () => {
  test('empty and 1=1 are true; 1=0 is false; literal predicates fold', () => {
    assert.deepEqual(where(''), { kind: 'true' });
    assert.deepEqual(where('  '), { kind: 'true' });
    assert.deepEqual(where('1=1'), { kind: 'true' });
    assert.deepEqual(where('1 = 0'), { kind: 'false' });
    assert.deepEqual(where("'a' = 'a'"), { kind: 'true' });
    assert.deepEqual(where("'abc' LIKE 'a%'"), { kind: 'true' });
    assert.deepEqual(where('2 IN (1, 3)'), { kind: 'false' });
    assert.deepEqual(where('2 BETWEEN 1 AND 3'), { kind: 'true' });
    assert.deepEqual(where("UPPER('x') = 'X'"), { kind: 'true' });
    assert.deepEqual(where('NOT 1=1'), { kind: 'false' });
  });

  test('comparisons resolve field names case-insensitively to the layer spelling', () => {
    assert.deepEqual(where('POP > 1000'), {
      kind: 'cmp',
      op: '>',
      left: { field: 'pop' },
      right: { value: 1000 },
    });
    assert.deepEqual(where('"name" <> \'Paris\''), {
      kind: 'cmp',
      op: '<>',
      left: { field: 'Name' },
      right: { value: 'Paris' },
    });
    assert.deepEqual(where('pop != 3'), {
      kind: 'cmp',
      op: '<>',
      left: { field: 'pop' },
      right: { value: 3 },
    });
    for (const op of ['=', '<', '<=', '>', '>='] as const) {
      assert.deepEqual(where(`5 ${op} pop`), {
        kind: 'cmp',
        op,
        left: { value: 5 },
        right: { field: 'pop' },
      });
    }
  });

  test('numbers: negative, decimal, exponent', () => {
    assert.deepEqual(where('area_km2 > -1.5e3'), {
      kind: 'cmp',
      op: '>',
      left: { field: 'Area_km2' },
      right: { value: -1500 },
    });
    assert.deepEqual(where('area_km2 = .25'), {
      kind: 'cmp',
      op: '=',
      left: { field: 'Area_km2' },
      right: { value: 0.25 },
    });
  });

  test("strings keep '' as one quote and stay values", () => {
    assert.deepEqual(where("name = 'O''Brien'"), {
      kind: 'cmp',
      op: '=',
      left: { field: 'Name' },
      right: { value: "O'Brien" },
    });
  });

  test('AND binds tighter than OR; NOT and parentheses', () => {
    const e = where("pop > 1 OR name = 'a' AND rank = 2");
    assert.equal(e.kind, 'or');
    assert.equal(e.kind === 'or' && e.items[1]!.kind, 'and');
    const p = where("(pop > 1 OR name = 'a') AND NOT rank = 2");
    assert.equal(p.kind, 'and');
    if (p.kind !== 'and') return;
    assert.equal(p.items[0]!.kind, 'or');
    assert.deepEqual(p.items[1], {
      kind: 'not',
      expr: { kind: 'cmp', op: '=', left: { field: 'rank' }, right: { value: 2 } },
    });
    assert.deepEqual(where('1=1 AND pop = 2'), {
      kind: 'cmp',
      op: '=',
      left: { field: 'pop' },
      right: { value: 2 },
    });
    assert.deepEqual(where('1=0 OR pop = 2 OR 1=1'), { kind: 'true' });
    assert.deepEqual(where('pop = 1 and pop = 2 and pop = 3').kind, 'and');
  });

  test('LIKE with % and _, NOT LIKE, ESCAPE', () => {
    assert.deepEqual(where("name LIKE 'Pa%'"), {
      kind: 'like',
      left: { field: 'Name' },
      pattern: 'Pa%',
      negate: false,
    });
    assert.deepEqual(where("name NOT LIKE '_a!%' ESCAPE '!'"), {
      kind: 'like',
      left: { field: 'Name' },
      pattern: '_a!%',
      escape: '!',
      negate: true,
    });
    assert.deepEqual(where("'5%' LIKE '5!%' ESCAPE '!'"), { kind: 'true' });
    assert.deepEqual(where("'55' LIKE '5!%' ESCAPE '!'"), { kind: 'false' });
    rejects("name LIKE 'a' ESCAPE '!!'", /one quoted character after ESCAPE/);
    rejects('pop LIKE 1', /LIKE needs a string field/);
    rejects('name LIKE name', /expected a quoted pattern after LIKE/);
  });

  test('UPPER and LOWER', () => {
    assert.deepEqual(where("UPPER(name) = 'PARIS'"), {
      kind: 'cmp',
      op: '=',
      left: { fn: 'UPPER', arg: { field: 'Name' } },
      right: { value: 'PARIS' },
    });
    assert.deepEqual(where("lower(NAME) like 'p%'"), {
      kind: 'like',
      left: { fn: 'LOWER', arg: { field: 'Name' } },
      pattern: 'p%',
      negate: false,
    });
    rejects('UPPER(pop) = 1', /UPPER\(\) needs a string/);
    rejects("SUBSTR(name, 1) = 'a'", /unknown function SUBSTR\(\)/);
  });

  test('IN and NOT IN', () => {
    assert.deepEqual(where('rank IN (1, 2, -3)'), {
      kind: 'in',
      left: { field: 'rank' },
      values: [1, 2, -3],
      negate: false,
    });
    assert.deepEqual(where("name not in ('a','b')"), {
      kind: 'in',
      left: { field: 'Name' },
      values: ['a', 'b'],
      negate: true,
    });
    rejects("rank IN (1, 'x')", /expected a number value/);
    rejects('rank IN ()', /expected a field name or a value, found '\)'/);
    rejects('rank IN (SELECT rank FROM t)', /subqueries are not allowed/);
    rejects('rank IN (1, 2', /expected '\)' to close the IN list/);
  });

  test('BETWEEN and NOT BETWEEN', () => {
    assert.deepEqual(where('pop BETWEEN 10 AND 20'), {
      kind: 'between',
      left: { field: 'pop' },
      low: 10,
      high: 20,
      negate: false,
    });
    const e = where('pop NOT BETWEEN 1 AND 2 AND rank = 1');
    assert.equal(e.kind, 'and');
    rejects('pop BETWEEN 1 OR 2', /expected AND between the bounds/);
  });

  test('IS NULL and IS NOT NULL', () => {
    assert.deepEqual(where('name IS NULL'), { kind: 'isnull', left: { field: 'Name' }, negate: false });
    assert.deepEqual(where('name is not null'), { kind: 'isnull', left: { field: 'Name' }, negate: true });
    rejects('name = NULL', /NULL can only be tested with IS NULL/);
    rejects('name IS 1', /expected NULL after IS/);
  });

  test('DATE and TIMESTAMP literals are epoch ms; strings compared with a date field become dates', () => {
    const ms = Date.UTC(2020, 0, 31);
    assert.deepEqual(where("founded > DATE '2020-01-31'"), {
      kind: 'cmp',
      op: '>',
      left: { field: 'Founded' },
      right: { date: ms },
    });
    assert.deepEqual(where("founded <= TIMESTAMP '2020-01-31 12:30:05'"), {
      kind: 'cmp',
      op: '<=',
      left: { field: 'Founded' },
      right: { date: ms + 45_005_000 },
    });
    assert.deepEqual(where("founded = '2020-01-31'"), {
      kind: 'cmp',
      op: '=',
      left: { field: 'Founded' },
      right: { date: ms },
    });
    assert.deepEqual(where("founded BETWEEN DATE '2020-01-31' AND '2020-02-01'"), {
      kind: 'between',
      left: { field: 'Founded' },
      low: ms,
      high: ms + 86_400_000,
      negate: false,
    });
    rejects("founded > DATE '2020-02-30'", /is not a date/);
    rejects('founded > DATE 5', /expected a quoted date after DATE/);
    rejects("founded = 'soon'", /expected a date/);
  });

  test('a field named like a keyword (Date) is still a field where no literal follows', () => {
    const l = testLayer({
      fields: [
        { name: 'OBJECTID', type: 'esriFieldTypeOID', alias: 'OBJECTID', nullable: false },
        { name: 'Date', type: 'esriFieldTypeDate', alias: 'Date', nullable: true },
      ],
    });
    assert.deepEqual(parseWhere("date > DATE '2020-01-01'", l), {
      kind: 'cmp',
      op: '>',
      left: { field: 'Date' },
      right: { date: Date.UTC(2020, 0, 1) },
    });
    assert.deepEqual(parseWhere('"DATE" IS NULL', l), {
      kind: 'isnull',
      left: { field: 'Date' },
      negate: false,
    });
  });

  test('type mismatches are refused rather than left to the database', () => {
    rejects("pop = 'many'", /expected a number value here .*'many'/);
    rejects('name = 5', /expected a string value here/);
    rejects('name = pop', /cannot compare a string field with a number field/);
  });

  test('unknown fields, keywords, bad tokens and structure name the position', () => {
    rejects(
      'population > 5',
      /character 1: unknown field 'population' \(the layer's fields: OBJECTID, Name, pop/,
    );
    rejects('pop >', /character 6: expected a field name or a value, found the end/);
    rejects('pop 5', /character 5: expected a comparison/);
    rejects('(pop = 5', /expected '\)' to close the parenthesis/);
    rejects('pop = 5)', /character 8: expected AND, OR or the end/);
    rejects("name = 'abc", /character 8: the string starting here is not closed/);
    rejects('"name = 1', /quoted name starting here is not closed/);
    rejects('pop = 5 AND', /expected a field name or a value, found the end/);
    rejects('pop ! 5', /expected '!='/);
    rejects('pop = 5abc', /after the number 5/);
    rejects('AND = 1', /found the keyword AND/);
  });

  test('injection attempts give a clean error or a harmless tree whose values stay values', () => {
    rejects('1=1; DROP TABLE x', /character 4: a semicolon is not allowed/);
    rejects("name = 'a' OR 1=1 --", /character 19: comments \(--\) are not allowed/);
    rejects("'; --", /the string starting here is not closed/);
    rejects("name = 'a' /* x */", /comments \(\/\* \*\/\) are not allowed/);
    rejects('name = ‘a’', /unexpected character '‘' \(U\+2018\)/);
    rejects('name = ”a”', /unexpected character/);
    rejects('pop = (SELECT max(pop) FROM cities)', /subqueries are not allowed/);
    rejects('EXISTS (SELECT 1)', /character 1: subqueries are not allowed/);
    rejects('pop = 1 UNION SELECT 1', /expected AND, OR or the end/);
    rejects('pg_sleep(10) = 1', /unknown function pg_sleep/);
    rejects('name = `a`', /unexpected character '`'/);
    rejects("name = 'a' \\' OR 1=1", /unexpected character '\\'/);
    // A quote inside a string is part of the value, never SQL.
    assert.deepEqual(where("name = 'a'' OR 1=1 --'"), {
      kind: 'cmp',
      op: '=',
      left: { field: 'Name' },
      right: { value: "a' OR 1=1 --" },
    });
    assert.deepEqual(where(`name = '"; DROP TABLE x; --'`), {
      kind: 'cmp',
      op: '=',
      left: { field: 'Name' },
      right: { value: '"; DROP TABLE x; --' },
    });
  });

  test('over-long and too deeply nested clauses are refused', () => {
    rejects(
      `pop IN (${Array.from({ length: 3000 }, (_, i) => i).join(',')})`,
      /longer than 10000 characters/,
    );
    rejects(`${'('.repeat(60)}pop = 1${')'.repeat(60)}`, /nested too deeply/);
    rejects(`${'NOT '.repeat(60)}pop = 1`, /nested too deeply/);
    assert.equal(where(`${'('.repeat(20)}pop = 1${')'.repeat(20)}`).kind, 'cmp');
  });

  test('fuzz: random strings never escape as anything but a bad_where error or a tree', () => {
    const alphabet = [
      "'",
      '"',
      '(',
      ')',
      ' ',
      'pop',
      'name',
      '=',
      '<',
      '>',
      '1',
      '-',
      ';',
      'AND',
      'OR',
      'NOT',
      ',',
      '%',
      'IN',
      'LIKE',
      'é',
      '\u0000',
    ];
    let seed = 42;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let k = 0; k < 2000; k++) {
      let s = '';
      const len = rand(12);
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      try {
        const e = where(s);
        assert.ok(
          ['true', 'false', 'and', 'or', 'not', 'cmp', 'like', 'in', 'between', 'isnull'].includes(e.kind),
        );
      } catch (err) {
        assert.ok(isMeridianError(err) && err.code === 'features.bad_where', `${JSON.stringify(s)}: ${err}`);
      }
    }
  });
});
