// The native hot paths of Buffer, atob/btoa and TextDecoder on inputs
// long enough to go through their block loops (16-byte SSSE3 blocks,
// six-byte base64 steps, four-character decode groups) with the odd
// character at every place: latin1 both ways with units above 0xFF and
// lone surrogates, base64 with whitespace, bad characters and padding
// inside a block, atob/btoa errors, Buffer.concat with totalLength
// shorter and longer than its parts, buf.compare with ranges and Node's
// argument errors, TextDecoder with fatal, ignoreBOM and streaming.
const codes = (s) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)).join(',');
const hex = (b) => b.toString('hex');

function attempt(f) {
    try { return f(); } catch (e) { return e.name + ':' + e.code + ':' + e.message; }
}

// Only the error's name, where Node's code and message are not eider's
// (Duktape's TextDecoder checks its arguments itself).
function attemptName(f) {
    try { return f(); } catch (e) { return e.name; }
}

// n bytes of a mix: ASCII runs, then 0x80-0xff, by seed.
function bytes(n, seed) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = (i * 73 + seed * 31 + (i >> 4) * 7) & (i % 23 < 11 ? 0x7f : 0xff);
    return b;
}

module.exports = function (req, res) {
    const lens = [0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 100];
    const latin1 = lens.map((n) => {
        const b = bytes(n, n);
        const s = b.toString('latin1');
        const back = Buffer.from(s, 'latin1');
        return [codes(s), hex(back), Buffer.byteLength(s, 'latin1'), back.equals(b)].join('|');
    });
    // A unit above 0xff, or a lone surrogate, at places across a block.
    const wide = [0, 5, 14, 15, 16, 17, 30, 33].map((at) => {
        const base = bytes(40, at).toString('latin1');
        return ['\u20ac', '\u0100', '\ud83d', '\ude00', '\ud83d\ude00'].map((c) => {
            const s = base.slice(0, at) + c + base.slice(at);
            return hex(Buffer.from(s, 'latin1')) + '/' + attempt(() => btoa(s));
        }).join(' ');
    });
    const base64 = lens.map((n) => {
        const b = bytes(n, 3 * n + 1);
        const s = b.toString('base64'), u = b.toString('base64url');
        return [s, u, hex(Buffer.from(s, 'base64')), hex(Buffer.from(u, 'base64')),
            hex(Buffer.from(u, 'base64url')), btoa(b.toString('latin1')) === s].join('|');
    });
    const long64 = bytes(60, 9).toString('base64');
    const spoiled = [0, 3, 4, 17, 40, 77, 79].map((at) =>
        ['\n', ' ', '!', '=', '-', '_', '\u00e9', '=='].map((c) => {
            const s = long64.slice(0, at) + c + long64.slice(at);
            return hex(Buffer.from(s, 'base64')) + '/' + attempt(() => codes(atob(s)));
        }).join(' '));
    const atobs = ['YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=', 'YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo',
        'YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eQ==', 'YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eQ=',
        'YWJjZGVm Z2hp\tamts\nbW5v\fcHFy\rc3R1', 'YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4e',
        'YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo===', 'YWJjZGVmZ2hpamtsbW5vcHFy=c3R1dnd4eXo',
        'YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo= ', ' YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo',
        'YWJjZGVmZ2hpamtsbW5vcHFyc3R1-_d4eXo', 'YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo\u00e9'];
    const a = Buffer.from('abcdef'), b = Buffer.from('xxcdyy'), c = new Uint8Array([1, 2, 3]);
    const concat = [
        hex(Buffer.concat([a, b])), hex(Buffer.concat([a, b], 3)), hex(Buffer.concat([a, b], 15)),
        hex(Buffer.concat([a, b], 0)), hex(Buffer.concat([])), hex(Buffer.concat([], 4)),
        hex(Buffer.concat([a, c, b.subarray(2, 4)])), Buffer.concat([a]) !== a, Buffer.concat([a, b]) instanceof Buffer,
        attempt(() => Buffer.concat('ab')), attempt(() => Buffer.concat([a, 'x'])),
        attempt(() => Buffer.concat([a, 'x'], 2)), attempt(() => Buffer.concat([a], -1)),
        attempt(() => Buffer.concat([a], 1.5)), attempt(() => Buffer.concat([a], '3')),
        attempt(() => Buffer.concat([a, null])), attempt(() => Buffer.concat({ length: 1, 0: a })),
    ];
    const ranges = [[], [0], [2, 4, 2, 4], [0, 6, 0, 6], [2], [undefined, undefined, 2, 4], [0, 2, 0, 3],
        [0, 3, 0, 2], [3, 3, 1, 1], [3, 3, 1, 2], [1, 2, 3, 3], [6, 6], [0, 0, 0, 6], [4, 6, 0, 1]];
    const compare = ranges.map((r) => attempt(() => a.compare(b, ...r)) + '/' + attempt(() => b.compare(a, ...r)))
        .concat([Buffer.compare(a, b), Buffer.compare(b, a), Buffer.compare(a, Buffer.from(a)),
            Buffer.compare(a, a.subarray(0, 3)), a.equals(Buffer.from('abcdef')), a.equals(b), a.equals(c),
            Buffer.from([1, 2, 3]).equals(c), a.compare(c), Buffer.alloc(0).equals(new Uint8Array(0)),
            attempt(() => a.compare(b, -1)), attempt(() => a.compare(b, 0, 10)), attempt(() => a.compare(b, 1.5)),
            attempt(() => a.compare(b, '1')), attempt(() => a.compare(b, 0, 6, 0, 7)),
            attempt(() => a.equals('abc')), attempt(() => a.equals()), attempt(() => Buffer.compare(a, 'x')),
            attempt(() => Buffer.compare(1, a)), attempt(() => a.compare({}))]);
    const enc = new TextEncoder();
    const text = enc.encode('\ufeffcaf\u00e9 \ud83d\ude00 ' + 'x'.repeat(40) + '\u20ac');
    const bad = new Uint8Array([0x61, 0xf0, 0x9f, 0x98, 0x41, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xff, 0x62]);
    const streamed = new TextDecoder();
    const decoder = [
        codes(new TextDecoder().decode(text)), codes(new TextDecoder('utf-8', { ignoreBOM: true }).decode(text)),
        codes(new TextDecoder().decode(text.subarray(3))), codes(new TextDecoder().decode(text.buffer)),
        codes(new TextDecoder().decode(new DataView(text.buffer, 1, 9))), codes(new TextDecoder().decode()),
        codes(new TextDecoder().decode(bad)), attempt(() => new TextDecoder('utf-8', { fatal: true }).decode(bad)),
        codes(new TextDecoder('utf-8', { fatal: true }).decode(text)),
        codes(streamed.decode(text)), codes(streamed.decode(text.subarray(0, 6), { stream: true })),
        codes(streamed.decode(text.subarray(6, 9), { stream: true })), codes(streamed.decode(text.subarray(9))),
        codes(streamed.decode(text)), codes(streamed.decode(text.subarray(5, 8), { stream: true })),
        codes(streamed.decode()), attemptName(() => Object.freeze(new TextDecoder()).decode(text)),
        attemptName(() => new TextDecoder().decode('abc')), attemptName(() => TextDecoder.prototype.decode.call({}, text)),
    ];
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ latin1, wide, base64, spoiled, atob: atobs.map((s) => attempt(() => codes(atob(s)))),
        concat, compare, decoder }));
};
