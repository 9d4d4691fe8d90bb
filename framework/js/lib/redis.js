// require('redis'): node-redis v4's client shape on eider's native Redis
// connection (framework/js_redis.c, framework/redis_conn.c: hiredis on the
// worker's loop). createClient({ url }) gives a client per worker; its
// methods are made from the table below (camelCase and UPPER-CASE, as in
// node-redis), each a Promise of the reply. Commands sent in one turn of
// the loop go out in one write. See man eider-handlers, "Redis".
//
// Where eider differs from node-redis, on purpose: a command sent while
// the client is reconnecting (no offline queue) and a first connect()
// that fails reject at once with an Error that answers 503, so a request
// gets a clear answer instead of waiting; the client keeps reconnecting
// with back-off meanwhile. 'error' is emitted only if someone listens
// (else logged once per outage), never thrown. Commands time out after
// redis_timeout (commandTimeout option), which closes the connection.
'use strict';

var EventEmitter = require('events');
var native = require('eider/redis');

function noop() {}

function ClientClosedError() {
    var e = new Error('The client is closed');
    e.name = 'ClientClosedError';
    return e;
}

function WatchError() {
    var e = new Error('One (or more) of the watched keys has been changed');
    e.name = 'WatchError';
    return e;
}

// --- arguments

// Appends V to OUT as Redis arguments: strings and Buffers as they are,
// numbers as text, arrays flattened, a plain object as options
// ({ EX: 10, NX: true, LIMIT: { offset, count }, BY: 'SCORE' }).
function push(out, v) {
    if (v === undefined || v === null) return;
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number') out.push(String(v));
    else if (Array.isArray(v)) for (var i = 0; i < v.length; i++) push(out, v[i]);
    else if (typeof v === 'object' && !Buffer.isBuffer(v)) options(out, v);
    else out.push(typeof v === 'object' ? v : String(v));
}

function options(out, o) {
    for (var k in o) {
        var v = o[k];
        if (v === undefined || v === null || v === false) continue;
        if (k === 'LIMIT') out.push('LIMIT', String(v.offset), String(v.count));
        else if (k === 'BY') out.push('BY' + v);
        else if (v === true) out.push(k);
        else out.push(k, String(v));
    }
}

// Field/value pairs of an object, a Map, or a flat array / array of pairs.
function pairs(out, v) {
    if (Array.isArray(v) || typeof v !== 'object' || Buffer.isBuffer(v)) return push(out, v);
    if (typeof Map === 'function' && v instanceof Map) {
        v.forEach(function (val, key) { push(out, key); push(out, val); });
        return;
    }
    for (var k in v) { out.push(k); push(out, v[k]); }
}

// Builders of the commands that are not "name, then every argument".
function hSetArgs(name, key, a, b) {
    var out = [name, key];
    if (b !== undefined) { push(out, a); push(out, b); } else pairs(out, a);
    return out;
}
function mSetArgs(name, a) {
    var out = [name];
    pairs(out, a);
    return out;
}
function zAddArgs(name, key, members, opts) {
    var out = [name, key];
    options(out, opts || {});
    members = Array.isArray(members) ? members : [members];
    for (var i = 0; i < members.length; i++) out.push(String(members[i].score), members[i].value);
    return out;
}
function evalArgs(name, script, o) {
    o = o || {};
    var out = [name, script, String(o.keys ? o.keys.length : 0)];
    push(out, o.keys);
    push(out, o.arguments);
    return out;
}
function withScores(name, a, b, c, d) {
    var out = [name.slice(0, -10)];
    push(out, a); push(out, b); push(out, c); push(out, d);
    out.push('WITHSCORES');
    return out;
}

// --- replies

function toBoolean(r) { return r === 1; }
function toBooleans(r) { return r.map(toBoolean); }
function toNumber(r) { return r === null ? null : Number(r); }
function toObject(r) {
    var o = Object.create(null);
    for (var i = 0; i + 1 < r.length; i += 2) o[r[i]] = r[i + 1];
    return o;
}
function toScored(r) {
    var out = [];
    for (var i = 0; i + 1 < r.length; i += 2) out.push({ value: r[i], score: Number(r[i + 1]) });
    return out;
}
function toScan(r) { return { cursor: Number(r[0]), keys: r[1] }; }

// --- the command table: names are node-redis's camelCase; the Redis
// command is the name in upper case unless a row says otherwise.

var PLAIN = 'append bitCount copy dbSize decr decrBy del echo exists expireTime flushAll flushDb ' +
    'get getBit getDel getEx getRange getSet hDel hGet hIncrBy hIncrByFloat hKeys hLen hMGet ' +
    'hRandField hStrLen hVals incr incrBy incrByFloat info keys lIndex lInsert lLen lMove lPop ' +
    'lPos lPush lPushX lRange lRem lSet lTrim mGet object pExpireTime pfAdd pfCount pfMerge ping ' +
    'pSetEx pTTL publish randomKey rename rPop rPopLPush rPush rPushX sAdd sCard sDiff ' +
    'sDiffStore set setBit setEx setRange sInter sInterCard sInterStore sMembers sPop ' +
    'sRandMember sRem strLen sUnion sUnionStore time touch ttl type unlink unwatch watch xAdd ' +
    'xLen xDel xTrim zCard zCount zDiff zInter zInterStore zLexCount zPopMax zPopMin ' +
    'zRandMember zRange zRangeByLex zRangeByScore zRangeStore zRank zRem zRemRangeByLex ' +
    'zRemRangeByRank zRemRangeByScore zRevRank zUnion zUnionStore';
var BOOLEAN = 'expire expireAt hExists hSetNX move mSetNX pExpire pExpireAt persist renameNX ' +
    'setNX sIsMember sMove';

var COMMANDS = {
    hGetAll: { reply: toObject },
    configGet: { cmd: ['CONFIG', 'GET'], reply: toObject },
    configSet: { cmd: ['CONFIG', 'SET'] },
    clientGetName: { cmd: ['CLIENT', 'GETNAME'] },
    clientSetName: { cmd: ['CLIENT', 'SETNAME'] },
    clientId: { cmd: ['CLIENT', 'ID'] },
    scriptLoad: { cmd: ['SCRIPT', 'LOAD'] },
    scriptExists: { cmd: ['SCRIPT', 'EXISTS'], reply: toBooleans },
    scriptFlush: { cmd: ['SCRIPT', 'FLUSH'] },
    smIsMember: { reply: toBooleans },
    zScore: { reply: toNumber },
    zIncrBy: { reply: toNumber },
    zMScore: { reply: function (r) { return r.map(toNumber); } },
    zRangeWithScores: { build: withScores, reply: toScored },
    zRangeByScoreWithScores: { build: withScores, reply: toScored },
    scan: { reply: toScan },
    hSet: { build: hSetArgs },
    hmSet: { build: hSetArgs },
    mSet: { build: mSetArgs },
    zAdd: { build: zAddArgs },
    eval: { build: evalArgs },
    evalSha: { build: evalArgs },
    evalRo: { build: evalArgs },
    evalShaRo: { build: evalArgs }
};
PLAIN.split(' ').forEach(function (n) { COMMANDS[n] = {}; });
BOOLEAN.split(' ').forEach(function (n) { COMMANDS[n] = { reply: toBoolean }; });

// Defines every command of the table on PROTO, whose _run(args, reply)
// sends or queues it. Up to five arguments (arrays count as one).
function defineCommands(proto) {
    Object.keys(COMMANDS).forEach(function (name) {
        var row = COMMANDS[name], reply = row.reply, build = row.build;
        var head = row.cmd || [name.toUpperCase()];
        var fn = build ? function (a, b, c, d, e) {
            return this._run(build(head[0], a, b, c, d, e), reply);
        } : head.length === 1 ? function (a, b, c, d, e) {
            var out = [head[0]];
            if (a !== undefined) push(out, a);
            if (b !== undefined) push(out, b);
            if (c !== undefined) push(out, c);
            if (d !== undefined) push(out, d);
            if (e !== undefined) push(out, e);
            return this._run(out, reply);
        } : function (a, b, c, d) {
            var out = head.slice();
            push(out, [a, b, c, d]);
            return this._run(out, reply);
        };
        proto[name] = fn;
        if (!(name.toUpperCase() in proto)) proto[name.toUpperCase()] = fn;
    });
}

// --- connection settings

// { host, port, path, username, password, database } of options.url
// (redis://[[user]:password@]host[:port][/db] or unix:///path) and
// options.socket / username / password / database, which win.
function settings(o) {
    var s = { host: '127.0.0.1', port: 6379, path: null, username: null, password: null, database: 0 };
    var url = o.url === undefined && !o.socket ? native.configuredUrl : o.url;
    var m;
    if (url) {
        if (/^rediss:/i.test(url))
            throw new Error('TLS to Redis (rediss://) is not available: eider\'s hiredis (0.14.1) has none');
        if ((m = /^unix:\/\/(\/[^?#]*)$/.exec(url))) {
            s.path = m[1];
        } else if ((m = /^redis:\/\/(?:([^:@\/]*)(?::([^@\/]*))?@)?(\[[^\]]+\]|[^:\/?#]*)(?::(\d+))?(?:\/(\d*))?$/.exec(url))) {
            if (m[1]) s.username = decodeURIComponent(m[1]);
            if (m[2] !== undefined && m[2] !== '') s.password = decodeURIComponent(m[2]);
            if (m[3]) s.host = m[3].replace(/^\[|\]$/g, '');
            if (m[4]) s.port = Number(m[4]);
            if (m[5]) s.database = Number(m[5]);
        } else {
            throw new TypeError('Invalid Redis URL ' + JSON.stringify(url) +
                ': expected redis://[[user]:password@]host[:port][/db] or unix:///path');
        }
    }
    var so = o.socket || {};
    if (so.host !== undefined) s.host = so.host;
    if (so.port !== undefined) s.port = Number(so.port);
    if (so.path !== undefined) s.path = so.path;
    if (o.username !== undefined) s.username = o.username;
    if (o.password !== undefined) s.password = o.password;
    if (o.database !== undefined) s.database = Number(o.database);
    if (s.host === 'localhost') s.host = '127.0.0.1';
    s.connectTimeout = so.connectTimeout !== undefined ? so.connectTimeout : 5000;
    s.commandTimeout = o.commandTimeout !== undefined ? o.commandTimeout : native.timeoutMs;
    s.reconnectStrategy = so.reconnectStrategy;
    return s;
}

// node-redis's default back-off: 50 ms more per retry, at most 500.
function backoff(retries) {
    return Math.min(retries * 50, 500);
}

// --- the client

function RedisClient(options) {
    EventEmitter.call(this);
    this.options = options || {};
    this._s = settings(this.options);
    this._id = 0;                  // the open connection's number, 0: none
    this._retries = 0;
    this._retry = null;            // the reconnect timer
    this._ready = null;            // connect()'s { resolve, reject } until ready
    this._lastError = null;
    this._channels = Object.create(null);   // channel -> [listener]
    this._patterns = Object.create(null);
    this._acks = [];               // [kind, remaining, resolve] of (un)subscribe calls
    this._pubsub = false;          // subscribed to something: no other commands
    this.isOpen = false;
    this.isReady = false;
}
RedisClient.prototype = Object.create(EventEmitter.prototype);
RedisClient.prototype.constructor = RedisClient;

RedisClient.prototype._where = function () {
    var s = this._s;
    return s.path || (s.host.indexOf(':') >= 0 ? '[' + s.host + ']' : s.host) + ':' + s.port;
};

RedisClient.prototype._subscribed = function () {
    return Object.keys(this._channels).length + Object.keys(this._patterns).length > 0;
};

// Why a command cannot be sent now, as the Error it rejects with.
RedisClient.prototype._unavailable = function () {
    if (!this.isOpen) return ClientClosedError();
    return native.error(this._lastError ? this._lastError + ' (reconnecting)'
        : 'Redis ' + this._where() + ': not connected (reconnecting)');
};

RedisClient.prototype._run = function (args, reply) {
    var p = this._id && !this._pubsub ? native.send(this._id, args) : undefined;
    if (!p) {
        if (this._pubsub) return Promise.reject(new Error('Cannot send commands in PubSub mode'));
        return Promise.reject(this._unavailable());
    }
    return reply ? p.then(reply) : p;
};

RedisClient.prototype.sendCommand = function (args) {
    var out = [];
    push(out, args);
    return this._run(out);
};

RedisClient.prototype.connect = function () {
    var self = this;
    if (this.isOpen) return Promise.reject(new Error('Socket already opened'));
    if (native.checking) return new Promise(noop);   // eider -t: nothing connects
    this.isOpen = true;
    this._closing = false;
    return new Promise(function (resolve, reject) {
        self._ready = { resolve: resolve, reject: reject };
        self._open();
    });
};

// Opens a connection and pipelines what a new one needs (AUTH, SELECT,
// the subscriptions) ahead of any command.
RedisClient.prototype._open = function () {
    var self = this, s = this._s, hello = [], names;
    this._retry = null;
    try {
        this._id = native.open(this, s.host, s.port, s.path, s.connectTimeout, s.commandTimeout);
    } catch (e) {
        return this._onClose(e.message);
    }
    // Sent ahead of everything, subscriptions included.
    function first(args) {
        hello.push(native.send(self._id, args) || Promise.reject(self._unavailable()));
    }
    if (s.password !== null)
        first(s.username !== null ? ['AUTH', s.username, s.password] : ['AUTH', s.password]);
    if (s.database)
        first(['SELECT', String(s.database)]);
    if (this.options.name)
        first(['CLIENT', 'SETNAME', this.options.name]);
    this._hello = Promise.all(hello);
    // A refused AUTH or SELECT fails the connection like a refused connect:
    // 503s meanwhile, and the client tries again with back-off.
    this._hello.catch(function (e) {
        self._helloError = 'Redis ' + self._where() + ': ' + e.message;
        if (self._id) native.close(self._id, false);
    });
    this._acks = [];
    [['SUBSCRIBE', this._channels], ['PSUBSCRIBE', this._patterns]].forEach(function (k) {
        names = Object.keys(k[1]);
        if (names.length && native.subscribe(self._id, [k[0]].concat(names)))
            self._acks.push([k[0].toLowerCase(), names.length, noop]);
    });
};

// Tells listeners of 'error', or logs once per outage when none listens
// (node-redis would throw, which would take the worker down).
RedisClient.prototype._fail = function (err) {
    if (this._ready) {
        this._ready.reject(err);
        this._ready = null;
    }
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else if (!this._logged) console.error(err.message);
    this._logged = true;
};

RedisClient.prototype._onConnect = function () {
    var self = this, id = this._id;
    this.emit('connect');
    this._hello.then(function () {
        if (self._id !== id) return;
        self.isReady = true;
        self._retries = 0;
        self._lastError = null;
        self._logged = false;
        if (self._ready) {
            self._ready.resolve();
            self._ready = null;
        }
        self.emit('ready');
    }, noop);
};

RedisClient.prototype._onClose = function (why) {
    var self = this, delay;
    this._id = 0;
    this.isReady = false;
    if (why === null && this._helloError && !this._closing) why = this._helloError;
    this._helloError = null;
    if (why === null || this._closing) {
        this.isOpen = false;
        this._acks.forEach(function (a) { a[2](); });
        this._acks = [];
        this.emit('end');
        return;
    }
    this._lastError = why;
    this._fail(native.error(why));
    this._retries++;
    delay = typeof this._s.reconnectStrategy === 'function'
        ? this._s.reconnectStrategy(this._retries, native.error(why))
        : typeof this._s.reconnectStrategy === 'number' ? this._s.reconnectStrategy
        : this._s.reconnectStrategy === false ? false : backoff(this._retries);
    if (typeof delay !== 'number') {
        this.isOpen = false;
        this.emit('end');
        return;
    }
    this._retry = setTimeout(function () {
        if (!self.isOpen || self._closing) return;
        self.emit('reconnecting');
        self._open();
    }, delay);
};

RedisClient.prototype._onMessage = function (m) {
    var kind = m[0], ls, i, a;
    if (kind === 'message' || kind === 'pmessage') {
        ls = kind === 'message' ? this._channels[m[1]] : this._patterns[m[1]];
        var message = m[m.length - 1], channel = m[m.length - 2];
        for (i = 0; ls && i < ls.length; i++) ls[i](message, channel);
        return;
    }
    for (i = 0; i < this._acks.length; i++) {
        a = this._acks[i];
        if (a[0] !== kind) continue;
        if (--a[1] <= 0 || (kind.slice(-11) === 'unsubscribe' && m[2] === 0)) {
            this._acks.splice(i, 1);
            a[2]();
        }
        return;
    }
};

// SUBSCRIBE / PSUBSCRIBE: adds LISTENER(message, channel) to each name;
// resolves once Redis confirmed the new ones.
RedisClient.prototype._subscribe = function (kind, map, names, listener) {
    var self = this, fresh = [];
    if (typeof listener !== 'function') return Promise.reject(new TypeError('subscribe: the listener must be a function'));
    [].concat(names).forEach(function (n) {
        n = String(n);
        if (!map[n]) { map[n] = []; fresh.push(n); }
        map[n].push(listener);
    });
    this._pubsub = this._subscribed();
    if (!fresh.length) return Promise.resolve();
    if (!this.isOpen) return Promise.reject(ClientClosedError());
    if (!this._id) return Promise.resolve();   // sent again on reconnecting
    return new Promise(function (resolve) {
        if (!native.subscribe(self._id, [kind].concat(fresh))) return resolve();
        self._acks.push([kind.toLowerCase(), fresh.length, resolve]);
    });
};

// UNSUBSCRIBE / PUNSUBSCRIBE: removes LISTENER (or all) from NAMES (or
// every name); names left without listeners are unsubscribed.
RedisClient.prototype._unsubscribe = function (kind, map, names, listener) {
    var self = this, gone = [];
    (names === undefined ? Object.keys(map) : [].concat(names)).forEach(function (n) {
        n = String(n);
        if (!map[n]) return;
        map[n] = listener ? map[n].filter(function (l) { return l !== listener; }) : [];
        if (!map[n].length) { delete map[n]; gone.push(n); }
    });
    this._pubsub = this._subscribed();
    if (!gone.length || !this._id) return Promise.resolve();
    return new Promise(function (resolve) {
        if (!native.subscribe(self._id, [kind].concat(gone))) return resolve();
        self._acks.push([kind.toLowerCase(), gone.length, resolve]);
    });
};

RedisClient.prototype.subscribe = RedisClient.prototype.SUBSCRIBE = function (channels, listener) {
    return this._subscribe('SUBSCRIBE', this._channels, channels, listener);
};
RedisClient.prototype.pSubscribe = RedisClient.prototype.PSUBSCRIBE = function (patterns, listener) {
    return this._subscribe('PSUBSCRIBE', this._patterns, patterns, listener);
};
RedisClient.prototype.unsubscribe = RedisClient.prototype.UNSUBSCRIBE = function (channels, listener) {
    return this._unsubscribe('UNSUBSCRIBE', this._channels, channels, listener);
};
RedisClient.prototype.pUnsubscribe = RedisClient.prototype.PUNSUBSCRIBE = function (patterns, listener) {
    return this._unsubscribe('PUNSUBSCRIBE', this._patterns, patterns, listener);
};

// Closes the connection and stops reconnecting. GRACEFUL (quit) waits for
// the replies of the commands sent; disconnect() fails them.
RedisClient.prototype._close = function (graceful) {
    var self = this, id = this._id;
    if (!this.isOpen) return Promise.reject(ClientClosedError());
    this._closing = true;
    if (this._retry) clearTimeout(this._retry);
    this._retry = null;
    if (this._ready) {
        this._ready.reject(ClientClosedError());
        this._ready = null;
    }
    if (!id) {
        this.isOpen = false;
        this.emit('end');
        return Promise.resolve(graceful ? 'OK' : undefined);
    }
    var quit = graceful && !this._subscribed() ? native.send(id, ['QUIT']) : undefined;
    return new Promise(function (resolve) {
        self.once('end', function () { resolve(graceful ? 'OK' : undefined); });
        if (quit) quit.catch(noop);
        native.close(id, !!quit);
    });
};

RedisClient.prototype.quit = RedisClient.prototype.QUIT = function () { return this._close(true); };
RedisClient.prototype.disconnect = function () { return this._close(false); };

RedisClient.prototype.duplicate = function (overrides) {
    return new RedisClient(Object.assign({}, this.options, overrides));
};

RedisClient.prototype.multi = RedisClient.prototype.MULTI = function () {
    return new Multi(this);
};

defineCommands(RedisClient.prototype);

// --- MULTI ... EXEC: the commands are queued here and sent in one turn,
// so nothing else of this worker comes between them on the connection.

function Multi(client) {
    this._client = client;
    this._queue = [];
}

Multi.prototype._run = function (args, reply) {
    this._queue.push({ args: args, reply: reply });
    return this;
};

Multi.prototype.addCommand = function (args) {
    var out = [];
    push(out, args);
    return this._run(out);
};

Multi.prototype.exec = Multi.prototype.EXEC = function () {
    var c = this._client, q = this._queue;
    this._queue = [];
    if (!q.length) return Promise.resolve([]);
    c._run(['MULTI']).catch(noop);
    for (var i = 0; i < q.length; i++) c._run(q[i].args).catch(noop);   // QUEUED
    return c._run(['EXEC']).then(function (replies) {
        if (replies === null) throw WatchError();
        return replies.map(function (r, j) {
            return r instanceof Error || !q[j].reply ? r : q[j].reply(r);
        });
    });
};

// The queued commands without MULTI/EXEC: each reply (an Error in place
// of a failed one's).
Multi.prototype.execAsPipeline = function () {
    var c = this._client, q = this._queue;
    this._queue = [];
    return Promise.all(q.map(function (e) { return c._run(e.args, e.reply); }));
};

defineCommands(Multi.prototype);

function createClient(options) {
    return new RedisClient(options);
}

module.exports = {
    createClient: createClient,
    RedisClient: RedisClient,
    // eider's: the redis_url of eider.conf, which createClient() without a
    // url uses (null when there is none).
    configuredUrl: native.configuredUrl,
    WatchError: WatchError
};
