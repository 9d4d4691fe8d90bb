// super in an object literal's methods: the prototype of the literal (its
// home object) as set with __proto__ or Object.setPrototypeOf later, read
// with the caller's this; through an arrow, with a computed key, from a
// getter, as a call, an assignment (lands on this, not on the prototype),
// and from an object that inherits the method (still the home's parent).
const base = {
    greet() { return `base:${this.name}`; },
    get label() { return `label:${this.name}`; },
    count: 1,
};
const child = {
    __proto__: base,
    name: 'child',
    greet() { return `child>${super.greet()}`; },
    get label() { return `[${super.label}]`; },
    viaArrow() { const f = () => super.greet(); return f(); },
    computed(k) { return super[k]; },
    bump() { super.count = super.count + 10; return [this.count, base.count]; },
};
const late = {
    name: 'late',
    greet() { return `late>${super.greet()}`; },
    toString() { return `T${super.toString()}`; },
};
Object.setPrototypeOf(late, base);
const heir = Object.create(child);
heir.name = 'heir';

module.exports = function (req, res) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        greet: child.greet(), label: child.label, arrow: child.viaArrow(),
        computed: child.computed('count'), bump: child.bump(),
        own: Object.keys(child), protoIsBase: Object.getPrototypeOf(child) === base,
        late: [late.greet(), String(late)], heir: [heir.greet(), heir.label],
    }));
};
