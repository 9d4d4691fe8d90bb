// require('eider/test') in a test file run by `eider test`:
//   const { request } = require('eider/test');
//   const res = await request('POST', '/users', { headers: {...}, body: ... });
//   res.status, res.headers (lower-case names), res.body (text), res.json()
// The request goes through the handlers as `eider call` sends one: routing,
// a bare worker with no socket, the answer captured (framework/cmd_test.c,
// js_test_request.c). A body that is not a string or a buffer is sent as
// JSON (with Content-Type: application/json unless given). Requests are
// sent one after another: the bare worker captures one answer at a time.
'use strict';

var native = globalThis[Symbol.for('eider.test.request')];
var queue = Promise.resolve();

function noop() {}

// { status, headers, body, json() } of ANSWER (bytes as eider call prints them).
function parse(answer) {
    var buf = Buffer.from(answer), end = buf.indexOf('\r\n\r\n');
    var head = buf.subarray(0, end < 0 ? buf.length : end).toString('latin1').split('\r\n');
    var headers = {};
    head.slice(1).forEach(function (line) {
        var colon = line.indexOf(':'), name = line.slice(0, colon).toLowerCase();
        var value = line.slice(colon + 1).trim();
        headers[name] = name in headers ? headers[name] + ', ' + value : value;
    });
    return {
        status: parseInt(head[0].split(' ')[1], 10),
        headers: headers,
        body: end < 0 ? '' : buf.subarray(end + 4).toString('utf8'),
        json: function () { return JSON.parse(this.body); },
    };
}

exports.request = function request(method, path, options) {
    if (typeof native !== 'function')
        return Promise.reject(new Error("request() answers in test files run by 'eider test'"));
    options = options || {};
    var given = options.headers || {}, headers = [], json = false, body = options.body;
    Object.keys(given).forEach(function (name) {
        json = json || name.toLowerCase() === 'content-type';
        headers.push(name + ': ' + given[name]);
    });
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
        body = JSON.stringify(body);
        if (!json)
            headers.push('Content-Type: application/json');
    }
    var answer = queue.then(function () {
        return native(String(method).toUpperCase(), String(path), headers,
                      body === null ? undefined : body);
    }).then(parse);
    queue = answer.then(noop, noop);
    return answer;
};
