// require('diagnostics_channel'): Node's named publish/subscribe channels
// and tracing channels, for libraries that report what they do (lru-cache,
// undici, pg) to whoever listens. Channels are per heap (per worker):
// channel(name) gives the same Channel for the same name, as in Node.
// A subscriber that throws does not stop the others; its error is
// reported asynchronously, as Node does with process.nextTick.
'use strict';

var channels = Object.create(null);

function Channel(name) {
  this.name = name;
  this._subscribers = [];
}

Object.defineProperty(Channel.prototype, 'hasSubscribers', {
  get: function () { return this._subscribers.length > 0; }
});

Channel.prototype.subscribe = function (fn) {
  if (typeof fn !== 'function')
    throw new TypeError('The "subscription" argument must be of type function');
  this._subscribers = this._subscribers.concat([fn]);
};

Channel.prototype.unsubscribe = function (fn) {
  var i = this._subscribers.indexOf(fn);
  if (i < 0)
    return false;
  this._subscribers = this._subscribers.slice(0, i).concat(this._subscribers.slice(i + 1));
  return true;
};

// Calls every subscriber with (message, name); the list is copied on
// change, so a subscriber that unsubscribes does not skip the next one.
Channel.prototype.publish = function (message) {
  var subs = this._subscribers, name = this.name;
  for (var i = 0; i < subs.length; i++) {
    try {
      subs[i](message, name);
    } catch (err) {
      setTimeout(function () { throw err; }, 0);
    }
  }
};

// No AsyncLocalStorage in eider: runStores just runs FN.
Channel.prototype.bindStore = function () {};
Channel.prototype.unbindStore = function () { return false; };
Channel.prototype.runStores = function (data, fn, thisArg) {
  return fn.apply(thisArg, Array.prototype.slice.call(arguments, 3));
};

function channel(name) {
  if (typeof name !== 'string' && typeof name !== 'symbol')
    throw new TypeError('The "channel" argument must be of type string or symbol');
  return channels[name] || (channels[name] = new Channel(name));
}

var EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];

// tracingChannel('x') or tracingChannel({ start, end, asyncStart,
// asyncEnd, error }): the five channels tracing:x:start ... of one trace.
function TracingChannel(nameOrChannels) {
  var self = this;
  EVENTS.forEach(function (e) {
    self[e] = typeof nameOrChannels === 'string'
      ? channel('tracing:' + nameOrChannels + ':' + e) : nameOrChannels[e];
  });
}

Object.defineProperty(TracingChannel.prototype, 'hasSubscribers', {
  get: function () {
    var self = this;
    return EVENTS.some(function (e) { return self[e].hasSubscribers; });
  }
});

TracingChannel.prototype.subscribe = function (handlers) {
  var self = this;
  EVENTS.forEach(function (e) { if (handlers[e]) self[e].subscribe(handlers[e]); });
};

TracingChannel.prototype.unsubscribe = function (handlers) {
  var self = this, done = true;
  EVENTS.forEach(function (e) {
    if (handlers[e] && !self[e].unsubscribe(handlers[e]))
      done = false;
  });
  return done;
};

TracingChannel.prototype.traceSync = function (fn, context, thisArg) {
  var args = Array.prototype.slice.call(arguments, 3);
  context = context || {};
  if (!this.hasSubscribers)
    return fn.apply(thisArg, args);
  this.start.publish(context);
  try {
    context.result = fn.apply(thisArg, args);
    return context.result;
  } catch (err) {
    context.error = err;
    this.error.publish(context);
    throw err;
  } finally {
    this.end.publish(context);
  }
};

TracingChannel.prototype.tracePromise = function (fn, context, thisArg) {
  var args = Array.prototype.slice.call(arguments, 3), self = this;
  context = context || {};
  if (!this.hasSubscribers)
    return fn.apply(thisArg, args);
  this.start.publish(context);
  try {
    return Promise.resolve(fn.apply(thisArg, args)).then(function (result) {
      context.result = result;
      self.asyncStart.publish(context);
      self.asyncEnd.publish(context);
      return result;
    }, function (err) {
      context.error = err;
      self.error.publish(context);
      self.asyncStart.publish(context);
      self.asyncEnd.publish(context);
      throw err;
    });
  } catch (err) {
    context.error = err;
    this.error.publish(context);
    throw err;
  } finally {
    this.end.publish(context);
  }
};

// FN's callback is its argument at POSITION (-1: the last).
TracingChannel.prototype.traceCallback = function (fn, position, context, thisArg) {
  var args = Array.prototype.slice.call(arguments, 4), self = this;
  context = context || {};
  if (!this.hasSubscribers)
    return fn.apply(thisArg, args);
  var at = position < 0 ? args.length + position : position, callback = args[at];
  if (typeof callback !== 'function')
    throw new TypeError('The "callback" argument must be of type function');
  args[at] = function (err, result) {
    if (err) {
      context.error = err;
      self.error.publish(context);
    } else {
      context.result = result;
    }
    self.asyncStart.publish(context);
    try {
      return callback.apply(this, arguments);
    } finally {
      self.asyncEnd.publish(context);
    }
  };
  return this.traceSync.apply(this, [fn, context, thisArg].concat(args));
};

exports.channel = channel;
exports.hasSubscribers = function (name) {
  var c = channels[name];
  return c !== undefined && c.hasSubscribers;
};
exports.subscribe = function (name, fn) { channel(name).subscribe(fn); };
exports.unsubscribe = function (name, fn) { return channel(name).unsubscribe(fn); };
exports.tracingChannel = function (nameOrChannels) { return new TracingChannel(nameOrChannels); };
exports.Channel = Channel;
