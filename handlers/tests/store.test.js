// The /users store (handlers/_lib/store.js), run by `eider test`.
const { describe, it, beforeEach } = require('node:test');
const assert = require('assert/strict');
const store = require('../_lib/store.js');

describe('store', () => {
  let ada;
  beforeEach(() => {
    store.list().forEach((u) => store.remove(u.id));
    ada = store.add('ada');
  });

  it('gives an added user back by id', () => {
    assert.deepEqual(store.get(ada.id), { id: ada.id, name: 'ada' });
  });

  it('lists the users added', () => {
    store.add('grace');
    assert.deepEqual(store.list().map((u) => u.name), ['ada', 'grace']);
  });

  it('forgets a removed user (a numeric id still answers a placeholder)', () => {
    store.remove(ada.id);
    assert.equal(store.list().length, 0);
    assert.deepEqual(store.get(ada.id), { id: ada.id, name: 'user ' + ada.id });
  });

  it('has no user for a non-numeric unknown id', () => {
    assert.equal(store.get('nobody'), null);
  });
});
