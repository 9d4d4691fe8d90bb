// lru-cache: bounded cache with eviction order and a max size.
var LRU = require('lru-cache').LRUCache;
module.exports = function (req, res) {
    var cache = new LRU({ max: 3 });
    cache.set('a', 1); cache.set('b', 2); cache.set('c', 3);
    cache.get('a');
    cache.set('d', 4);
    var evicted = [];
    var c2 = new LRU({ max: 2, dispose: function (v, k) { evicted.push(k); } });
    c2.set('x', 1); c2.set('y', 2); c2.set('z', 3);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        keys: Array.from(cache.keys()), hasB: cache.has('b'), size: cache.size, peek: cache.peek('c'),
        evicted: evicted, deleted: cache.delete('a'), after: Array.from(cache.keys())
    }));
};
