// class extends Error: instanceof, name, message, a stack, extra fields,
// and a subclass of the subclass; caught from a throw and a rejection.
class HttpError extends Error {
    constructor(status, message) {
        super(message);
        this.name = 'HttpError';
        this.status = status;
    }
    get expose() { return this.status < 500; }
}
class NotFound extends HttpError {
    constructor(what) { super(404, `${what} not found`); this.name = 'NotFound'; }
}
class Plain extends Error {}

function describe(e) {
    return {
        isError: e instanceof Error, isHttp: e instanceof HttpError, isNotFound: e instanceof NotFound,
        name: e.name, message: e.message, status: e.status, expose: e.expose,
        stack: typeof e.stack === 'string' && e.stack.length > 0,
        str: String(e), ctor: e.constructor.name,
    };
}

module.exports = async function (req, res) {
    const out = [];
    try { throw new NotFound('user 7'); } catch (e) { out.push(describe(e)); }
    try { await Promise.reject(new HttpError(503, 'down')); } catch (e) { out.push(describe(e)); }
    const p = new Plain('plain');
    out.push({ name: p.name, message: p.message, isPlain: p instanceof Plain,
               proto: Object.getPrototypeOf(p) === Plain.prototype });
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
