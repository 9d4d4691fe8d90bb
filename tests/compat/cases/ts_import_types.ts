// TypeScript: `import type` and a value import from a helper written in
// TypeScript, type-only exports, declare, and namespaces of types.
import type { Item } from './_lib/ts_types';
import { priceWithTax, TAX } from './_lib/ts_types';

declare const SOMETHING_ONLY_TYPED: string;
export type { Item };

const items: Item[] = [{ sku: 'a1', price: 10 }, { sku: 'b2', price: 2.5, tags: ['sale'] }];

export function GET(req: unknown, res: { setHeader(n: string, v: string): void; end(b: string): void }) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        tax: TAX, totals: items.map(i => priceWithTax(i)),
        tagged: items.filter(i => i.tags?.length).map(i => i.sku),
        declared: typeof SOMETHING_ONLY_TYPED === 'undefined' ? 'not defined at run time' : 'defined',
    }));
}
