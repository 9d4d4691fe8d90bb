// node:test for `eider test`: test, describe/it, before/after/beforeEach/
// afterEach, async and callback-style tests, subtests (t.test), t.skip()
// and t.todo(), a per-test timeout (5 s unless { timeout }).
// A test file registers its tests at its top level; the first registration
// arms a timer, so they run once the file has loaded, one after another.
// Each result is a TAP line without its number ("ok - suite > name"):
// eider test (framework/cmd_test.c) numbers the lines of all files and
// prints the plan and the totals. Nested describes give flat names joined
// with " > ". At the end the process exits, 1 if anything failed, so a
// hanging test's leftovers (an interval) cannot keep it alive.
'use strict';

var DEFAULT_TIMEOUT = 5000;
var file = (typeof process === 'object' && process.argv && process.argv[1]) || '';

function Suite(name, parent) {
    this.name = name;
    this.parent = parent;
    this.children = [];
    this.before = [];
    this.after = [];
    this.beforeEach = [];
    this.afterEach = [];
}

var root = new Suite('', null);
var current = root;
var started = false;
var failed = 0;

// test(name?, options?, fn?) as node:test takes them.
function args(a, b, c) {
    var name = a, options = b, fn = c;
    if (typeof name === 'function') { fn = name; options = {}; name = fn.name || '<anonymous>'; }
    else if (typeof name === 'object' && name !== null) { fn = options; options = name; name = '<anonymous>'; }
    if (typeof options === 'function') { fn = options; options = {}; }
    return { name: String(name), options: options || {}, fn: fn };
}

function start() {
    if (started)
        return;
    started = true;
    setTimeout(runAll, 0);
}

function test(a, b, c) {
    var t = args(a, b, c);
    current.children.push({ test: true, name: t.name, options: t.options, fn: t.fn });
    start();
    return Promise.resolve();
}

function describe(a, b, c) {
    var t = args(a, b, c), s = new Suite(t.name, current), saved = current;
    s.options = t.options;
    current.children.push(s);
    current = s;
    try {
        if (typeof t.fn === 'function')
            t.fn.call(s, s);
    } finally {
        current = saved;
    }
    start();
    return Promise.resolve();
}

function hook(kind) {
    return function (fn, options) { current[kind].push({ fn: fn, options: options || {} }); };
}

function variant(base, key) {
    return function (a, b, c) {
        var t = args(a, b, c);
        t.options[key] = true;
        return base(t.name, t.options, t.fn);
    };
}

// FN called with CTX, as a Promise that rejects after MS ms if it has not
// settled. A test function declaring a second parameter, (t, done), is
// callback-style as in node:test: it ends when done(err?) is called.
function call(fn, ctx, ms, callback) {
    return new Promise(function (resolve, reject) {
        var timer = setTimeout(function () {
            reject(new Error('test timed out after ' + ms + ' ms'));
        }, ms);
        var settle = function (f) { return function (v) { clearTimeout(timer); f(v); }; };
        try {
            if (callback) {
                fn.call(ctx, ctx, function (err) {
                    (err ? settle(reject) : settle(resolve))(err);
                });
                return;
            }
            Promise.resolve(fn.call(ctx, ctx)).then(settle(resolve), settle(reject));
        } catch (e) {
            clearTimeout(timer);
            reject(e);
        }
    });
}

// Runs the functions of LIST (hooks) one after another.
function series(list, ctx) {
    return list.reduce(function (p, h) {
        return p.then(function () { return call(h.fn, ctx, h.options.timeout || DEFAULT_TIMEOUT); });
    }, Promise.resolve());
}

function fullName(suite, name) {
    var parts = [name];
    for (var s = suite; s && s !== root; s = s.parent)
        parts.unshift(s.name);
    return parts.join(' > ');
}

// A YAML scalar at indent 2: single-quoted, or a literal block for several
// lines (an assert's diff).
function yaml(s) {
    s = String(s);
    if (s.indexOf('\n') < 0)
        return "'" + s.replace(/'/g, "''") + "'";
    return '|-\n' + s.split('\n').map(function (l) { return '    ' + l; }).join('\n');
}

// The stack's first frame in the test file, else its first frame outside
// the built-ins ("node:..."), else nothing (a timeout has no user frame).
function where(err) {
    var lines = String(err && err.stack || '').split('\n').slice(1), i;
    for (i = 0; i < lines.length; i++)
        if (file && lines[i].indexOf(file) >= 0)
            return lines[i].trim();
    for (i = 0; i < lines.length; i++)
        if (/\(\//.test(lines[i]))
            return lines[i].trim();
    return '';
}

function report(name, err, directive) {
    if (err === undefined) {
        console.log('ok - ' + name + (directive ? ' # ' + directive : ''));
        return;
    }
    failed++;
    var msg = err instanceof Error ? err.message : 'rejected with ' + String(err);
    var at = where(err);
    console.log('not ok - ' + name + '\n  ---\n  message: ' + yaml(msg)
                + (at ? '\n  at: ' + yaml(at) : '') + '\n  ...');
}

function hooksOf(suite, kind) {
    var list = [];
    for (var s = suite; s; s = s.parent)
        list = kind === 'beforeEach' ? s.beforeEach.concat(list) : list.concat(s.afterEach);
    return list;
}

// The context a test function gets: its name, diagnostic(), skip() and
// todo() (the result line takes the directive), and test() for subtests,
// which start at once, report as "parent > child" before the parent, and
// are awaited before it ends; a failed subtest fails the parent.
function context(suite, t, name) {
    var ctx = {
        name: t.name, fullName: name, directive: '', subtests: [], subfailed: 0,
        diagnostic: function (m) { console.log('# ' + m); },
        skip: function (m) { ctx.directive = 'SKIP' + (m ? ' ' + m : ''); },
        todo: function (m) { ctx.directive = 'TODO' + (m ? ' ' + m : ''); },
        test: function (a, b, c) {
            var sub = args(a, b, c);
            var p = runTest(suite, sub, name + ' > ' + sub.name, true).then(function (bad) {
                if (bad)
                    ctx.subfailed++;
            });
            ctx.subtests.push(p);
            return p;
        }
    };
    return ctx;
}

// Waits for CTX's subtests, including those started by subtests' ends.
function settleSubtests(ctx) {
    var n = ctx.subtests.length;
    return Promise.all(ctx.subtests).then(function () {
        return ctx.subtests.length > n ? settleSubtests(ctx) : undefined;
    });
}

// Runs test T of SUITE and reports it under NAME (its full name unless a
// subtest's); a subtest (SUB) runs without the suite's each-hooks, which
// already ran around its parent. Resolves to true if it failed.
function runTest(suite, t, name, sub) {
    name = name || fullName(suite, t.name);
    var ctx = context(suite, t, name);
    if (t.options.skip || t.options.todo || typeof t.fn !== 'function') {
        report(name, undefined, t.options.todo ? 'TODO' : 'SKIP');
        return Promise.resolve(false);
    }
    var err;
    return series(sub ? [] : hooksOf(suite, 'beforeEach'), ctx)
        .then(function () {
            return call(t.fn, ctx, t.options.timeout || DEFAULT_TIMEOUT, t.fn.length >= 2);
        })
        .then(null, function (e) { err = e === undefined ? new Error('rejected') : e; })
        .then(function () { return settleSubtests(ctx); })
        .then(function () {
            if (err === undefined && ctx.subfailed)
                err = new Error(ctx.subfailed + ' subtest' + (ctx.subfailed > 1 ? 's' : '') + ' failed');
            return series(sub ? [] : hooksOf(suite, 'afterEach'), ctx);
        })
        .then(null, function (e) { if (err === undefined) err = e; })
        .then(function () {
            report(name, err, err === undefined ? ctx.directive : '');
            return err !== undefined;
        });
}

// Every test under SUITE failed with ERR (a before hook threw).
function failAll(suite, err) {
    suite.children.forEach(function (c) {
        if (c.test)
            report(fullName(suite, c.name), err);
        else
            failAll(c, err);
    });
}

function runSuite(suite) {
    if (suite.options && (suite.options.skip || suite.options.todo)) {
        suite.children.forEach(function (c) {
            if (c.test) report(fullName(suite, c.name), undefined, 'SKIP');
        });
        return Promise.resolve();
    }
    return series(suite.before, suite).then(function () {
        return suite.children.reduce(function (p, c) {
            return p.then(function () { return c.test ? runTest(suite, c) : runSuite(c); });
        }, Promise.resolve()).then(function () {
            return series(suite.after, suite).then(null, function (e) {
                report(fullName(suite, 'after hook'), e);
            });
        });
    }, function (e) { failAll(suite, e); });
}

function runAll() {
    runSuite(root).then(function () {
        process.exit(failed ? 1 : 0);
    }, function (e) {
        console.log('not ok - ' + file + ' # runner: ' + String(e));
        process.exit(1);
    });
}

test.test = test;
test.it = test;
test.describe = describe;
test.suite = describe;
test.before = hook('before');
test.after = hook('after');
test.beforeEach = hook('beforeEach');
test.afterEach = hook('afterEach');
test.skip = variant(test, 'skip');
test.todo = variant(test, 'todo');
test.it.skip = test.skip;
test.it.todo = test.todo;
describe.skip = variant(describe, 'skip');
describe.todo = variant(describe, 'todo');
module.exports = test;
