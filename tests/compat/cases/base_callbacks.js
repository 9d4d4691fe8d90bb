// Plain ES5, callback style: setImmediate, setInterval cleared after three
// ticks, clearTimeout of a timer that never fires, and closures over a
// loop variable made with an IIFE (as ES5 code does without let).
module.exports = function (req, res) {
    var log = [], n = 0, fns = [];
    for (var i = 0; i < 3; i++) (function (j) { fns.push(function () { return j; }); })(i);
    var never = setTimeout(function () { log.push('never'); }, 5);
    clearTimeout(never);
    setImmediate(function (a) { log.push('immediate ' + a); }, 'arg');
    var iv = setInterval(function () {
        n++;
        log.push('tick ' + n);
        if (n === 3) {
            clearInterval(iv);
            setTimeout(function () {
                res.setHeader('Content-Type', 'application/json');
                res.end(JSON.stringify({ log: log, closures: fns.map(function (f) { return f(); }) }));
            }, 20);
        }
    }, 5);
};
