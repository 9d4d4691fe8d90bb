// console methods a Node handler calls: format specifiers, table, dir,
// time/timeEnd, error, warn, count. Their output goes to a log, not to the
// response: the case checks they exist, do not throw and return undefined.
module.exports = function (req, res) {
    const results = [];
    function call(name) {
        var args = Array.prototype.slice.call(arguments, 1);
        try { results.push(name + ':' + console[name].apply(console, args)); }
        catch (e) { results.push(name + ' threw ' + e.name); }
    }
    call('log', '%s is %d, %j, 100%%', 'x', 42, { a: 1 });
    call('info', 'info %o', [1]);
    call('warn', 'warn');
    call('error', new Error('logged, not thrown'));
    call('debug', 'debug');
    call('dir', { a: { b: 1 } }, { depth: 0 });
    call('table', [{ a: 1 }, { a: 2 }]);
    call('time', 't');
    call('timeEnd', 't');
    call('count', 'c');
    call('assert', 1 === 1, 'fine');
    res.setHeader('Content-Type', 'text/plain');
    res.end(results.join('\n'));
};
