/*
 * fetch(), Headers and Response: the JavaScript half of js_fetch.c, in ES5
 * plus Symbol (the prelude's). One function expression, called once per
 * heap as fetch(native) after the prelude; it returns {fetch, Headers,
 * Response}, which js_fetch.c puts on the global object. Built into the
 * binary as Duktape bytecode (jsbc table, like the prelude's parts); tested
 * under Node by tests/js/fetch_node.js with a fake native.
 */
(function (native) {
  'use strict';
  // native.request(url, method, [name, value, ...], body, timeoutMs, mode[, handle])
  //   -> Promise of the Response, which the C side makes by calling
  //      native.response (set below) with {status, statusText, url,
  //      redirected, headers: [[lower-case name, value], ...], body:
  //      ArrayBuffer};
  //   native.decode(arrayBuffer) -> string (UTF-8);
  //   native.promise() -> the Promise constructor of the runtime;
  //   native.plainUrl(string) -> true if it has a scheme and only printable
  //      ASCII (cleanUrl would return it unchanged);
  //   native.abort(handle.ref) -> cancels the request that request() gave
  //      handle.ref (its Promise rejects later, from the loop).
  var TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
  var LIST = Symbol('list');   // Headers: [[lower-case name, value], ...]
  var BODY = Symbol('body');   // Response: the body, an ArrayBuffer
  var USED = Symbol('used');   // Response: the body was read
  var RAW = {};                // new Response(RAW, raw): from native.response
  var MODES = { follow: 0, error: 1, manual: 2 };
  var hasOwn = Object.prototype.hasOwnProperty;
  var NO_INIT = {};            // fetch(url): no options

  function headerName(name) {
    name = String(name);
    if (!TOKEN.test(name)) throw new TypeError('Invalid header name: "' + name + '"');
    return name.toLowerCase();
  }

  function headerValue(value) {
    value = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    if (/[\0\r\n]/.test(value)) throw new TypeError('Invalid header value: "' + value + '"');
    return value;
  }

  // new Headers(init): init is a Headers, an array of [name, value] pairs,
  // another iterable of pairs (Map) or an object of name: value.
  function Headers(init) {
    if (!(this instanceof Headers)) throw new TypeError("Headers must be called with 'new'");
    HeaderList.call(this, []);
    if (init == null) return;
    var i;
    if (init instanceof Headers) {
      for (i = 0; i < init[LIST].length; i++) this[LIST].push(init[LIST][i].slice());
    } else if (typeof init !== 'object' && typeof init !== 'function') {
      throw new TypeError('Headers must be an object, an array of [name, value] pairs or a Headers');
    } else if (Array.isArray(init) || typeof init[Symbol.iterator] === 'function') {
      var pairs = Array.isArray(init) ? init : Array.from(init);
      for (i = 0; i < pairs.length; i++) {
        var p = pairs[i];
        if (p == null || typeof p !== 'object' || p.length !== 2) {
          throw new TypeError('Each header pair must be an array of [name, value]');
        }
        this.append(p[0], p[1]);
      }
    } else {
      var keys = Object.keys(init);
      for (i = 0; i < keys.length; i++) this.append(keys[i], init[keys[i]]);
    }
  }

  // new HeaderList(list): a Headers (same prototype) holding list as is;
  // fetch() makes its responses' headers with it.
  function HeaderList(list) {
    Object.defineProperty(this, LIST, { value: list });
  }
  HeaderList.prototype = Headers.prototype;

  Headers.prototype.append = function (name, value) {
    this[LIST].push([headerName(name), headerValue(value)]);
  };
  Headers.prototype.set = function (name, value) {
    name = headerName(name);
    value = headerValue(value);
    this['delete'](name);
    this[LIST].push([name, value]);
  };
  Headers.prototype['delete'] = function (name) {
    name = headerName(name);
    for (var l = this[LIST], i = l.length - 1; i >= 0; i--) if (l[i][0] === name) l.splice(i, 1);
  };
  // All values of name joined with ", ", or null.
  Headers.prototype.get = function (name) {
    name = headerName(name);
    for (var v = [], l = this[LIST], i = 0; i < l.length; i++) if (l[i][0] === name) v.push(l[i][1]);
    return v.length ? v.join(', ') : null;
  };
  Headers.prototype.has = function (name) {
    return this.get(name) !== null;
  };
  Headers.prototype.getSetCookie = function () {
    for (var v = [], l = this[LIST], i = 0; i < l.length; i++) if (l[i][0] === 'set-cookie') v.push(l[i][1]);
    return v;
  };

  // [[name, value], ...] sorted by name, values combined but set-cookie's.
  function combined(h) {
    var seen = Object.create(null), names = [], out = [], l = h[LIST], i, j;
    for (i = 0; i < l.length; i++) {
      if (!seen[l[i][0]]) names.push(l[i][0]);
      seen[l[i][0]] = true;
    }
    names.sort();
    for (i = 0; i < names.length; i++) {
      if (names[i] !== 'set-cookie') out.push([names[i], h.get(names[i])]);
      else for (j = 0; j < l.length; j++) if (l[j][0] === 'set-cookie') out.push(['set-cookie', l[j][1]]);
    }
    return out;
  }

  Headers.prototype.forEach = function (callback, thisArg) {
    if (typeof callback !== 'function') throw new TypeError('Headers.forEach: callback is not a function');
    for (var c = combined(this), i = 0; i < c.length; i++) callback.call(thisArg, c[i][1], c[i][0], this);
  };

  function iterator(list, pick) {
    var i = 0, it = {
      next: function () {
        return i < list.length ? { value: pick(list[i++]), done: false } : { value: undefined, done: true };
      }
    };
    it[Symbol.iterator] = function () { return this; };
    return it;
  }
  Headers.prototype.entries = function () {
    return iterator(combined(this), function (e) { return e; });
  };
  Headers.prototype.keys = function () {
    return iterator(combined(this), function (e) { return e[0]; });
  };
  Headers.prototype.values = function () {
    return iterator(combined(this), function (e) { return e[1]; });
  };
  Headers.prototype[Symbol.iterator] = Headers.prototype.entries;

  // The bytes of a body: string (UTF-8), ArrayBuffer, typed array, Buffer
  // or DataView, as an ArrayBuffer or view; anything else as String(body).
  function bodyBytes(body, headers) {
    if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body;
    body = String(body);
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    return new TextEncoder().encode(body);
  }

  // A new ArrayBuffer with the bytes of an ArrayBuffer or a view.
  function copyBytes(b) {
    if (b instanceof ArrayBuffer) return b.slice(0);
    var view = new Uint8Array(b.buffer, b.byteOffset, b.byteLength), copy = new Uint8Array(view.length);
    copy.set(view);
    return copy.buffer;
  }

  // new Response(body, {status, statusText, headers}); fetch() makes its
  // responses with new Response(RAW, raw).
  function Response(body, init) {
    if (!(this instanceof Response)) throw new TypeError("Response must be called with 'new'");
    var raw = body === RAW ? init : null, bytes;
    if (raw) {
      this.status = raw.status;
      this.statusText = raw.statusText;
      this.headers = new HeaderList(raw.headers);
      this.url = raw.url;
      this.redirected = raw.redirected;
      bytes = raw.body;
    } else {
      init = init == null ? {} : init;
      this.status = init.status === undefined ? 200 : Number(init.status);
      if (this.status % 1 !== 0 || this.status < 200 || this.status > 599) {
        throw new RangeError('Response status must be an integer from 200 to 599, not ' + init.status);
      }
      this.statusText = init.statusText === undefined ? '' : String(init.statusText);
      this.headers = new Headers(init.headers);
      this.url = '';
      this.redirected = false;
      bytes = body == null ? new ArrayBuffer(0) : bodyBytes(body, this.headers);
      bytes = copyBytes(bytes);
    }
    this.ok = this.status >= 200 && this.status <= 299;
    this.type = raw ? 'basic' : 'default';
    this[BODY] = bytes;
  }

  Object.defineProperty(Response.prototype, 'bodyUsed', {
    get: function () { return !!this[USED]; }
  });

  function consume(r) {
    if (r[USED]) throw new TypeError('Body is unusable: Body has already been read');
    r[USED] = true;
    return r[BODY];
  }

  // body.arrayBuffer(), text(), json(): Promises, one read per response.
  Response.prototype.arrayBuffer = function () {
    var P = native.promise();
    try {
      return P.resolve(consume(this));
    } catch (e) {
      return P.reject(e);
    }
  };
  Response.prototype.text = function () {
    var P = native.promise();
    try {
      return P.resolve(native.decode(consume(this)));
    } catch (e) {
      return P.reject(e);
    }
  };
  Response.prototype.json = function () {
    return this.text().then(function (text) {
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new SyntaxError('response body is not valid JSON: ' + e.message);
      }
    });
  };
  Response.prototype.clone = function () {
    if (this[USED]) throw new TypeError('Response.clone: Body has already been consumed.');
    var r = Object.create(Response.prototype);
    for (var k in this) if (hasOwn.call(this, k)) r[k] = this[k];
    r.headers = new Headers(this.headers);
    r[BODY] = this[BODY].slice(0);
    return r;
  };

  // The URL trimmed of C0 controls and spaces, with its scheme checked and
  // what is not printable ASCII percent-encoded; TypeError if it cannot be.
  function cleanUrl(url) {
    url = url.replace(/^[\0- ]+|[\0- ]+$/g, '');
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url)) throw new TypeError('Invalid URL: ' + url);
    try {
      return url.replace(/[^\x21-\x7e]+/g, function (s) { return encodeURI(s); });
    } catch (e) {
      throw new TypeError('Invalid URL: ' + url);
    }
  }

  // A method name checked, the standard ones upper-cased.
  function httpMethod(method) {
    if (!TOKEN.test(method)) throw new TypeError('"' + method + '" is not a valid HTTP method');
    if (/^(DELETE|GET|HEAD|OPTIONS|POST|PUT)$/i.test(method)) method = method.toUpperCase();
    if (/^(CONNECT|TRACE|TRACK)$/i.test(method)) throw new TypeError('"' + method + '" HTTP method is unsupported');
    return method;
  }

  native.response = function (raw) {
    return new Response(RAW, raw);
  };

  // The redirect mode for native.request.
  function redirectMode(redirect) {
    if (!hasOwn.call(MODES, redirect)) {
      throw new TypeError('redirect must be "follow", "error" or "manual", not "' + redirect + '"');
    }
    return MODES[redirect];
  }

  // The Promise of a fetch with an AbortSignal: rejects with the signal's
  // reason (an AbortError DOMException unless abort() was given one) as
  // soon as it aborts, and cancels the request.
  function abortable(signal, url, method, flat, body, timeout, mode) {
    var P = native.promise(), handle = { ref: 0 };
    var inner = native.request(url, method, flat, body, timeout, mode, handle);
    return new P(function (resolve, reject) {
      function onAbort() {
        native.abort(handle.ref);
        reject(signal.reason);
      }
      signal.addEventListener('abort', onAbort, { once: true });
      inner.then(function (response) {
        signal.removeEventListener('abort', onAbort);
        resolve(response);
      }, function (err) {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      });
    });
  }

  // fetch(url, {method, headers, body, timeout, redirect, signal}) -> Promise.
  function fetch(input, init) {
    try {
      init = init == null ? NO_INIT : init;
      if (typeof init !== 'object') throw new TypeError('fetch options must be an object');
      var url = input;
      if (input != null && typeof input === 'object') {
        url = typeof input.href === 'string' ? input.href : typeof input.url === 'string' ? input.url : input;
      }
      url = String(url);
      if (!native.plainUrl(url)) url = cleanUrl(url);
      var method = init.method === undefined ? 'GET' : httpMethod(String(init.method));
      // Without headers or body (the usual GET) no Headers is made.
      var headersInit = init.headers;
      var headers = headersInit === undefined ? null : new Headers(headersInit);
      var body = init.body == null ? null : init.body;
      if (body !== null) {
        if (method === 'GET' || method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body');
        if (headers === null) headers = new Headers();
        body = bodyBytes(body, headers);
      }
      var timeout = -1;
      if (init.timeout !== undefined) {
        timeout = Math.floor(Number(init.timeout));
        if (!(timeout >= 0 && timeout <= 2147483647)) throw new TypeError('timeout must be a number of milliseconds');
      }
      var mode = init.redirect === undefined ? MODES.follow : redirectMode(String(init.redirect));
      var signal = init.signal == null ? null : init.signal;
      if (signal !== null) {
        if (typeof signal !== 'object' || typeof signal.addEventListener !== 'function' || !('aborted' in signal)) {
          throw new TypeError('signal must be an AbortSignal');
        }
        if (signal.aborted) return native.promise().reject(signal.reason);
      }
      var flat = [];
      if (headers !== null) {
        for (var l = headers[LIST], i = 0; i < l.length; i++) flat.push(l[i][0], l[i][1]);
      }
      if (signal !== null) return abortable(signal, url, method, flat, body, timeout, mode);
      return native.request(url, method, flat, body, timeout, mode);
    } catch (e) {
      return native.promise().reject(e);
    }
  }

  return { fetch: fetch, Headers: Headers, Response: Response };
})
