// WeakMap and WeakSet: set/get/has/delete with object keys, chaining, the
// TypeError for primitive keys, and a WeakMap as a per-object cache.
const cache = new WeakMap();
function expensive(obj) {
    if (!cache.has(obj)) cache.set(obj, Object.keys(obj).length * 10);
    return cache.get(obj);
}

module.exports = function (req, res) {
    const a = {}, b = function () {};
    const wm = new WeakMap([[a, 'first']]);
    const chained = wm.set(b, 'fn') === wm;
    const ws = new WeakSet();
    ws.add(a).add(b);
    var primKey, primSet;
    try { wm.set('str', 1); } catch (e) { primKey = e.name; }
    try { ws.add(1); } catch (e) { primSet = e.name; }
    const obj = { x: 1, y: 2 };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        get: [wm.get(a), wm.get(b), String(wm.get({}))], has: [wm.has(a), wm.has({})],
        deleted: [wm.delete(a), wm.delete(a), wm.has(a)], chained,
        set: [ws.has(a), ws.has({}), ws.delete(b), ws.has(b)], primKey, primSet,
        cached: [expensive(obj), expensive(obj)], tag: Object.prototype.toString.call(wm),
    }));
};
