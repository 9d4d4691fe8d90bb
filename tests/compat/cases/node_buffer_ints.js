// Buffer integer access as in a binary protocol: readUInt8/16/32 BE and
// LE, signed reads, writes returning the next offset, readBigUInt64 not
// used; a packet header built and parsed back; a binary response body.
module.exports = function (req, res) {
    const hdr = Buffer.alloc(12);
    var off = hdr.writeUInt8(0xab, 0);
    off = hdr.writeUInt16BE(0x1234, off);
    off = hdr.writeUInt16LE(0x1234, off);
    off = hdr.writeUInt32BE(0xdeadbeef, off);
    off = hdr.writeInt16LE(-2, off);
    hdr.writeInt8(-1, off);
    const parsed = {
        off, hex: hdr.toString('hex'),
        u8: hdr.readUInt8(0), u16be: hdr.readUInt16BE(1), u16le: hdr.readUInt16LE(3),
        u32be: hdr.readUInt32BE(5), u32le: hdr.readUInt32LE(5), i16le: hdr.readInt16LE(9),
        i8: hdr.readInt8(11), u8last: hdr.readUInt8(11), i32be: hdr.readInt32BE(5),
        aliases: hdr.readUint16BE(1) === hdr.readUInt16BE(1),
    };
    var range;
    try { hdr.readUInt32BE(10); } catch (e) { range = e.name + ' ' + e.code; }
    parsed.range = range;
    const f = Buffer.alloc(8);
    f.writeDoubleBE(1.5);
    parsed.double = [f.toString('hex'), f.readDoubleBE(0)];
    const body = Buffer.concat([Buffer.from(JSON.stringify(parsed) + '\n'), hdr]);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(body);
};
