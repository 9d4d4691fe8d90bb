// Object spread and rest: merging with override order, copying, ignoring
// null/undefined, spreading strings and arrays, getters evaluated once,
// rest excluding keys.
const defaults = { method: 'GET', headers: { accept: '*/*' }, retries: 3 };
module.exports = function (req, res) {
    const opts = { ...defaults, retries: 5, ...{ timeout: 10 } };
    const shallow = { ...defaults };
    shallow.headers.accept = 'application/json';   // shared nested object
    let reads = 0;
    const src = { get v() { reads++; return 'got'; } };
    const copied = { ...src };
    const { method, ...others } = opts;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        opts, sameNested: shallow.headers === defaults.headers, accept: defaults.headers.accept,
        nothing: { ...null, ...undefined, a: 1 }, str: { ...'hi' }, arr: { ...['x', 'y'] },
        copied, reads, isAccessor: typeof Object.getOwnPropertyDescriptor(copied, 'v').get,
        method, others,
    }));
};
