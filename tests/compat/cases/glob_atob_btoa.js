// atob and btoa: round trips, binary strings, padding forgiven by atob,
// and InvalidCharacterError for text outside Latin-1.
module.exports = function (req, res) {
    var bad, badDecode;
    try { btoa('\u20ac'); } catch (e) { bad = e.name; }
    try { atob('!!!'); } catch (e) { badDecode = e.name; }
    const bin = String.fromCharCode(0, 128, 255);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        encoded: btoa('Hello, world'), decoded: atob('SGVsbG8sIHdvcmxk'),
        binary: btoa(bin), back: atob(btoa(bin)).split('').map(function (c) { return c.charCodeAt(0); }),
        noPad: atob('YWI'), spaces: atob(' YW Jj '), bad, badDecode,
        basicAuth: atob('dXNlcjpwYXNz').split(':'),
        utf8ViaBuffer: Buffer.from(atob(Buffer.from('caf\u00e9').toString('base64')), 'latin1').toString(),
    }));
};
