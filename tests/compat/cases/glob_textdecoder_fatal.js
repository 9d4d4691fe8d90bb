// TextDecoder (default, fatal, ignoreBOM, streaming) and TextEncoder on
// invalid UTF-8, BOMs, lone surrogates and astral characters; atob/btoa
// on what the forgiving-base64 rules refuse.
const codes = (s) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));

function attempt(f) {
    try { return f(); } catch (e) { return e.name + (e.code !== undefined ? ':' + e.code : ''); }
}

module.exports = function (req, res) {
    const inputs = [[0xef, 0xbb, 0xbf, 0x41], [0xf0, 0x9f, 0x98, 0x80], [0xed, 0xa0, 0x80], [0xc3],
        [0x41, 0xe2, 0x82], [0xff], [0xe2, 0x82, 0xac, 0x42], []];
    const out = {
        plain: inputs.map((a) => codes(new TextDecoder().decode(new Uint8Array(a)))),
        fatal: inputs.map((a) => attempt(() => codes(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(a))))),
        ignoreBOM: inputs.map((a) => codes(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(a)))),
        props: [new TextDecoder().encoding, new TextDecoder('utf-8', { fatal: true }).fatal, new TextDecoder().ignoreBOM],
        encode: ['abc', '\u20ac', '\ud83d\ude00', 'a\ud800b', '\udc00', ''].map((s) => Array.from(new TextEncoder().encode(s))),
        encodeInto: (() => { const u = new Uint8Array(4); const r = new TextEncoder().encodeInto('a\u20ac\u20ac', u); return [r.read, r.written, Array.from(u)]; })(),
        subarray: codes(new TextDecoder().decode(new Uint8Array([0x61, 0x62, 0x63, 0x64]).subarray(1, 3))),
        atob: ['YQ', 'YQ=', 'YQ==', 'YQ===', 'Y', 'YW Jj\n', 'YW=J', 'YQ==\t', '=', '', 'YWJj!', 'YWJ-'].map((s) =>
            attempt(() => codes(atob(s)))),
        btoa: ['', 'a', '\u00ff\u0000', '\u0100', '\ud83d\ude00'].map((s) => attempt(() => btoa(s))),
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
