/*
 * require('console'): the global console, as in Node.  Loading this module
 * also gives the global console the methods that are not written in C
 * (framework/js_console.c, which loads it the first time one of them is
 * called): time, timeEnd, timeLog, count, countReset, table, dir,
 * dirxml, assert, trace, group, groupCollapsed, groupEnd.  They write
 * through the C methods (log: info level, warn: warn, error: error,
 * debug: debug), and format with require('util') as console.log does.
 */
'use strict';

var util = require('util');
var con = global.console;
var log = con.log, warn = con.warn, debug = con.debug;
var hasOwn = Object.prototype.hasOwnProperty;
var timers = Object.create(null), counts = Object.create(null);

function now() {
  return performance.now();
}

function pad(n) {
  return n < 10 ? '0' + n : String(n);
}

// A duration in ms as Node prints it: "12.345ms", "1.500s", "1:02.003 (m:ss.mmm)".
function formatTime(ms) {
  var hours = 0, minutes = 0, seconds = 0;
  if (ms >= 1000) {
    if (ms >= 60000) {
      if (ms >= 3600000) {
        hours = Math.floor(ms / 3600000);
        ms = ms % 3600000;
      }
      minutes = Math.floor(ms / 60000);
      ms = ms % 60000;
    }
    seconds = ms / 1000;
  }
  if (hours !== 0 || minutes !== 0) {
    var parts = seconds.toFixed(3).split('.');
    var res = hours !== 0 ? hours + ':' + pad(minutes) : minutes;
    return res + ':' + pad(Number(parts[0])) + '.' + parts[1] + ' (' + (hours !== 0 ? 'h:m' : '') + 'm:ss.mmm)';
  }
  if (seconds !== 0) return seconds.toFixed(3) + 's';
  return Number(ms.toFixed(3)) + 'ms';
}

function labelOf(label) {
  return label === undefined ? 'default' : String(label);
}

// The elapsed time of label, or undefined (and a warning) if not started.
function elapsed(label, method) {
  if (!(label in timers)) {
    process.emitWarning("No such label '" + label + "' for console." + method + '()');
    return undefined;
  }
  return formatTime(now() - timers[label]);
}

// Node 20's table renderer (lib/internal/cli_table.js): cells padded on
// the right.
function renderRow(row, widths) {
  var out = '│ ';
  for (var i = 0; i < row.length; i++) {
    out += row[i] + new Array(widths[i] - row[i].length + 1).join(' ');
    if (i !== row.length - 1) out += ' │ ';
  }
  return out + ' │';
}

function renderTable(head, columns) {
  var rows = [], widths = head.map(function (h) { return h.length; }), i, j;
  var longest = Math.max.apply(null, columns.map(function (c) { return c.length; }));
  for (i = 0; i < head.length; i++) {
    for (j = 0; j < longest; j++) {
      if (rows[j] === undefined) rows[j] = [];
      var value = rows[j][i] = hasOwn.call(columns[i], j) && columns[i][j] !== undefined ? columns[i][j] : '';
      widths[i] = Math.max(widths[i] || 0, value.length);
    }
  }
  var divider = widths.map(function (w) { return new Array(w + 3).join('─'); });
  var out = '┌' + divider.join('┬') + '┐\n' + renderRow(head, widths) + '\n' + '├' + divider.join('┼') + '┤\n';
  for (j = 0; j < rows.length; j++) out += renderRow(rows[j], widths) + '\n';
  return out + '└' + divider.join('┴') + '┘';
}

function tableCell(v) {
  var depth = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 2 ? -1 : 0;
  return util.inspect(v, {depth: depth, maxArrayLength: 3, breakLength: Infinity});
}

function indexColumn(length) {
  var out = [];
  for (var i = 0; i < length; i++) out.push(tableCell(i));
  return out;
}

var methods = {
  time: function time(label) {
    label = labelOf(label);
    if (label in timers) {
      process.emitWarning("Label '" + label + "' already exists for console.time()");
      return;
    }
    timers[label] = now();
  },
  timeEnd: function timeEnd(label) {
    label = labelOf(label);
    var t = elapsed(label, 'timeEnd');
    if (t !== undefined) {
      log.call(con, label + ': ' + t);
      delete timers[label];
    }
  },
  timeLog: function timeLog(label) {
    label = labelOf(label);
    var t = elapsed(label, 'timeLog');
    if (t !== undefined) log.apply(con, [label + ': ' + t].concat(Array.prototype.slice.call(arguments, 1)));
  },
  count: function count(label) {
    label = labelOf(label);
    counts[label] = (counts[label] || 0) + 1;
    log.call(con, label + ': ' + counts[label]);
  },
  countReset: function countReset(label) {
    label = labelOf(label);
    if (!(label in counts)) {
      process.emitWarning("Count for '" + label + "' does not exist");
      return;
    }
    counts[label] = 0;
  },
  dir: function dir(object, options) {
    var opts = {customInspect: false};
    for (var k in options) opts[k] = options[k];
    log.call(con, util.inspect(object, opts));
  },
  dirxml: function dirxml() {
    log.apply(con, arguments);
  },
  assert: function assert(condition) {
    if (condition) return;
    var data = Array.prototype.slice.call(arguments, 1);
    if (typeof data[0] === 'string') data[0] = 'Assertion failed: ' + data[0];
    else data.unshift('Assertion failed');
    warn.apply(con, data);
  },
  // trace(...data): "Trace: data" and the stack, at level debug.
  trace: function trace() {
    var err = {name: 'Trace', message: util.format.apply(null, arguments)};
    Error.captureStackTrace(err);
    debug.call(con, err.stack.split('\n').filter(function (line) {
      return line.indexOf('(node:console') < 0;
    }).join('\n'));
  },
  // Groups print their label; the lines inside are not indented.
  group: function group() {
    if (arguments.length > 0) log.apply(con, arguments);
  },
  groupCollapsed: function groupCollapsed() {
    if (arguments.length > 0) log.apply(con, arguments);
  },
  groupEnd: function groupEnd() {},
  table: function table(data, properties) {
    if (data === null || typeof data !== 'object') return log.call(con, data);
    var i, k, keys, values;
    if (data instanceof Map) {
      keys = [];
      values = [];
      data.forEach(function (v, key) {
        keys.push(tableCell(key));
        values.push(tableCell(v));
      });
      return log.call(con, renderTable(['(iteration index)', 'Key', 'Values'], [indexColumn(keys.length), keys, values]));
    }
    if (data instanceof Set) {
      values = [];
      data.forEach(function (v) { values.push(tableCell(v)); });
      return log.call(con, renderTable(['(iteration index)', 'Values'], [indexColumn(values.length), values]));
    }
    var map = Object.create(null), order = [], hasPrimitives = false, valuesColumn = [];
    var index = Object.keys(data);
    for (i = 0; i < index.length; i++) {
      var item = data[index[i]];
      var primitive = item === null || typeof item !== 'function' && typeof item !== 'object';
      if (properties === undefined && primitive) {
        hasPrimitives = true;
        valuesColumn[i] = tableCell(item);
      } else {
        keys = properties || Object.keys(item);
        for (k = 0; k < keys.length; k++) {
          var key = keys[k];
          if (map[key] === undefined) {
            map[key] = [];
            order.push(key);
          }
          map[key][i] = primitive && properties || !hasOwn.call(item, key) ? '' : tableCell(item[key]);
        }
      }
    }
    var head = ['(index)'].concat(order), columns = [index].concat(order.map(function (key) { return map[key]; }));
    if (hasPrimitives) {
      head.push('Values');
      columns.push(valuesColumn);
    }
    return log.call(con, renderTable(head, columns));
  }
};

for (var name in methods) {
  Object.defineProperty(con, name, {value: methods[name], writable: true, enumerable: true, configurable: true});
}

module.exports = con;
