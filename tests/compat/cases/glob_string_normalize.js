// String.prototype.normalize: the four forms on accented letters,
// Hangul, ligatures, compatibility characters and a character outside
// the BMP; the default form; a bad form's RangeError; and the common use,
// comparing or slugifying text typed in two ways.
module.exports = function (req, res) {
    const samples = ['Cafe\u0301', 'Caf\u00e9', '\u1100\u1161\u11a8', '\ud55c\uae00', '\ufb01ne',
                     '\u2460 \u00bd x\u00b2', '\u212b', '\ud835\udc00\u0301', 'plain ascii', ''];
    const forms = ['NFC', 'NFD', 'NFKC', 'NFKD'];
    const out = samples.map((s) => forms.map((f) => {
        const n = s.normalize(f);
        return [n.length, Array.from(n).map((c) => c.codePointAt(0).toString(16)).join(' ')];
    }));
    let err;
    try { 'x'.normalize('nfc'); } catch (e) { err = [e.name, e.message]; }
    const same = 'Cafe\u0301'.normalize() === 'Caf\u00e9'.normalize();
    const slug = 'Cr\u00e8me Br\u00fbl\u00e9e'.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(' ').join('-');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ out, def: 'e\u0301'.normalize().length, err, same, slug, len: String.prototype.normalize.length }));
};
