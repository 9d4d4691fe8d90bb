// Destructuring: object, array, nested, defaults, renaming, rest, holes,
// in parameters, in for-of heads, and swapping.
const config = { server: { host: 'localhost', ports: [80, 443] }, debug: false };

function connect({ host = '0.0.0.0', port = 8080, tls: { enabled = false } = {} } = {}) {
    return `${host}:${port}:${enabled}`;
}

module.exports = function (req, res) {
    const { server: { host, ports: [http, https = 0, extra = 'none'] }, debug, missing = 'dflt' } = config;
    const [first, , third = 'c', ...others] = ['a', 'b', undefined, 'd', 'e'];
    const { a, ...restObj } = { a: 1, b: 2, c: 3 };
    const { server: renamed } = config;
    let x = 1, y = 2;
    [x, y] = [y, x];
    const pairs = [];
    for (const [k, v] of Object.entries({ p: 1, q: 2 })) pairs.push(k + v);
    const [[n1, n2], { deep: [d0] }] = [[1, 2], { deep: ['z'] }];
    const { length } = 'hello';
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        host, http, https, extra, debug, missing, first, third, others, a, restObj,
        renamedHost: renamed.host, x, y, pairs, n1, n2, d0, length,
        calls: [connect(), connect({ host: 'h' }), connect({ port: 1, tls: { enabled: true } })],
    }));
};
