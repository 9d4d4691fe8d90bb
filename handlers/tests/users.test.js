// The /users endpoints through the handlers, as `eider call` sends a
// request: require('eider/test').request(). Each test file gets a fresh
// worker, so the store starts empty here.
const { describe, it } = require('node:test');
const assert = require('assert/strict');
const { request } = require('eider/test');

describe('/users', () => {
  it('starts with an empty list', async () => {
    const res = await request('GET', '/users');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.deepEqual(res.json(), []);
  });

  it('adds a user with POST and lists it', async () => {
    const created = await request('POST', '/users', { body: { name: 'ada' } });
    assert.equal(created.status, 201);
    assert.equal(created.json().name, 'ada');
    const list = await request('GET', '/users');
    assert.deepEqual(list.json().map((u) => u.name), ['ada']);
  });

  it('refuses a body without a name with 422', async () => {
    const res = await request('POST', '/users', { body: { nom: 'ada' } });
    assert.equal(res.status, 422);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await request('POST', '/users', {
      headers: { 'Content-Type': 'application/json' },
      body: '{not json',
    });
    assert.equal(res.status, 400);
  });
});

describe('/', () => {
  it('says hello', async () => {
    const res = await request('GET', '/?x=1');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json().hello, 'world');
  });

  it('answers 404 for what no handler routes', async () => {
    const res = await request('GET', '/tests/users.test');
    assert.equal(res.status, 404);
  });
});
