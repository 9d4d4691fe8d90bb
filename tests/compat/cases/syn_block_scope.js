// Block scoping edge cases: temporal dead zone, shadowing in switch cases
// and catch blocks, labels with let, function declarations in blocks.
module.exports = function (req, res) {
    const out = [];
    try {
        out.push(typeof early);   // in the TDZ: typeof throws too
        let early = 1;
    } catch (e) {
        out.push('tdz ' + (e instanceof ReferenceError));
    }

    const v = 'outer';
    switch (req.method) {
        case 'GET': {
            const v = 'case-block';
            out.push(v);
            break;
        }
        default:
            out.push('default');
    }
    out.push(v);

    try { throw new Error('boom'); } catch (err) { let v = err.message; out.push(v); }

    outer: for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 3; j++) {
            if (j === 1) continue outer;
            if (i === 2) break outer;
            out.push(`${i}${j}`);
        }
    }

    let fnsOverLoopVar = [];
    for (let i = 0; i < 3; i++) {
        fnsOverLoopVar.push(() => i);
        i++;                       // mutation inside the body is per-iteration too
    }
    out.push(fnsOverLoopVar.map(f => f()).join(','));

    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
