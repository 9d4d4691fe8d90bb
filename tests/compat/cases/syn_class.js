// Classes: constructor, methods, static members, getters and setters,
// computed method names, toString via template, instanceof.
let count = 0;
class Temperature {
    static create(c) { count++; return new Temperature(c); }
    static get created() { return count; }
    static get unit() { return 'C'; }

    constructor(celsius) { this._c = celsius; }
    get fahrenheit() { return this._c * 9 / 5 + 32; }
    set fahrenheit(f) { this._c = (f - 32) * 5 / 9; }
    ['to' + 'Json']() { return { c: this._c, f: this.fahrenheit }; }
    toString() { return `${this._c}${Temperature.unit}`; }
}

module.exports = function (req, res) {
    const t = Temperature.create(100);
    const u = Temperature.create(0);
    u.fahrenheit = 212;
    const desc = Object.getOwnPropertyDescriptor(Temperature.prototype, 'fahrenheit');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        t: t.toJson(), u: u.toJson(), str: String(t), created: Temperature.created,
        isInstance: t instanceof Temperature, typeofClass: typeof Temperature,
        accessor: typeof desc.get + '/' + typeof desc.set,
        methodEnumerable: Object.keys(Temperature.prototype).length,
        callWithoutNew: (() => { try { Temperature(1); return 'called'; } catch (e) { return e.constructor.name; } })(),
    }));
};
