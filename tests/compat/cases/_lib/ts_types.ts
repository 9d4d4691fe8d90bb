// A TypeScript helper module, imported by ts_import_types.ts.
export interface Item { sku: string; price: number; tags?: string[]; }
export const TAX = 0.2;
export function priceWithTax(item: Item): number {
    return Math.round(item.price * (1 + TAX) * 100) / 100;
}
