// Promises written in ES5: all, allSettled, race, finally, a thrown error
// in then() turning into a rejection, and the order of settled callbacks.
function wait(ms, v, fail) {
    return new Promise(function (resolve, reject) {
        setTimeout(function () { fail ? reject(new Error(v)) : resolve(v); }, ms);
    });
}
module.exports = function (req, res) {
    var log = [];
    var settledFinally = false;
    return Promise.all([wait(30, 'a'), wait(10, 'b'), 'c']).then(function (all) {
        log.push(all.join(''));
        return Promise.race([wait(50, 'slow'), wait(5, 'fast')]);
    }).then(function (winner) {
        log.push(winner);
        return Promise.allSettled([wait(1, 'ok'), wait(1, 'bad', true)]);
    }).then(function (s) {
        log.push(s.map(function (r) { return r.status + ':' + (r.value || r.reason.message); }).join(','));
        return Promise.resolve('kept').finally(function () { settledFinally = true; return 'dropped'; });
    }).then(function (v) {
        log.push(v + ' ' + settledFinally);
        return Promise.resolve().then(function () { throw new TypeError('in then'); });
    }).catch(function (e) {
        log.push('caught ' + e.name + ': ' + e.message);
    }).then(function () {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(log));
    });
};
