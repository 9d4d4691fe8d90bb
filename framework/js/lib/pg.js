// require('pg'): node-postgres's Pool and Client over eider's natives
// (framework/js_pg.c, one libpq connection per client on the worker's
// loop). Pool rules: at most `max` connections, opening ones included (a
// restart cannot set off a connect storm); a bounded wait queue whose
// entries time out after connectionTimeoutMillis with a clear error; a
// connection handed back inside a transaction is rolled back (discarded if
// that fails), a broken one is discarded, and connects that fail back off
// (100 ms doubling to 2 s), failing fast meanwhile with the last error.
// C builds the rows and converts bool, int2/int4/oid, float4/float8 and
// json/jsonb; the parsers below do dates, bytea and arrays by type OID.
'use strict';

var native = require('eider/pg-native');
var promises = require('eider/promise');
var newPromise = promises.newPromise, settle = promises.settlePromise;
var EventEmitter = require('events');
var util = require('util');

// --- types -----------------------------------------------------------

function pad(n, w) {
  var s = String(Math.abs(n));
  while (s.length < w) s = '0' + s;
  return s;
}

var TS = /^(\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d)(\.\d+)?)?(?:(Z)|([+-])(\d\d)(?::?(\d\d))?(?::(\d\d))?)?( BC)?$/;

// A date, timestamp or timestamptz as the server prints it (ISO style):
// a Date, local time when it carries no offset, as node-postgres does.
function parseDate(s) {
  if (s === 'infinity') return Infinity;
  if (s === '-infinity') return -Infinity;
  var m = TS.exec(s);
  if (!m) return s;
  var year = +m[1], ms = m[7] ? Math.floor(+('0' + m[7]) * 1000 + 1e-6) : 0;
  if (m[13]) year = 1 - year;
  var d;
  if (m[8] || m[9]) {
    var off = m[9] ? (m[9] === '-' ? -1 : 1) * ((+m[10]) * 3600 + (+(m[11] || 0)) * 60 + (+(m[12] || 0))) : 0;
    d = new Date(Date.UTC(year, m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0), ms) - off * 1000);
    if (year < 100 && year >= 0) d.setUTCFullYear(year);
  } else {
    d = new Date(year, m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0), ms);
    if (year < 100 && year >= 0) d.setFullYear(year);
  }
  return d;
}

function parseBytea(s) {
  if (s.charAt(0) === '\\' && s.charAt(1) === 'x') return Buffer.from(s.slice(2), 'hex');
  // escape format (bytea_output = escape): \\ and \ooo
  var out = [];
  for (var i = 0; i < s.length; i++) {
    var c = s.charAt(i);
    if (c !== '\\') out.push(s.charCodeAt(i));
    else if (s.charAt(i + 1) === '\\') { out.push(92); i++; }
    else { out.push(parseInt(s.substr(i + 1, 3), 8)); i += 3; }
  }
  return Buffer.from(out);
}

// A PostgreSQL array literal ({a,"b c",NULL}, nested, maybe with
// [1:2]= bounds) into nested arrays, elements through PARSE.
function parseArray(text, parse) {
  var pos = text.charAt(0) === '[' ? text.indexOf('=') + 1 : 0;
  function level() {
    var out = [];
    pos++;                                   // '{'
    if (text.charAt(pos) === '}') { pos++; return out; }
    for (;;) {
      var ch = text.charAt(pos);
      if (ch === '{') {
        out.push(level());
      } else if (ch === '"') {
        var s = '';
        pos++;
        for (;;) {
          var c = text.charAt(pos++);
          if (c === '\\') s += text.charAt(pos++);
          else if (c === '"' || c === '') break;
          else s += c;
        }
        out.push(parse(s));
      } else {
        var start = pos;
        while (pos < text.length && text.charAt(pos) !== ',' && text.charAt(pos) !== '}') pos++;
        var tok = text.slice(start, pos);
        out.push(tok === 'NULL' ? null : parse(tok));
      }
      ch = text.charAt(pos++);
      if (ch !== ',') return out;
    }
  }
  return level();
}

function identity(s) { return s; }
function parseBool(s) { return s === 't' || s === 'true'; }
function parseNumber(s) { return +s; }
function arrayOf(parse) { return function (s) { return parseArray(s, parse); }; }

// Type OID -> parser of the text C left as a string.
var parsers = {
  17: parseBytea, 1082: parseDate, 1114: parseDate, 1184: parseDate,
  1000: arrayOf(parseBool), 1001: arrayOf(parseBytea), 1005: arrayOf(parseNumber),
  1007: arrayOf(parseNumber), 1028: arrayOf(parseNumber), 1016: arrayOf(identity),
  1021: arrayOf(parseNumber), 1022: arrayOf(parseNumber), 1231: arrayOf(identity),
  1009: arrayOf(identity), 1015: arrayOf(identity), 1014: arrayOf(identity), 1002: arrayOf(identity),
  1263: arrayOf(identity), 2951: arrayOf(identity), 199: arrayOf(JSON.parse), 3807: arrayOf(JSON.parse),
  1182: arrayOf(parseDate), 1115: arrayOf(parseDate), 1185: arrayOf(parseDate)
};

var types = {
  // As pg-types: FN takes the text. Types C converts (bool, int2, int4,
  // oid, float4, float8, json, jsonb) reach FN as String(value).
  setTypeParser: function (oid, format, fn) {
    parsers[oid] = typeof format === 'function' ? format : fn;
  },
  getTypeParser: function (oid) { return parsers[oid] || identity; },
  builtins: { BOOL: 16, BYTEA: 17, INT8: 20, INT2: 21, INT4: 23, TEXT: 25, OID: 26, JSON: 114,
              FLOAT4: 700, FLOAT8: 701, VARCHAR: 1043, DATE: 1082, TIMESTAMP: 1114,
              TIMESTAMPTZ: 1184, NUMERIC: 1700, UUID: 2950, JSONB: 3802 }
};
var C_TYPES = { 16: 1, 21: 1, 23: 1, 26: 1, 114: 1, 700: 1, 701: 1, 3802: 1 };

// Applies the parsers to the columns that have one.
function parseResult(r, arrayMode) {
  if (Array.isArray(r)) {
    for (var k = 0; k < r.length; k++) parseResult(r[k], arrayMode);
    return r;
  }
  var fields = r.fields, rows = r.rows;
  for (var i = 0; i < fields.length; i++) {
    var oid = fields[i].dataTypeID, parse = parsers[oid];
    if (!parse) continue;
    var key = arrayMode ? i : fields[i].name, viaString = C_TYPES[oid] === 1;
    for (var j = 0; j < rows.length; j++) {
      var v = rows[j][key];
      if (v !== null) rows[j][key] = parse(viaString ? String(v) : v);
    }
  }
  return r;
}

// --- parameters (node-postgres's utils.prepareValue) ---------------------

function dateToString(d) {
  var off = -d.getTimezoneOffset(), year = d.getFullYear(), bc = year < 1;
  if (bc) year = 1 - year;
  return pad(year, 4) + '-' + pad(d.getMonth() + 1, 2) + '-' + pad(d.getDate(), 2) + 'T' +
    pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2) + '.' +
    pad(d.getMilliseconds(), 3) + (off < 0 ? '-' : '+') + pad(Math.floor(Math.abs(off) / 60), 2) + ':' +
    pad(Math.abs(off) % 60, 2) + (bc ? ' BC' : '');
}

function arrayLiteral(a) {
  var parts = [];
  for (var i = 0; i < a.length; i++) {
    var v = a[i];
    if (v === null || v === undefined) parts.push('NULL');
    else if (Array.isArray(v)) parts.push(arrayLiteral(v));
    else if (Buffer.isBuffer(v)) parts.push('"\\\\x' + v.toString('hex') + '"');
    else parts.push('"' + String(prepareValue(v)).replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"');
  }
  return '{' + parts.join(',') + '}';
}

function prepareValue(v, seen) {
  var t = typeof v;
  if (t === 'string') return v;
  if (t === 'number' || t === 'boolean') return String(v);
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (ArrayBuffer.isView(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof Date) return dateToString(v);
  if (Array.isArray(v)) return arrayLiteral(v);
  if (typeof v === 'object') {
    if (typeof v.toPostgres === 'function') {
      seen = seen || [];
      if (seen.indexOf(v) >= 0) throw new Error('circular reference detected while preparing "' + v + '" for query');
      seen.push(v);
      return prepareValue(v.toPostgres(prepareValue), seen);
    }
    return JSON.stringify(v);
  }
  return String(v);
}

function prepareValues(values) {
  var out = new Array(values.length);
  for (var i = 0; i < values.length; i++) out[i] = prepareValue(values[i]);
  return out;
}

// --- connection options ---------------------------------------------------

var SERVER_SETTINGS = ['statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout'];

// Pool/Client options with pg_database NAME's filled in: { name: NAME }
// (or, when nothing says where to connect, pg_database default).
function resolveOptions(config) {
  var o = {}, k;
  if (typeof config === 'string') config = { connectionString: config };
  config = config || {};
  var name = config.name;
  if (name === undefined && !config.connectionString && !config.host && !config.database)
    name = native.database('default') ? 'default' : undefined;
  if (name !== undefined) {
    var db = native.database(String(name));
    if (!db) throw new Error('pg: no database named "' + name + '": declare it in eider.conf with ' +
                             'pg_database ' + name + ' postgresql://user:password@host/db;');
    for (k in db) o[k] = db[k];
  }
  for (k in config) if (config[k] !== undefined && k !== 'name') o[k] = config[k];
  return o;
}

// libpq keywords and values for options O.
function connectParams(o) {
  var keys = [], values = [];
  function add(k, v) {
    if (v !== undefined && v !== null && v !== '') { keys.push(k); values.push(String(v)); }
  }
  add('dbname', o.connectionString);   // the first dbname may be a whole connection string
  add('host', o.host);
  add('port', o.port);
  add('user', o.user);
  add('password', typeof o.password === 'function' ? undefined : o.password);
  add('dbname', o.database);
  add('application_name', o.application_name);
  add('fallback_application_name', o.fallback_application_name || 'eider');
  if (o.ssl === true || (o.ssl && typeof o.ssl === 'object')) add('sslmode', o.ssl.rejectUnauthorized === false ? 'require' : 'verify-full');
  else if (o.ssl === false) add('sslmode', 'disable');
  var opts = [];
  for (var i = 0; i < SERVER_SETTINGS.length; i++)
    if (o[SERVER_SETTINGS[i]]) opts.push('-c ' + SERVER_SETTINGS[i] + '=' + (o[SERVER_SETTINGS[i]] | 0));
  if (opts.length) add('options', opts.join(' '));
  add('client_encoding', 'UTF8');
  return { keys: keys, values: values };
}

// --- Client ----------------------------------------------------------------

// query(text | {text, values, rowMode}, values?, callback?) as node-postgres.
function queryConfig(text, values) {
  var c = typeof text === 'object' && text !== null ? text : { text: text };
  if (typeof c.text !== 'string') throw new TypeError('Client was passed a null or undefined query');
  var v = values !== undefined && typeof values !== 'function' ? values : c.values;
  return { text: c.text, values: v, rowMode: c.rowMode, timeout: c.query_timeout };
}

function withCallback(promise, cb) {
  if (typeof cb !== 'function') return promise;
  promise.then(function (r) { cb(null, r); }, function (e) { cb(e); });
  return undefined;
}

function Client(config) {
  if (!(this instanceof Client)) return new Client(config);
  EventEmitter.call(this);
  this._opts = resolveOptions(config);
  this._id = 0;
  this._active = false;
  this._queue = [];
  this._ended = false;
  this._after = null;         // of the query in flight (see _send)
  this._outer = null;
  this._arrayMode = false;
  var self = this;
  this._onDone = function (r, failed) { return self._done(r, failed); };
  this.database = this._opts.database;
  this.host = this._opts.host;
  this.port = this._opts.port;
  this.user = this._opts.user;
}
util.inherits(Client, EventEmitter);

Client.prototype.connect = function (cb) {
  var self = this, p = connectClient(this._opts);
  return withCallback(p.then(function (id) { self._id = id; return self; }), cb && function (e) { cb(e); });
};

function connectClient(o) {
  var params = connectParams(o);
  try {
    return native.connect(params.keys, params.values, o.connectionTimeoutMillis || 0);
  } catch (e) {
    return Promise.reject(e);
  }
}

Client.prototype.query = function (text, values, cb) {
  if (typeof values === 'function') { cb = values; values = undefined; }
  var config;
  try {
    config = queryConfig(text, values);
  } catch (e) {
    return withCallback(Promise.reject(e), cb);
  }
  if (!this._active) return withCallback(this._send(config, null, null), cb);
  var self = this;
  return withCallback(new Promise(function (resolve, reject) {
    self._queue.push({ config: config, resolve: resolve, reject: reject });
  }), cb);
};

// Sends CONFIG now (the connection is free) and runs the queue after it.
// AFTER (or null) is called when it ends, before anything settles: how
// pool.query gives the connection back. OUTER is the pending Promise
// (eider/promise) to settle with the result, made here unless pool.query
// made it before it had a connection; C makes none, so a query costs one
// Promise and no then(), and end() can reject the query in flight.
Client.prototype._send = function (config, after, outer) {
  var arrayMode = config.rowMode === 'array';
  if (!outer) outer = newPromise();
  var timeout = config.timeout !== undefined ? config.timeout : this._opts.query_timeout;
  try {
    if (!this._id) {
      throw new Error(this._ended ? 'Client was closed and is not queryable'
                                  : 'Client is not connected: call connect() first');
    }
    native.query(this._id, config.text,
                 config.values === undefined || config.values === null ? null : prepareValues(config.values),
                 timeout || 0, arrayMode, this._onDone);
  } catch (e) {
    if (after) after(this);
    settle(outer, true, e);
    return outer;
  }
  this._active = true;
  this._after = after;
  this._outer = outer;
  this._arrayMode = arrayMode;
  return outer;
};

// Called by C when the query in flight ended: types parsed, the connection
// given back (AFTER), the next queued query sent, then OUTER settled.
Client.prototype._done = function (r, failed) {
  var after = this._after, outer = this._outer;
  this._after = null;
  this._outer = null;
  if (!failed) {
    try {
      r = parseResult(r, this._arrayMode);
    } catch (e) {
      r = e;
      failed = true;
    }
  }
  if (after) after(this);
  this._next();
  if (outer) settle(outer, failed, r);
};

Client.prototype._next = function () {
  this._active = false;
  var item = this._queue.shift();
  if (item) this._send(item.config, null, null).then(item.resolve, item.reject);
};

Client.prototype.end = function (cb) {
  if (this._id) native.close(this._id);
  this._id = 0;
  this._ended = true;
  if (this._active && this._outer) {
    var outer = this._outer;
    this._outer = null;
    this._active = false;
    settle(outer, true, new Error('Connection terminated'));
  }
  var q = this._queue;
  this._queue = [];
  for (var i = 0; i < q.length; i++) q[i].reject(new Error('Client was closed and is not queryable'));
  this.emit('end');
  return withCallback(Promise.resolve(), cb);
};

Client.prototype.escapeIdentifier = function (s) { return '"' + String(s).replace(/"/g, '""') + '"'; };
Client.prototype.escapeLiteral = function (s) {
  s = String(s);
  var backslash = s.indexOf('\\') >= 0, out = "'" + s.replace(/'/g, "''").replace(/\\/g, '\\\\') + "'";
  return backslash ? ' E' + out : out;
};

// --- Pool ------------------------------------------------------------------

function PoolClient(pool, id) {
  Client.call(this, pool.options);
  this._id = id;
  this._pool = pool;
  this._released = false;
  this._idleSince = 0;
}
util.inherits(PoolClient, Client);

// release(err?): back to the pool; an Error (or true) closes it instead.
PoolClient.prototype.release = function (err) {
  if (this._released) throw new Error('Release called on client which has already been released to the pool.');
  this._released = true;
  this._pool._release(this, err);
};

function Pool(options) {
  if (!(this instanceof Pool)) return new Pool(options);
  EventEmitter.call(this);
  var o = resolveOptions(options);
  o.max = o.max > 0 ? o.max | 0 : 10;
  o.idleTimeoutMillis = o.idleTimeoutMillis === undefined ? 10000 : o.idleTimeoutMillis;
  o.connectionTimeoutMillis = o.connectionTimeoutMillis === undefined ? 10000 : o.connectionTimeoutMillis;
  o.maxWaiting = o.maxWaiting === undefined ? 1000 : o.maxWaiting;
  this.options = o;
  this._idle = [];
  this._waiting = [];        // FIFO of { resolve, reject, deadline } from _head on
  this._head = 0;
  this._waitTimer = null;     // one timer for the oldest waiter's deadline
  this._total = 0;
  this._ending = false;
  this._backoff = 0;
  this._retryAt = 0;
  this._lastError = '';
  this._sweep = null;
  this._ended = [];
}
util.inherits(Pool, EventEmitter);

Object.defineProperty(Pool.prototype, 'totalCount', { get: function () { return this._total; } });
Object.defineProperty(Pool.prototype, 'idleCount', { get: function () { return this._idle.length; } });
Object.defineProperty(Pool.prototype, 'waitingCount', { get: function () { return this._waiting.length - this._head; } });
Object.defineProperty(Pool.prototype, 'ending', { get: function () { return this._ending; } });

Pool.prototype.connect = function (cb) {
  var p = this._acquire(null, null);
  if (typeof cb !== 'function') return p;
  p.then(function (c) { cb(null, c, function (err) { c.release(err); }); }, function (e) { cb(e); });
  return undefined;
};

// A connection for pool.connect() (CONFIG and OUTER null: returns a
// Promise of it), or for pool.query's CONFIG, whose Promise OUTER it
// settles (returns nothing).
Pool.prototype._acquire = function (config, outer) {
  var self = this, o = this.options, w = outer ? { config: config, promise: outer } : null, c;
  if (this._ending) {
    var ended = new Error('Cannot use a pool after calling end on the pool');
    return w ? reject(w, ended) : Promise.reject(ended);
  }
  if (!w && (c = this._takeIdle())) return Promise.resolve(c);
  if (this._total < o.max) {
    if (!w) return this._open();
    this._openFor(w);
    return undefined;
  }
  if (this._waiting.length - this._head >= o.maxWaiting) {
    var full = new Error('pg pool exhausted: all ' + o.max + ' connections busy and ' + o.maxWaiting +
                         ' requests already waiting (raise max or maxWaiting, or make queries shorter)');
    full.code = 'EPOOLFULL';
    return w ? reject(w, full) : Promise.reject(full);
  }
  var limit = o.connectionTimeoutMillis, deadline = limit > 0 ? Date.now() + limit : 0;
  if (limit > 0 && !this._waitTimer) this._armWait(limit);
  if (w) {
    w.deadline = deadline;
    this._waiting.push(w);
    return undefined;
  }
  return new Promise(function (resolve, rejectIt) {
    self._waiting.push({ resolve: resolve, reject: rejectIt, deadline: deadline });
  });
};

// The next waiter, or undefined. A FIFO with a moving head: shift() is
// linear in Duktape, and a busy pool has hundreds waiting.
Pool.prototype._nextWaiter = function () {
  var q = this._waiting;
  if (this._head >= q.length) return undefined;
  var w = q[this._head];
  q[this._head++] = undefined;
  if (this._head === q.length) {       // drained: no timer keeps eider run alive
    this._waiting = [];
    this._head = 0;
    if (this._waitTimer) clearTimeout(this._waitTimer);
    this._waitTimer = null;
  } else if (this._head > 64 && this._head * 2 > q.length) {
    this._waiting = q.slice(this._head);
    this._head = 0;
  }
  return w;
};

// All waiters share one timeout, so deadlines come in queue order: one
// timer, for the oldest, rejects whoever is past due and re-arms.
Pool.prototype._armWait = function (ms) {
  var self = this;
  this._waitTimer = setTimeout(function () {
    self._waitTimer = null;
    var o = self.options, now = Date.now(), q = self._waiting, w;
    while (self._head < q.length && q[self._head].deadline <= now) {
      w = self._nextWaiter();
      q = self._waiting;
      var e = new Error('timeout exceeded when trying to connect: all ' + o.max + ' connections of the pool ' +
                        'stayed busy for ' + o.connectionTimeoutMillis + ' ms (raise max or connectionTimeoutMillis)');
      e.code = 'ETIMEDOUT';
      reject(w, e);
    }
    if (self._head < q.length) self._armWait(q[self._head].deadline - now);
  }, Math.max(ms, 1));
};

// An idle connection that is still alive, or undefined.
Pool.prototype._takeIdle = function () {
  while (this._idle.length) {
    var c = this._idle.pop();
    if (native.alive(c._id)) {
      c._released = false;
      return c;
    }
    this._destroy(c);
  }
  return undefined;
};

// Opens a connection (counted at once, so that at most max are ever
// opening or open); during a back-off, fails at once with the last error.
Pool.prototype._open = function () {
  var self = this, wait = this._retryAt - Date.now();
  this._total++;
  var p = wait > 0
    ? Promise.reject(new Error('cannot connect to PostgreSQL: ' + this._lastError + ' (next try in ' + wait + ' ms)'))
    : connectClient(this.options);
  return p.then(function (id) {
    self._backoff = 0;
    var c = new PoolClient(self, id);
    if (self._ending) {
      self._destroy(c);
      throw new Error('Cannot use a pool after calling end on the pool');
    }
    self.emit('connect', c);
    return c;
  }, function (e) {
    self._total--;
    if (wait <= 0) {
      self._backoff = Math.min(Math.max(self._backoff * 2, 100), 2000);
      self._retryAt = Date.now() + self._backoff;
      self._lastError = e.message;
    }
    self._checkEnded();
    throw e;
  });
};

Pool.prototype._release = function (c, err) {
  var self = this;
  var tx = native.txStatus(c._id);      // 'unknown' once broken
  if (tx === 'idle' && !err && !this._ending) {
    this._checkin(c);
    return;
  }
  if (err || this._ending) tx = 'unknown';
  if (tx !== 'intrans' && tx !== 'inerror') {
    this._destroy(c);
    this._dispense();
    return;
  }
  // Handed back inside a transaction: never to the next request as it is.
  native.query(c._id, 'ROLLBACK', null, 5000, false, function (r, failed) {
    if (failed || self._ending) {
      self._destroy(c);
      self._dispense();
    } else {
      self._checkin(c);
    }
  });
};

Pool.prototype._checkin = function (c) {
  var w = this._nextWaiter();
  if (w) {
    serve(c, w);
    return;
  }
  c._idleSince = Date.now();
  this._idle.push(c);
  if (!this._sweep && this.options.idleTimeoutMillis > 0) this._armSweep(this.options.idleTimeoutMillis);
};

// One timer per pool closes the connections idle past idleTimeoutMillis.
Pool.prototype._armSweep = function (ms) {
  var self = this;
  this._sweep = setTimeout(function () {
    self._sweep = null;
    var now = Date.now(), limit = self.options.idleTimeoutMillis, next = Infinity, keep = [];
    for (var i = 0; i < self._idle.length; i++) {
      var c = self._idle[i], left = c._idleSince + limit - now;
      if (left <= 0) self._destroy(c);
      else { keep.push(c); next = Math.min(next, left); }
    }
    self._idle = keep;
    if (keep.length) self._armSweep(next);
  }, Math.max(ms, 1));
};

Pool.prototype._destroy = function (c) {
  native.close(c._id);
  c._id = 0;
  c._ended = true;
  this._total--;
  this.emit('remove', c);
  this._checkEnded();
};

// Opens connections for waiters while there is room.
Pool.prototype._dispense = function () {
  while (this._head < this._waiting.length && this._total < this.options.max) {
    this._openFor(this._nextWaiter());
  }
};

function releaseClient(c) { c.release(); }

// pool.query: the Promise is made first; with an idle connection at hand
// the query goes out now, else it waits in the queue as a query (not as a
// connection request) and goes out on the connection given back.
Pool.prototype._openFor = function (w) {
  this._open().then(function (c) { serve(c, w); }, function (e) { reject(w, e); });
};

Pool.prototype.query = function (text, values, cb) {
  if (typeof values === 'function') { cb = values; values = undefined; }
  var p = newPromise(), config, c;
  try {
    config = queryConfig(text, values);
  } catch (e) {
    settle(p, true, e);
    return withCallback(p, cb);
  }
  c = this._ending ? undefined : this._takeIdle();
  if (c) c._send(config, releaseClient, p);
  else this._acquire(config, p);
  return withCallback(p, cb);
};

// Hands client C to waiter W: its query, or its connect().
function serve(c, w) {
  c._released = false;
  if (w.promise) c._send(w.config, releaseClient, w.promise);
  else w.resolve(c);
}

// Fails waiter W with E.
function reject(w, e) {
  if (w.promise) settle(w.promise, true, e);
  else w.reject(e);
}

Pool.prototype._checkEnded = function () {
  if (!this._ending || this._total > 0) return;
  var ended = this._ended;
  this._ended = [];
  for (var i = 0; i < ended.length; i++) ended[i]();
};

// Closes the idle connections now and the others as they come back; the
// Promise settles once none is left.
Pool.prototype.end = function (cb) {
  var self = this;
  if (this._ending) return withCallback(Promise.reject(new Error('Called end on pool more than once')), cb);
  this._ending = true;
  if (this._sweep) clearTimeout(this._sweep);
  this._sweep = null;
  if (this._waitTimer) clearTimeout(this._waitTimer);
  this._waitTimer = null;
  var idle = this._idle, waiting = this._waiting.slice(this._head);
  this._idle = [];
  this._waiting = [];
  this._head = 0;
  for (var i = 0; i < waiting.length; i++)
    reject(waiting[i], new Error('Cannot use a pool after calling end on the pool'));
  var p = new Promise(function (resolve) { self._ended.push(resolve); });
  for (var j = 0; j < idle.length; j++) this._destroy(idle[j]);
  this._checkEnded();
  return withCallback(p, cb);
};

function escapeIdentifier(s) { return Client.prototype.escapeIdentifier(s); }
function escapeLiteral(s) { return Client.prototype.escapeLiteral(s); }

module.exports = {
  Pool: Pool,
  Client: Client,
  types: types,
  defaults: { max: 10, idleTimeoutMillis: 10000, connectionTimeoutMillis: 10000 },
  escapeIdentifier: escapeIdentifier,
  escapeLiteral: escapeLiteral
};
