import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { checkDatabaseRecord } from './database-record.ts';

describe('the database a data directory belongs to', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'meridian-dbrecord-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  test('is recorded at first open, without credentials, readable only by its owner', () => {
    checkDatabaseRecord(home, 'postgres://meridian:s3cret@db.example:6432/portal');
    const text = readFileSync(join(home, 'database.json'), 'utf8');
    assert.deepEqual(JSON.parse(text), { dialect: 'postgres', target: 'postgres://db.example:6432/portal' });
    assert.doesNotMatch(text, /s3cret|meridian@/);
    assert.equal(statSync(join(home, 'database.json')).mode & 0o777, 0o600);
  });

  test('a PostgreSQL directory opened without the URL is refused, naming the database and the fix', () => {
    checkDatabaseRecord(home, 'postgres://postgres@127.0.0.1:5432/portal');
    assert.throws(
      () => checkDatabaseRecord(home, undefined),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'db.other_database');
        assert.match(err.message, /PostgreSQL \(postgres:\/\/127\.0\.0\.1:5432\/portal\)/);
        assert.match(err.message, /--database-url or MERIDIAN_DATABASE_URL/);
        return true;
      },
    );
  });

  test('an SQLite directory (also one from before the record) is refused a PostgreSQL URL', () => {
    writeFileSync(join(home, 'meridian.db'), '');
    assert.throws(
      () => checkDatabaseRecord(home, 'postgres://postgres@127.0.0.1/x'),
      /its own SQLite database/,
    );
    assert.deepEqual(checkDatabaseRecord(home, undefined), {});
  });

  test('a PostgreSQL database at a new address is taken as a move and recorded', () => {
    checkDatabaseRecord(home, 'postgres://postgres@old.example/portal');
    assert.deepEqual(checkDatabaseRecord(home, 'postgres://postgres@new.example/portal'), {
      moved: 'postgres://old.example:5432/portal',
    });
    assert.match(readFileSync(join(home, 'database.json'), 'utf8'), /new\.example/);
    assert.ok(!existsSync(join(home, 'meridian.db')));
  });

  test('a damaged record is refused, saying what it must hold', () => {
    writeFileSync(join(home, 'database.json'), '{"dialect":');
    assert.throws(() => checkDatabaseRecord(home, undefined), /database\.json is damaged: it must be/);
  });
});
