// tests/bench scenario "validate": POST /validate with an order of 20
// items (data/order-20.json). The body is checked against a schema-like
// table of rules (types, required fields, ranges, lengths, patterns,
// enums) and transformed: names trimmed and title-cased, SKUs
// upper-cased, prices in cents, tags deduplicated and sorted, totals per
// currency. 422 with the list of errors if a rule fails. Runs unchanged
// under Node (tests/bench/node/hello.js gives it req.json/res.json).
var ITEM_RULES = {
  sku: { type: 'string', required: true, pattern: /^[A-Za-z]{3}-\d{4}$/ },
  name: { type: 'string', required: true, minLength: 1, maxLength: 80 },
  qty: { type: 'integer', required: true, min: 1, max: 1000 },
  price: { type: 'number', required: true, min: 0, max: 100000 },
  currency: { type: 'string', required: true, enum: ['EUR', 'USD', 'GBP'] },
  tags: { type: 'array', items: 'string', maxItems: 10 },
  discount: { type: 'number', min: 0, max: 0.9 }
};
var ORDER_RULES = {
  id: { type: 'string', required: true, pattern: /^ord_[0-9a-z]{8,}$/ },
  email: { type: 'string', required: true, pattern: /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, maxLength: 254 },
  items: { type: 'array', required: true, minItems: 1, maxItems: 100 }
};

function typeOk(type, v) {
  if (type === 'integer') return typeof v === 'number' && Math.floor(v) === v;
  if (type === 'array') return Array.isArray(v);
  return typeof v === type;
}

// Errors of object obj against rules, each "where.field: what".
function check(obj, rules, where, errors) {
  if (obj === null || typeof obj !== 'object') {
    errors.push(where + ': not an object');
    return;
  }
  Object.keys(rules).forEach(function (field) {
    var r = rules[field], v = obj[field], at = where + '.' + field;
    if (v === undefined) {
      if (r.required) errors.push(at + ': required');
      return;
    }
    if (!typeOk(r.type, v)) return errors.push(at + ': must be ' + r.type);
    if (r.min !== undefined && v < r.min) errors.push(at + ': below ' + r.min);
    if (r.max !== undefined && v > r.max) errors.push(at + ': above ' + r.max);
    if (r.minLength !== undefined && v.length < r.minLength) errors.push(at + ': too short');
    if (r.maxLength !== undefined && v.length > r.maxLength) errors.push(at + ': too long');
    if (r.minItems !== undefined && v.length < r.minItems) errors.push(at + ': too few');
    if (r.maxItems !== undefined && v.length > r.maxItems) errors.push(at + ': too many');
    if (r.pattern && !r.pattern.test(v)) errors.push(at + ': bad format');
    if (r.enum && r.enum.indexOf(v) < 0) errors.push(at + ': not one of ' + r.enum.join(', '));
    if (r.items && !v.every(function (x) { return typeof x === r.items; })) errors.push(at + ': items must be ' + r.items);
  });
}

function titleCase(s) {
  return s.trim().split(/\s+/).map(function (w) {
    return w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
  }).join(' ');
}

function transform(item) {
  var cents = Math.round(item.price * 100);
  var total = Math.round(cents * item.qty * (1 - (item.discount || 0)));
  var tags = (item.tags || []).map(function (t) { return t.toLowerCase(); })
    .filter(function (t, i, all) { return all.indexOf(t) === i; }).sort();
  return { sku: item.sku.toUpperCase(), name: titleCase(item.name), qty: item.qty,
    unitCents: cents, totalCents: total, currency: item.currency, tags: tags };
}

exports.POST = function (req, res) {
  var order = req.json(), errors = [];
  check(order, ORDER_RULES, 'order', errors);
  if (!errors.length) {
    order.items.forEach(function (item, i) { check(item, ITEM_RULES, 'items[' + i + ']', errors); });
  }
  if (errors.length) return res.json({ ok: false, errors: errors }, 422);
  var items = order.items.map(transform);
  var totals = items.reduce(function (acc, it) {
    acc[it.currency] = (acc[it.currency] || 0) + it.totalCents;
    return acc;
  }, {});
  res.json({ ok: true, id: order.id, email: order.email.toLowerCase(), count: items.length,
    totals: totals, items: items });
};
