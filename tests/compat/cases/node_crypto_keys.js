// crypto's secret KeyObject: createSecretKey from bytes or an encoded
// string, type, size, instanceof, export as a Buffer and as a JWK, equals,
// an HMAC keyed by one equal to one keyed by the bytes, the constructor
// refused; createPrivateKey of text that is no key throws an Error.
const crypto = require('crypto');

module.exports = function (req, res) {
    const k = crypto.createSecretKey(Buffer.from('sekret'));
    const same = crypto.createSecretKey('73656b726574', 'hex');
    const other = crypto.createSecretKey('x');
    let ctor, priv;
    try { new crypto.KeyObject(); } catch (e) { ctor = e.name; }
    try { crypto.createPrivateKey('not a key'); } catch (e) { priv = e.name; }
    const mac = (key) => crypto.createHmac('sha256', key).update('message').digest('base64url');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        type: k.type, size: k.symmetricKeySize, isKey: k instanceof crypto.KeyObject,
        exported: k.export().toString('hex'), jwk: k.export({ format: 'jwk' }),
        equals: [k.equals(same), k.equals(other)], hmac: [mac(k), mac(k) === mac('sekret')],
        ctor, priv,
    }));
};
