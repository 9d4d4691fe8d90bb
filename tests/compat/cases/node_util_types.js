// util.types checks, and util.TextEncoder/TextDecoder.
const util = require('node:util');
const types = util.types;

module.exports = function (req, res) {
    const out = {
        date: [types.isDate(new Date()), types.isDate(Date.now())],
        regexp: [types.isRegExp(/x/), types.isRegExp('x')],
        promise: [types.isPromise(Promise.resolve()), types.isPromise({ then() {} })],
        map: [types.isMap(new Map()), types.isSet(new Set()), types.isMap({})],
        typed: [types.isUint8Array(new Uint8Array(1)), types.isUint8Array(Buffer.alloc(1)),
                types.isArrayBuffer(new ArrayBuffer(2)), types.isTypedArray([])],
        native: [types.isNativeError(new TypeError('x')), types.isNativeError({ message: 'x' })],
        boxed: [types.isBoxedPrimitive(Object(1)), types.isBoxedPrimitive(1)],
        encoder: Array.from(new util.TextEncoder().encode('h\u00e9')),
        decoder: new util.TextDecoder().decode(new Uint8Array([0xe2, 0x82, 0xac])),
        same: util.TextEncoder === TextEncoder,
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
