// let/const with block semantics: closures in loops see the value of their
// own iteration; a const cannot be assigned again; blocks shadow.
module.exports = function (req, res) {
    const fns = [];
    for (let i = 0; i < 3; i++) fns.push(() => i);
    const fromFor = fns.map(f => f());

    const fns2 = [];
    for (const k of ['a', 'b', 'c']) fns2.push(() => k);
    const fromForOf = fns2.map(f => f());

    const fns3 = [];
    for (const k in { x: 1, y: 2 }) fns3.push(() => k);
    const fromForIn = fns3.map(f => f());

    const fns4 = [];
    let j = 0;
    while (j < 3) { let captured = j * 10; fns4.push(() => captured); j++; }

    const limit = 5;
    let constError = 'none';
    try {
        limit = 6;
    } catch (e) {
        constError = e.constructor.name + (e instanceof TypeError ? ' is TypeError' : '');
    }

    let x = 'outer';
    {
        let x = 'inner';
        x += '!';
    }
    if (true) { const x = 'if-block'; }

    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ fromFor, fromForOf, fromForIn, fromWhile: fns4.map(f => f()),
                             limit, constError, x }));
};
