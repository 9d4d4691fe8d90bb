// Nullish coalescing against ||: 0, '', false and NaN are kept by ??;
// a chain with ?. and ??; ?? with a function call evaluated lazily.
// @request GET /syn_nullish?limit=0
// @request GET /syn_nullish
module.exports = function (req, res) {
    const q = new Map(req.url.includes('?') ? req.url.split('?')[1].split('&').map(p => p.split('=')) : []);
    let calls = 0;
    const fallback = () => { calls++; return 'fallback'; };
    const cfg = { zero: 0, empty: '', no: false, nan: NaN, nil: null };
    const out = {
        limit: Number(q.get('limit') ?? 25),
        limitOr: Number(q.get('limit') || 25),
        zero: cfg.zero ?? 1, zeroOr: cfg.zero || 1,
        empty: cfg.empty ?? 'x', no: cfg.no ?? true,
        nan: String(cfg.nan ?? 1), nil: cfg.nil ?? 'was null', undef: cfg.nothing ?? 'was undefined',
        lazy: cfg.zero ?? fallback(), lazy2: cfg.nil ?? fallback(), calls,
        chained: cfg.deep?.deeper ?? 'default', mixed: (cfg.nil || cfg.empty) ?? 'never',
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
