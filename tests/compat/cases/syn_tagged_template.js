// Tagged templates: the strings and values a tag gets, strings.raw,
// String.raw, and a tag that escapes HTML (the common use).
function escapeHtml(strings, ...values) {
    const esc = s => String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
    return strings.reduce((acc, s, i) => acc + s + (i < values.length ? esc(values[i]) : ''), '');
}
function inspectTag(strings, ...values) {
    return { strings: [...strings], raw: strings.raw, values, frozen: Object.isFrozen(strings) };
}
const sameSite = s => s;

module.exports = (req, res) => {
    const name = '<b>"Tom" & Jerry</b>';
    const a = sameSite`x`, b = sameSite`x`;
    const out = {
        html: escapeHtml`<p title="${name}">${name}</p>`,
        parts: inspectTag`a${1}b${'two'}c\n`,
        raw: String.raw`C:\temp\new ${1 + 1}`,
        empty: inspectTag``,
        cached: a === b,
    };
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(out));
};
