// Template literals: interpolation, expressions, nesting, multi-line text,
// escapes, and a template as an object key.
const user = { first: 'Ada', last: 'Lovelace', langs: ['en', 'fr'] };
module.exports = (req, res) => {
    const n = 3;
    const html = `<ul>
${user.langs.map((l, i) => `  <li data-i="${i}">${l.toUpperCase()}</li>`).join('\n')}
</ul>`;
    const key = `k${n}`;
    const body = [
        `Hello, ${user.first} ${user.last}!`,
        `${n} + ${n} = ${n + n}; ${n > 2 ? 'big' : 'small'}`,
        `escaped: \${not} \` backtick \u0041 \x42`,
        `method=${req.method} url=${req.url}`,
        html,
        JSON.stringify({ [key]: `${null} ${undefined} ${[1, 2]} ${{}}` }),
    ].join('\n');
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(body);
};
