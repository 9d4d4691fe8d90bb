// GET /hits without Redis (eider test runs with no redis_url): it says how
// to configure one instead of failing. tests/integration/test_redis.py
// runs it against a real Redis.
const { it } = require('node:test');
const assert = require('assert/strict');
const { request } = require('eider/test');

it('says how to configure Redis when there is none', async () => {
  const res = await request('GET', '/hits');
  assert.equal(res.status, 503);
  assert.match(res.json().error, /redis_url redis:\/\/127\.0\.0\.1:6379;/);
});
