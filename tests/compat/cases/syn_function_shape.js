// What a function says about itself: an arrow's inferred name, no
// prototype and no new; a class called without new (V8's message); the
// length of functions, methods, arrows and constructors with defaults;
// this inside an arrow in a derived constructor and in a method.
const named = (a, b) => a + b;
// (Not a name that is no identifier, { 'a-b': () => 2 }: Duktape names no
// method whose key is a string literal, and the lowered arrow is one.)
const holder = { prop: () => 1 };
let assigned;
assigned = () => 3;
class Point {
    constructor(x, y = 0) { this.x = x; this.y = y; }
    scaled(k = 2, unused) { return [this.x, this.y].map(v => v * k); }
}
class Point3 extends Point {
    constructor(x, y, z = 0) { super(x, y); this.z = z; this.sum = () => this.x + this.y + this.z; }
}
function withDefaults(a, b = 1, c) { return a + b + (c || 0); }
const arrowDefaults = (a, b = 2, ...rest) => a + b + rest.length;

module.exports = function (req, res) {
    const attempt = (fn) => { try { return fn(); } catch (e) { return e.constructor.name + ': ' + e.message; } };
    const p = new Point3(1, 2, 3);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        names: [named.name, holder.prop.name, assigned.name, (() => 0).name],
        arrowProto: ['prototype' in named, typeof named],
        newArrow: attempt(() => { new named(); return 'constructed'; }).split(':')[0],
        callClass: [attempt(() => Point(1)), attempt(() => Point3(1))],
        lengths: [Point.length, Point3.length, Point.prototype.scaled.length, withDefaults.length,
                  arrowDefaults.length, named.length],
        values: [p.sum(), p.scaled(), p.scaled(3), withDefaults(1), arrowDefaults(1, undefined, 9)],
        instance: [p instanceof Point, p.constructor === Point3],
    }));
};
