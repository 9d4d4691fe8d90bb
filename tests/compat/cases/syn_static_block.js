// Class static blocks: `this` is the class (set static members, read
// ones defined before), super reads and calls the parent's statics,
// an arrow keeps that this (as in a static field's value), blocks and
// static fields run in order.
const log = [];
class Base {
    static kind = 'base';
    static describe() { return `describe:${this.kind}`; }
}
class Child extends Base {
    static kind = 'child';
    static first = (log.push('field first'), 1);
    static {
        log.push('block one');
        this.registry = new Map([['a', 1]]);
        this.viaSuper = super.describe();
        this.parentKind = super.kind;
        const later = () => this.registry.size;
        this.size = later();
    }
    static second = (log.push('field second'), this.first + 1);
    static reader = () => this.kind;
    static now = (() => `now:${this.kind}`)();
    static {
        log.push('block two');
        this.total = this.first + this.second;
    }
}

module.exports = function (req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        viaSuper: Child.viaSuper, parentKind: Child.parentKind, size: Child.size, total: Child.total,
        registry: [...Child.registry], log, reader: Child.reader.call(null), now: Child.now, own: Object.keys(Child).sort(),
    }));
};
