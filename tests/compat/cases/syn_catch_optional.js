// catch without a binding (ES2019), and try/finally control flow: return
// in finally, rethrow, nested try.
function parseOr(text, dflt) {
    try { return JSON.parse(text); } catch { return dflt; }
}
function order() {
    const log = [];
    try {
        try { log.push('try'); throw new Error('inner'); }
        catch { log.push('catch'); throw new Error('again'); }
        finally { log.push('finally'); }
    } catch { log.push('outer catch'); }
    return log;
}
function finallyWins() { try { return 'try'; } finally { return 'finally'; } }

module.exports = function (req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ good: parseOr('{"a":1}', null), bad: parseOr('{oops', 'default'),
                             order: order(), finallyWins: finallyWins() }));
};
