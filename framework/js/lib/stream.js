// require('stream'): a compact Readable, Writable, Duplex, Transform and
// PassThrough on EventEmitter, with pipe(), pipeline(), finished() and
// async iteration; enough for what handlers and small packages do with
// streams, not Node's full state machine (lib/README.md says what differs).
// Every handler's req is such a Readable: js_request.c hands its prototype
// to the function under ADOPT on the first stream call.
'use strict';

var EventEmitter = require('events');

// Node emits stream events on the next tick; the microtask queue is the
// nearest thing eider drains after a handler returns. Calls wait in one
// queue, run by one job, so that deferring makes no closure (in Duktape
// every closure is garbage for mark-and-sweep).
var pending = [], scheduled = false;

function runPending() {
  scheduled = false;
  var list = pending;
  pending = [];
  for (var i = 0; i < list.length; i += 3) list[i](list[i + 1], list[i + 2]);
}

function defer(fn, a, b) {
  pending.push(fn, a, b);
  if (scheduled) return;
  scheduled = true;
  if (typeof process === 'object' && process && typeof process.nextTick === 'function') {
    process.nextTick(runPending);
  } else {
    queueMicrotask(runPending);
  }
}

// emit() when someone listens: an emit costs microseconds in Duktape, and
// most streams have no 'resume' or 'close' listener.
function emitIfHeard(stream, name) {
  var ev = stream._events;
  if (ev !== undefined && ev[name] !== undefined) stream.emit(name);
}

function inherits(ctor, base) {
  ctor.prototype = Object.create(base.prototype, {
    constructor: { value: ctor, writable: true, configurable: true }
  });
  Object.setPrototypeOf(ctor, base);
}

function toBuffer(chunk, encoding) {
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding);
  if (chunk instanceof Uint8Array && !Buffer.isBuffer(chunk)) {
    return Buffer.from(chunk.buffer).slice(chunk.byteOffset, chunk.byteOffset + chunk.length);
  }
  return chunk;
}

function chunkLength(state, chunk) {
  return state.objectMode ? 1 : chunk.length;
}

// The legacy Stream, parent of them all, as in Node.
function Stream(options) {
  if (!(this instanceof Stream)) return new Stream(options);
  EventEmitter.call(this);
}
inherits(Stream, EventEmitter);

// ---- Readable ---------------------------------------------------------------

function ReadableState(options, stream) {
  options = options || {};
  this.objectMode = !!(options.objectMode || options.readableObjectMode);
  this.highWaterMark = options.highWaterMark !== undefined ? options.highWaterMark
    : (this.objectMode ? 16 : 16384);
  this.buffer = [];
  this.length = 0;
  this.flowing = null;       // null: nobody asked yet; true; false: paused
  this.ended = false;        // push(null) seen
  this.endEmitted = false;
  this.reading = false;      // _read() called, waiting for push()
  this.flowScheduled = false;
  this.destroyed = false;
  this.decoder = null;
  this.encoding = null;
  this.readableListening = false;
  if (options.encoding) stream.setEncoding(options.encoding);
}

// The state of a Readable, made on first use for objects that were never
// constructed as one (every req).
function rstate(stream) {
  var st = stream._readableState;
  if (!st) {
    st = stream._readableState = new ReadableState({}, stream);
    if (typeof stream._readableSetup === 'function') stream._readableSetup(st);
  }
  return st;
}

function Readable(options) {
  if (!(this instanceof Readable)) return new Readable(options);
  EventEmitter.call(this);
  this._readableState = new ReadableState(options, this);
  if (options) {
    if (typeof options.read === 'function') this._read = options.read;
    if (typeof options.destroy === 'function') this._destroy = options.destroy;
  }
}
inherits(Readable, Stream);

Readable.prototype._read = function () {
  throw new Error('The _read() method is not implemented');
};

Readable.prototype.push = function (chunk, encoding) {
  var st = rstate(this);
  if (chunk === null) {
    st.ended = true;
    st.reading = false;
    scheduleFlow(this);
    return false;
  }
  if (st.ended || st.destroyed) return false;
  if (!st.objectMode) {
    chunk = toBuffer(chunk, encoding);
    if (st.decoder) chunk = st.decoder.write(chunk);
    // Nothing to add: an empty chunk, or the start of a split character.
    if (chunk.length === 0) { st.reading = false; return st.length < st.highWaterMark; }
  }
  st.buffer.push(chunk);
  st.length += chunkLength(st, chunk);
  st.reading = false;
  scheduleFlow(this);
  return st.length < st.highWaterMark;
};

Readable.prototype.unshift = function (chunk) {
  var st = rstate(this);
  if (!st.objectMode) chunk = toBuffer(chunk);
  st.buffer.unshift(chunk);
  st.length += chunkLength(st, chunk);
};

// What read(n) gives: in flowing mode or object mode the first chunk, else
// everything buffered joined (or its first n bytes).
function take(st, n) {
  if (st.buffer.length === 0) return null;
  if (st.objectMode || (n === undefined && st.flowing) || (st.buffer.length === 1 && n === undefined)) {
    st.length -= chunkLength(st, st.buffer[0]);
    return st.buffer.shift();
  }
  var all = st.decoder ? st.buffer.join('') : Buffer.concat(st.buffer);
  if (n !== undefined && n < all.length) {
    st.buffer = [all.slice(n)];
    st.length = all.length - n;
    return all.slice(0, n);
  }
  st.buffer = [];
  st.length = 0;
  return all;
}

Readable.prototype.read = function (n) {
  var st = rstate(this);
  if (n !== undefined && !st.objectMode && !st.ended && st.length < n) {
    pull(this, st);
    return null;
  }
  var chunk = take(st, n);
  if (chunk === null) {
    if (st.ended) {
      maybeEnd(this, st);
      return null;
    }
    // A _read() that pushes at once (req's does) is read now.
    pull(this, st);
    if ((chunk = take(st, n)) === null) {
      if (st.ended) maybeEnd(this, st);
      return null;
    }
  }
  this.emit('data', chunk);
  if (st.ended && st.length === 0) maybeEnd(this, st);
  else if (st.length < st.highWaterMark) pull(this, st);
  return chunk;
};

function pull(stream, st) {
  if (st.reading || st.ended || st.destroyed) return;
  st.reading = true;
  stream._read(st.highWaterMark);
}

function maybeEnd(stream, st) {
  if (st.endEmitted || st.length > 0 || !st.ended) return;
  st.endEmitted = true;
  defer(emitEnd, stream, st);
}

function emitEnd(stream, st) {
  if (st.decoder) {
    var rest = st.decoder.end();
    if (rest) stream.emit('data', rest);
  }
  stream.emit('end');
  st.endDone = true;
  autoClose(stream);
}

// 'close' once every side the stream has is done ('end' read, 'finish'
// written), as Node's autoDestroy does.
function autoClose(stream) {
  var rs = stream._readableState, ws = stream._writableState;
  if ((rs && !rs.endDone) || (ws && !ws.finished)) return;
  if ((rs && rs.closed) || (ws && ws.closed)) return;
  markClosed(stream);
  emitIfHeard(stream, 'close');
}

function markClosed(stream) {
  var rs = stream._readableState, ws = stream._writableState;
  if (rs) { rs.closed = true; rs.destroyed = true; }
  if (ws) { ws.closed = true; ws.destroyed = true; }
}

function scheduleFlow(stream) {
  var st = rstate(stream);
  if (st.flowScheduled || st.inFlow) return;   // the running flow reads it
  st.flowScheduled = true;
  defer(flow, stream, st);
}

function flow(stream, st) {
  st.flowScheduled = false;
  if (st.destroyed) return;
  if (st.flowing) {
    st.inFlow = true;
    try {
      while (st.flowing && stream.read() !== null) { /* read() emits 'data' */ }
    } finally {
      st.inFlow = false;
    }
  } else if (st.readableListening) {
    stream.emit('readable');
    if (st.ended && st.length === 0) maybeEnd(stream, st);
  }
}

Readable.prototype.on = function (ev, fn) {
  var st = rstate(this);
  var r = EventEmitter.prototype.on.call(this, ev, fn);
  if (ev === 'data') {
    if (st.flowing !== false) this.resume();
  } else if (ev === 'readable') {
    st.readableListening = true;
    st.flowing = false;
    pull(this, st);
    scheduleFlow(this);
  }
  return r;
};
Readable.prototype.addListener = Readable.prototype.on;

Readable.prototype.resume = function () {
  var st = rstate(this);
  st.flowing = true;
  st.readableListening = false;
  if (!st.ended) pull(this, st);
  scheduleFlow(this);
  emitIfHeard(this, 'resume');
  return this;
};

Readable.prototype.pause = function () {
  var st = rstate(this);
  if (st.flowing !== false) {
    st.flowing = false;
    emitIfHeard(this, 'pause');
  }
  return this;
};

Readable.prototype.isPaused = function () {
  return rstate(this).flowing === false;
};

Readable.prototype.setEncoding = function (enc) {
  var StringDecoder = require('string_decoder').StringDecoder;
  var st = rstate(this);
  st.decoder = new StringDecoder(enc);
  st.encoding = st.decoder.encoding;
  // What is buffered already becomes text too.
  var joined = '';
  for (var i = 0; i < st.buffer.length; i++) {
    joined += typeof st.buffer[i] === 'string' ? st.buffer[i] : st.decoder.write(st.buffer[i]);
  }
  st.buffer = joined ? [joined] : [];
  st.length = joined.length;
  return this;
};

Readable.prototype.pipe = function (dest, options) {
  var src = this;
  var st = rstate(this);
  var end = !options || options.end !== false;
  var canListen = typeof dest.on === 'function';
  function ondata(chunk) {
    if (dest.write(chunk) === false && canListen) src.pause();
  }
  function ondrain() { src.resume(); }
  function onend() { if (end) dest.end(); }
  st.pipes = (st.pipes || []).concat([{ dest: dest, ondata: ondata, ondrain: ondrain, onend: onend }]);
  if (canListen) dest.on('drain', ondrain);
  src.on('data', ondata);
  src.once('end', onend);
  if (typeof dest.emit === 'function') dest.emit('pipe', src);
  if (st.flowing !== true) src.resume();
  return dest;
};

Readable.prototype.unpipe = function (dest) {
  var st = rstate(this), keep = [];
  var pipes = st.pipes || [];
  for (var i = 0; i < pipes.length; i++) {
    var p = pipes[i];
    if (dest && p.dest !== dest) { keep.push(p); continue; }
    this.removeListener('data', p.ondata);
    this.removeListener('end', p.onend);
    if (typeof p.dest.removeListener === 'function') p.dest.removeListener('drain', p.ondrain);
    if (typeof p.dest.emit === 'function') p.dest.emit('unpipe', this);
  }
  st.pipes = keep;
  if (keep.length === 0) this.pause();
  return this;
};

function destroyWith(stream, st, err, cb) {
  if (st.destroyed) { if (cb) cb(err); return stream; }
  markClosed(stream);
  st.destroyed = true;
  var done = function (e) {
    defer(function () {
      if (cb) cb(e);
      else if (e) stream.emit('error', e);
      stream.emit('close');
    });
  };
  if (typeof stream._destroy === 'function') stream._destroy(err || null, done);
  else done(err);
  return stream;
}

Readable.prototype.destroy = function (err, cb) {
  return destroyWith(this, rstate(this), err, cb);
};

Object.defineProperties(Readable.prototype, {
  readable: {
    get: function () { var st = rstate(this); return !st.destroyed && !st.endEmitted; },
    configurable: true
  },
  readableEnded: { get: function () { return rstate(this).endEmitted; }, configurable: true },
  readableFlowing: { get: function () { return rstate(this).flowing; }, configurable: true },
  readableLength: { get: function () { return rstate(this).length; }, configurable: true },
  readableEncoding: { get: function () { return rstate(this).encoding; }, configurable: true },
  readableObjectMode: { get: function () { return rstate(this).objectMode; }, configurable: true },
  readableHighWaterMark: { get: function () { return rstate(this).highWaterMark; }, configurable: true },
  destroyed: {
    get: function () { return rstate(this).destroyed; },
    set: function (v) { rstate(this).destroyed = !!v; },
    configurable: true
  }
});

// An async iterator over the chunks; for await (const chunk of req) in
// transpiled code, which asks for Symbol.asyncIterator.
function iterate(stream) {
  var queue = [], waiting = null, done = false, failed = null;
  function settle() {
    if (!waiting) return;
    var w = waiting;
    if (queue.length) { waiting = null; w.resolve({ value: queue.shift(), done: false }); }
    else if (failed) { waiting = null; w.reject(failed); }
    else if (done) { waiting = null; w.resolve({ value: undefined, done: true }); }
  }
  stream.on('data', function (c) { queue.push(c); settle(); });
  stream.on('end', function () { done = true; settle(); });
  stream.on('error', function (e) { failed = e; settle(); });
  stream.on('close', function () { done = true; settle(); });
  var it = {
    next: function () {
      return new Promise(function (resolve, reject) {
        waiting = { resolve: resolve, reject: reject };
        settle();
      });
    },
    'return': function () {
      done = true;
      stream.destroy();
      return Promise.resolve({ value: undefined, done: true });
    }
  };
  if (typeof Symbol.asyncIterator === 'symbol') it[Symbol.asyncIterator] = function () { return this; };
  return it;
}
if (typeof Symbol.asyncIterator === 'symbol') {
  Readable.prototype[Symbol.asyncIterator] = function () { return iterate(this); };
}
Readable.prototype.iterator = function () { return iterate(this); };

// Readable.from(iterable): arrays, strings, Map/Set and anything with
// Symbol.iterator, in object mode as in Node; a string or Buffer is one chunk.
Readable.from = function (iterable, options) {
  var items;
  if (typeof iterable === 'string' || Buffer.isBuffer(iterable)) items = [iterable];
  else items = Array.from(iterable);
  var i = 0;
  return new Readable(Object.assign({ objectMode: true }, options, {
    read: function () {
      this.push(i < items.length ? items[i++] : null);
    }
  }));
};

// ---- Writable ---------------------------------------------------------------

function WritableState(options) {
  options = options || {};
  this.objectMode = !!(options.objectMode || options.writableObjectMode);
  this.highWaterMark = options.highWaterMark !== undefined ? options.highWaterMark
    : (this.objectMode ? 16 : 16384);
  this.decodeStrings = options.decodeStrings !== false;
  this.queue = [];
  this.length = 0;
  this.writing = false;
  this.needDrain = false;
  this.ending = false;
  this.finished = false;
  this.destroyed = false;
  this.errored = null;
}

function wstate(stream) {
  return stream._writableState || (stream._writableState = new WritableState({}));
}

function Writable(options) {
  if (!(this instanceof Writable)) return new Writable(options);
  EventEmitter.call(this);
  initWritable(this, options);
}
inherits(Writable, EventEmitter);

function initWritable(stream, options) {
  stream._writableState = new WritableState(options);
  if (options) {
    if (typeof options.write === 'function') stream._write = options.write;
    if (typeof options.writev === 'function') stream._writev = options.writev;
    if (typeof options.final === 'function') stream._final = options.final;
    if (typeof options.destroy === 'function') stream._destroy = options.destroy;
  }
}

Writable.prototype._write = function (chunk, encoding, cb) {
  if (this._writev) this._writev([{ chunk: chunk, encoding: encoding }], cb);
  else throw new Error('The _write() method is not implemented');
};

function errorWrite(stream, err, cb) {
  defer(function () {
    if (cb) cb(err);
    stream.emit('error', err);
  });
  return false;
}

Writable.prototype.write = function (chunk, encoding, cb) {
  var st = wstate(this);
  if (typeof encoding === 'function') { cb = encoding; encoding = null; }
  if (st.ending) {
    var e = new Error('write after end');
    e.code = 'ERR_STREAM_WRITE_AFTER_END';
    return errorWrite(this, e, cb);
  }
  if (chunk === null) {
    var n = new TypeError('May not write null values to stream');
    n.code = 'ERR_STREAM_NULL_VALUES';
    throw n;
  }
  if (!st.objectMode) {
    if (typeof chunk === 'string' && st.decodeStrings) { chunk = Buffer.from(chunk, encoding || 'utf8'); encoding = 'buffer'; }
    else if (typeof chunk !== 'string') { chunk = toBuffer(chunk); encoding = 'buffer'; }
  }
  st.queue.push({ chunk: chunk, encoding: encoding || 'utf8', cb: cb });
  st.length += st.objectMode ? 1 : chunk.length;
  var ok = st.length < st.highWaterMark;
  if (!ok) st.needDrain = true;
  drive(this, st);
  return ok;
};

// Hands queued chunks to _write() one at a time.
function drive(stream, st) {
  if (st.writing || st.destroyed) return;
  if (st.queue.length === 0) {
    // No 'drain' once end() was called, as in Node.
    if (st.needDrain && !st.ending) { st.needDrain = false; defer(emitEvent, stream, 'drain'); }
    if (st.ending && !st.finished && !st.finishing) finish(stream, st);
    return;
  }
  var w = st.queue.shift();
  st.writing = true;
  var sync = true;
  stream._write(w.chunk, w.encoding, function (err) {
    st.writing = false;
    st.length -= st.objectMode ? 1 : w.chunk.length;
    if (err) {
      st.errored = err;
      defer(function () { if (w.cb) w.cb(err); });
      destroyWith(stream, st, err);
      return;
    }
    if (w.cb) defer(w.cb, null);
    if (sync) defer(drive, stream, st);
    else drive(stream, st);
  });
  sync = false;
}

function finish(stream, st) {
  st.finishing = true;
  var done = function (err) {
    if (err) { destroyWith(stream, st, err); return; }
    defer(emitFinish, stream, st);
  };
  if (typeof stream._final === 'function') stream._final(done);
  else done();
}

function emitFinish(stream, st) {
  st.finished = true;
  // end()'s callbacks run before the 'finish' listeners, as in Node.
  var cbs = st.onFinished || [];
  st.onFinished = [];
  for (var i = 0; i < cbs.length; i++) cbs[i]();
  stream.emit('finish');
  autoClose(stream);
}

function emitEvent(stream, name) {
  stream.emit(name);
}

Writable.prototype.end = function (chunk, encoding, cb) {
  var st = wstate(this);
  if (typeof chunk === 'function') { cb = chunk; chunk = null; encoding = null; }
  else if (typeof encoding === 'function') { cb = encoding; encoding = null; }
  if (chunk !== null && chunk !== undefined) this.write(chunk, encoding);
  if (cb) {
    if (st.finished) defer(cb);
    else (st.onFinished || (st.onFinished = [])).push(cb);
  }
  if (!st.ending) {
    st.ending = true;
    drive(this, st);
  }
  return this;
};

Writable.prototype.cork = function () {};
Writable.prototype.uncork = function () {};
Writable.prototype.setDefaultEncoding = function () { return this; };

Writable.prototype.destroy = function (err, cb) {
  var st = wstate(this);
  return destroyWith(this, st, err, cb);
};

Object.defineProperties(Writable.prototype, {
  writable: {
    get: function () { var st = wstate(this); return !st.destroyed && !st.ending; },
    configurable: true
  },
  writableEnded: { get: function () { return wstate(this).ending; }, configurable: true },
  writableFinished: { get: function () { return wstate(this).finished; }, configurable: true },
  writableLength: { get: function () { return wstate(this).length; }, configurable: true },
  writableObjectMode: { get: function () { return wstate(this).objectMode; }, configurable: true },
  writableHighWaterMark: { get: function () { return wstate(this).highWaterMark; }, configurable: true },
  writableNeedDrain: { get: function () { return wstate(this).needDrain; }, configurable: true },
  destroyed: { get: function () { return wstate(this).destroyed; }, configurable: true }
});

// ---- Duplex, Transform, PassThrough ----------------------------------------

function Duplex(options) {
  if (!(this instanceof Duplex)) return new Duplex(options);
  Readable.call(this, options);
  initWritable(this, options);
  if (options && options.allowHalfOpen === false) {
    var self = this;
    this.once('end', function () { self.end(); });
  }
}
inherits(Duplex, Readable);
Object.keys(Writable.prototype).forEach(function (k) {
  if (!Duplex.prototype.hasOwnProperty(k)) Duplex.prototype[k] = Writable.prototype[k];
});
['writable', 'writableEnded', 'writableFinished', 'writableLength', 'writableObjectMode',
  'writableHighWaterMark', 'writableNeedDrain'].forEach(function (k) {
  Object.defineProperty(Duplex.prototype, k, Object.getOwnPropertyDescriptor(Writable.prototype, k));
});
Duplex.prototype.destroy = Readable.prototype.destroy;
Duplex.prototype._write = Writable.prototype._write;

function Transform(options) {
  if (!(this instanceof Transform)) return new Transform(options);
  Duplex.call(this, options);
  if (options) {
    if (typeof options.transform === 'function') this._transform = options.transform;
    if (typeof options.flush === 'function') this._flush = options.flush;
  }
}
inherits(Transform, Duplex);

Transform.prototype._read = function () {};

Transform.prototype._write = function (chunk, encoding, cb) {
  var self = this;
  this._transform(chunk, encoding, function (err, data) {
    if (err) return cb(err);
    if (data !== undefined && data !== null) self.push(data);
    cb();
  });
};

Transform.prototype._final = function (cb) {
  var self = this;
  var end = function (err, data) {
    if (err) return cb(err);
    if (data !== undefined && data !== null) self.push(data);
    self.push(null);
    cb();
  };
  if (typeof this._flush === 'function') this._flush(end);
  else end();
};

Transform.prototype._transform = function () {
  throw new Error('The _transform() method is not implemented');
};

function PassThrough(options) {
  if (!(this instanceof PassThrough)) return new PassThrough(options);
  Transform.call(this, options);
}
inherits(PassThrough, Transform);
PassThrough.prototype._transform = function (chunk, encoding, cb) { cb(null, chunk); };

// ---- finished(), pipeline() -------------------------------------------------

function finished(stream, options, cb) {
  if (typeof options === 'function') { cb = options; options = {}; }
  var called = false;
  function once(err) {
    if (called) return;
    called = true;
    cleanup();
    cb.call(stream, err);
  }
  var isReadable = !!stream._readableState || typeof stream.read === 'function';
  var isWritable = !!stream._writableState;
  var ended = !isReadable, finishedW = !isWritable;
  function onend() { ended = true; if (finishedW) once(); }
  function onfinish() { finishedW = true; if (ended) once(); }
  function onerror(err) { once(err); }
  function onclose() {
    if (!ended || !finishedW) {
      var e = new Error('Premature close');
      e.code = 'ERR_STREAM_PREMATURE_CLOSE';
      once(e);
    }
  }
  stream.on('end', onend);
  stream.on('finish', onfinish);
  stream.on('error', onerror);
  stream.on('close', onclose);
  function cleanup() {
    stream.removeListener('end', onend);
    stream.removeListener('finish', onfinish);
    stream.removeListener('error', onerror);
    stream.removeListener('close', onclose);
  }
  return cleanup;
}

function pipeline() {
  var streams = Array.prototype.slice.call(arguments);
  var cb = typeof streams[streams.length - 1] === 'function' ? streams.pop() : null;
  if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
  if (streams.length < 2) throw new TypeError('The "streams" argument must be specified');
  var error = null, pending = streams.length - 1, doneCalled = false;
  function done(err) {
    if (err && !error) {
      error = err;
      streams.forEach(function (s) { if (typeof s.destroy === 'function') s.destroy(); });
    }
    if (doneCalled) return;
    if (err || --pending === 0) {
      doneCalled = true;
      if (cb) cb(error || undefined);
    }
  }
  for (var i = 0; i < streams.length - 1; i++) streams[i].pipe(streams[i + 1]);
  // A destination that is no emitter (eider's res) is done when its source ends.
  for (var j = 1; j < streams.length; j++) {
    finished(typeof streams[j].on === 'function' ? streams[j] : streams[j - 1], done);
  }
  return streams[streams.length - 1];
}

// ---- req --------------------------------------------------------------------

// js_request.c calls this with req's shared prototype on the first stream
// call of a worker: from then on every req is a Readable whose one chunk
// is its body, read when the stream state is made (while the handler runs:
// after the answer req.body is gone).
var ADOPT = Symbol.for('eider.stream.adoptRequest');
Object.defineProperty(Readable, ADOPT, {
  value: function (proto) {
    Object.setPrototypeOf(proto, Readable.prototype);
    Object.defineProperty(proto, '_readableSetup', {
      value: function (st) { st.body = this.body; },
      configurable: true, writable: true
    });
    Object.defineProperty(proto, '_read', {
      value: function () {
        var st = rstate(this), b = st.body;
        st.body = undefined;
        if (b && b.length) this.push(b);
        this.push(null);
      },
      configurable: true, writable: true
    });
  }
});

// ---- exports ----------------------------------------------------------------

Stream.prototype.pipe = function (dest, options) {
  return Readable.prototype.pipe.call(this, dest, options);
};

// A Duplex is a Writable too, as Node answers through Symbol.hasInstance.
if (typeof Symbol.hasInstance === 'symbol') {
  Object.defineProperty(Writable, Symbol.hasInstance, {
    value: function (obj) {
      for (var p = obj; p !== null && typeof p === 'object'; p = Object.getPrototypeOf(p)) {
        if (p === this.prototype) return true;
      }
      return this === Writable && !!obj && obj._writableState instanceof WritableState;
    }
  });
}

module.exports = Stream;
Stream.Stream = Stream;
Stream.Readable = Readable;
Stream.Writable = Writable;
Stream.Duplex = Duplex;
Stream.Transform = Transform;
Stream.PassThrough = PassThrough;
Stream.finished = finished;
Stream.pipeline = pipeline;
Stream.promises = {
  finished: function (stream, options) {
    return new Promise(function (resolve, reject) {
      finished(stream, options || {}, function (err) { if (err) reject(err); else resolve(); });
    });
  },
  pipeline: function () {
    var args = Array.prototype.slice.call(arguments);
    return new Promise(function (resolve, reject) {
      pipeline.apply(null, args.concat([function (err) { if (err) reject(err); else resolve(); }]));
    });
  }
};
