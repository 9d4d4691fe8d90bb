// extends of a user class: super() and super.method(), inherited statics,
// overridden getters, instanceof along the chain, constructor.name.
class Shape {
    static describe() { return `a ${this.name}`; }
    constructor(name) { this.name = name; }
    area() { return 0; }
    get label() { return `${this.name}:${this.area()}`; }
}
class Rect extends Shape {
    constructor(w, h) { super('rect'); this.w = w; this.h = h; }
    area() { return this.w * this.h; }
}
class Square extends Rect {
    constructor(s) { super(s, s); this.name = 'square'; }
    get label() { return `[${super.label}]`; }
    area() { return super.area() + 0; }
}

module.exports = function (req, res) {
    const shapes = [new Shape('blob'), new Rect(2, 3), new Square(4)];
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        labels: shapes.map(s => s.label),
        statics: [Shape.describe(), Rect.describe(), Square.describe()],
        chain: [shapes[2] instanceof Square, shapes[2] instanceof Rect, shapes[2] instanceof Shape,
                shapes[1] instanceof Square],
        ctor: shapes.map(s => s.constructor.name),
        proto: Object.getPrototypeOf(Square) === Rect,
    }));
};
