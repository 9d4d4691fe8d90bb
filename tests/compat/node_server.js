'use strict';
// The Node.js side of the compat suite: serves a directory of case files
// with http.createServer, as eider serves them with its router.
//
//   node tests/compat/node_server.js DIR PORT
//
// GET /NAME?... runs DIR/NAME.js or DIR/NAME.ts. The module exports one
// function for every method (module.exports = fn, or an ES module's
// `export default`), or functions named by method (exports.GET, `export
// function POST`). A .ts file, or a .js file with import/export
// statements, is first transpiled by Debian's TypeScript (target ES2020,
// CommonJS: Node then runs the modern syntax natively); so are the modules
// such a file requires from DIR (not from node_modules). Prints "listening PORT" once it accepts.
//
// Node's createServer has no error convention: a handler that throws or
// rejects before answering gets a 500 whose body says so (text/plain,
// starting "node: "), so such a case never passes by accident.

const http = require('http');
const fs = require('fs');
const path = require('path');
const Module = require('module');

const TS_PATH = process.env.COMPAT_TYPESCRIPT || '/usr/share/nodejs/typescript/lib/typescript.js';
const dir = path.resolve(process.argv[2] || '.');
const port = Number(process.argv[3] || 0);

let ts = null;
function typescript() {
    if (!ts) ts = require(TS_PATH);
    return ts;
}

const ESM_RE = /^\s*(import\s*[\w{*'"]|export\s+(default|async|function|const|let|var|class|\{|\*))/m;

function transpile(source, filename) {
    const out = typescript().transpileModule(source, {
        fileName: filename,
        reportDiagnostics: true,
        compilerOptions: {
            target: typescript().ScriptTarget.ES2020,
            module: typescript().ModuleKind.CommonJS,
            esModuleInterop: true,
        },
    });
    const bad = (out.diagnostics || []).filter((d) => d.category === typescript().DiagnosticCategory.Error);
    if (bad.length) {
        throw new SyntaxError(filename + ': ' +
            typescript().flattenDiagnosticMessageText(bad[0].messageText, '\n'));
    }
    return out.outputText;
}

const inDir = (filename) => filename.startsWith(dir + path.sep) &&
    !filename.includes(path.sep + 'node_modules' + path.sep);
const plainJs = Module._extensions['.js'];
Module._extensions['.js'] = function (m, filename) {
    if (!inDir(filename)) return plainJs(m, filename);
    const src = fs.readFileSync(filename, 'utf8');
    if (!ESM_RE.test(src)) return plainJs(m, filename);
    m._compile(transpile(src, filename), filename);
};
Module._extensions['.ts'] = function (m, filename) {
    m._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};

const cache = new Map();
function load(name) {
    if (cache.has(name)) return cache.get(name);
    let mod = null;
    for (const ext of ['.js', '.ts']) {
        const file = path.join(dir, name + ext);
        if (fs.existsSync(file)) {
            mod = require(file);
            break;
        }
    }
    cache.set(name, mod);
    return mod;
}

function pick(mod, method) {
    if (typeof mod === 'function') return mod;
    if (!mod) return null;
    if (typeof mod[method] === 'function') return mod[method];
    if (typeof mod.default === 'function') return mod.default;
    return null;
}

function fail(res, what, err) {
    const text = 'node: ' + what + ': ' + (err && err.stack ? err.stack.split('\n')[0] : String(err));
    if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(text);
    } else {
        res.end();
    }
}

const server = http.createServer((req, res) => {
    const name = req.url.split('?')[0].split('/').filter(Boolean)[0] || 'index';
    let fn;
    try {
        if (name.startsWith('_') || name.startsWith('.')) throw Object.assign(new Error('private'), { code: 'NOPE' });
        fn = pick(load(name), req.method);
    } catch (e) {
        if (e.code === 'NOPE') fn = null;
        else return fail(res, 'loading ' + name + ' failed', e);
    }
    if (!fn) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return res.end('node: no handler for ' + req.method + ' /' + name);
    }
    try {
        const r = fn(req, res);
        if (r && typeof r.then === 'function') r.then(null, (e) => fail(res, 'handler rejected', e));
    } catch (e) {
        fail(res, 'handler threw', e);
    }
});

process.on('uncaughtException', (e) => console.error('node_server: uncaught', e));
process.on('unhandledRejection', (e) => console.error('node_server: unhandled rejection', e));

server.listen(port, '127.0.0.1', () => {
    console.log('listening ' + server.address().port);
});
