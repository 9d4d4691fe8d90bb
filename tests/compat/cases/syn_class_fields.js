// Class fields (ES2022, beyond the ES2020 of issue 12, but common in Node
// code): public and static fields, private fields and methods, #x in obj.
class Session {
    static count = 0;
    static #secret = 's3';
    id = ++Session.count;
    #token;
    items = [];
    constructor(token) { this.#token = token; }
    #mask() { return this.#token.slice(0, 2) + '***'; }
    get masked() { return this.#mask(); }
    static isSession(o) { return #token in o; }
    static peek() { return Session.#secret.length; }
}

module.exports = function (req, res) {
    const a = new Session('abcdef'), b = new Session('xyz123');
    a.items.push(1);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        ids: [a.id, b.id], count: Session.count, masked: [a.masked, b.masked],
        keys: Object.keys(a), shared: a.items === b.items,
        brand: [Session.isSession(a), Session.isSession({})], peek: Session.peek(),
    }));
};
