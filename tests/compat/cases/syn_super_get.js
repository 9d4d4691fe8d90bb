// super.x reads with the instance as this: a parent getter read from a
// getter, a method, an arrow inside a method, with a computed key, from a
// static getter; a data property and a missing one through super.
class Base {
    constructor() { this.tag = 'base'; }
    get who() { return `who:${this.tag}`; }
    get ['dyn' + 'Key']() { return `dyn:${this.tag}`; }
    static get kind() { return `kind:${this.label}`; }
}
Base.prototype.plain = 'plain';
class Derived extends Base {
    constructor() { super(); this.tag = 'derived'; }
    get who() { return `[${super.who}]`; }
    viaArrow() { const read = () => super.who; return read(); }
    computed(k) { return super[k]; }
    others() { return [super.plain, typeof super.missing]; }
    static get kind() { return `<${super.kind}>`; }
}
Derived.label = 'D';
Base.label = 'B';

module.exports = function (req, res) {
    const d = new Derived();
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        who: d.who, arrow: d.viaArrow(), computed: d.computed('dynKey'), others: d.others(),
        kinds: [Base.kind, Derived.kind],
    }));
};
