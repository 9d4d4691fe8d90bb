// TypeScript: async functions with generic Promise types, a typed
// reducer, tuples, function overloads, and a type guard on unknown.
type Result<T> = { ok: true; value: T } | { ok: false; error: string };

async function attempt<T>(fn: () => Promise<T>): Promise<Result<T>> {
    try { return { ok: true, value: await fn() }; }
    catch (e: unknown) { return { ok: false, error: e instanceof Error ? e.message : String(e) }; }
}
function pair(a: string): [string, number];
function pair(a: number): [number, string];
function pair(a: any): [any, any] { return typeof a === 'string' ? [a, a.length] : [a, String(a)]; }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export async function POST(req: any, res: any): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const results = await Promise.all([
        attempt(async () => 42),
        attempt<number>(async () => { throw new Error('nope'); }),
    ]);
    const total = [1, 2, 3].reduce<number>((acc, n) => acc + n, 0);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ results, total, pairs: [pair('abc'), pair(7)],
                             record: isRecord(parsed) ? Object.keys(parsed) : null }));
}
// @request POST /ts_async_generics {"x":1,"y":[2]}
