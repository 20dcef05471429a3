import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SeededItem } from './fixtures/items.ts';
import { ExpectedAnswers, hasPhrase, type OracleViewer, visibleTo, words } from './search-oracle.ts';

function item(id: string, over: Partial<SeededItem>): SeededItem {
  return {
    id,
    owner: 'user0001',
    title: 'Springfield Water',
    snippet: '',
    description: '<p>storm surge</p>',
    type: 'Web Map',
    tags: [],
    typeKeywords: [],
    access: 'private',
    sharedWith: [],
    extent: null,
    created: 1_700_000_000_000,
    modified: 1_700_000_000_000,
    ...over,
  };
}

describe('search oracle', () => {
  it('splits words as a reader would, markup and punctuation removed', () => {
    assert.deepEqual(words('<p>Web-Map, 2019</p>'), ['web', 'map', '2019']);
  });

  it('finds a phrase only as adjacent words within one value', () => {
    assert.equal(hasPhrase(['Web Mapping Application'], 'web map'), false);
    assert.equal(hasPhrase(['Web Map'], 'web map'), true);
    assert.equal(hasPhrase(['web', 'map'], 'web map'), false);
    assert.equal(hasPhrase(['Springfield Riverside'], 'river'), false);
  });

  it('lets each viewer see what the portal promises, and no more', () => {
    const user: OracleViewer = { admin: false, username: 'user0001', groups: new Set(['g1']) };
    const anon: OracleViewer = { admin: false, username: null, groups: new Set() };
    const other = { owner: 'user0002', sharedWith: [] as string[] };
    assert.equal(visibleTo(user, { ...other, access: 'private' }), false);
    assert.equal(visibleTo(user, { ...other, access: 'org' }), true);
    assert.equal(visibleTo(user, { ...other, access: 'shared', sharedWith: ['g2'] }), false);
    assert.equal(visibleTo(user, { ...other, access: 'shared', sharedWith: ['g1'] }), true);
    assert.equal(visibleTo(user, { owner: 'user0001', access: 'private', sharedWith: [] }), true);
    assert.equal(visibleTo(anon, { ...other, access: 'org' }), false);
    assert.equal(visibleTo(anon, { ...other, access: 'public' }), true);
    assert.equal(visibleTo({ admin: true }, { ...other, access: 'private' }), true);
  });

  it('counts, per viewer, the items a query must find', () => {
    const answers = new ExpectedAnswers([['water', (it) => hasPhrase([it.title], 'water')]]);
    answers.record(item('a', { access: 'public' }));
    answers.record(item('b', { access: 'private', owner: 'user0002' }));
    answers.record(item('c', { title: 'Bristol Roads', access: 'public' }));
    const user: OracleViewer = { admin: false, username: 'user0001', groups: new Set() };
    assert.equal(answers.total('water', { admin: true }), 2);
    assert.equal(answers.total('water', user), 1);
    assert.equal(answers.finds('water', user, 'a'), true);
    assert.equal(answers.finds('water', user, 'b'), false);
    assert.equal(answers.finds('water', { admin: true }, 'c'), false);
    assert.throws(() => answers.total('other', user), /no expected answer/);
  });
});
