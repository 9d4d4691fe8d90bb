// TypeScript classes: parameter properties with access modifiers,
// readonly, optional parameters, abstract classes, implements, static,
// and generics on a class.
interface Shape { area(): number; }
abstract class Base implements Shape {
    protected static created = 0;
    constructor(public readonly name: string, private secret?: string) { Base.created++; }
    abstract area(): number;
    describe(prefix?: string): string { return `${prefix ?? 'shape'} ${this.name} ${this.area().toFixed(1)}`; }
    hasSecret(): boolean { return this.secret !== undefined; }
    static count(): number { return Base.created; }
}
class Circle extends Base {
    constructor(private r: number) { super('circle', 'pi'); }
    area(): number { return Math.PI * this.r ** 2; }
}
class Box<T> {
    private items: T[] = [];
    add(item: T): this { this.items.push(item); return this; }
    get size(): number { return this.items.length; }
}

export function GET(req: any, res: any): void {
    const c = new Circle(2);
    const shapes: Shape[] = [c];
    const box = new Box<string>().add('a').add('b');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        describe: [c.describe(), c.describe('round')], name: c.name, secret: c.hasSecret(),
        own: Object.keys(c).sort(), count: Base.count(), size: box.size, areas: shapes.length,
    }));
}
