// /notes without a database (eider test runs the embedded default, which
// declares none): every method answers 503 with a body that says how to
// configure one. tests/integration/test_pg.py runs the CRUD itself
// against a real PostgreSQL.
const { describe, it } = require('node:test');
const assert = require('assert/strict');
const { request } = require('eider/test');

describe('/notes without a database', () => {
  for (const [method, path] of [['GET', '/notes'], ['POST', '/notes'], ['GET', '/notes/1'],
                                ['PUT', '/notes/1'], ['DELETE', '/notes/1']]) {
    it(method + ' ' + path + ' answers 503 saying how to configure one', async () => {
      const res = await request(method, path, { body: method === 'POST' || method === 'PUT' ? { title: 't' } : undefined });
      assert.equal(res.status, 503);
      assert.match(res.json().error, /pg_database default/);
      assert.match(res.json().error, /conf\/notes\.sql/);
    });
  }
});
