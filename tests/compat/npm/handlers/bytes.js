// bytes: sizes parsed and formatted.
var bytes = require('bytes');
module.exports = function (req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        format: [bytes(1024), bytes(1000), bytes(1536), bytes(1073741824), bytes(1024, { unitSeparator: ' ' }), bytes(123456, { decimalPlaces: 0 })],
        parse: [bytes('1KB'), bytes('1.5mb'), bytes('1 GB'), bytes('100'), String(bytes('x'))],
        thousands: bytes(1000000000000000, { thousandsSeparator: ',' })
    }));
};
