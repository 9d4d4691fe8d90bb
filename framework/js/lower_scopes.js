/*
 * The lowering's transformers about names and scopes (framework/js/lower.js
 * runs them; compiled with it, before it, into the compiler's bytecode):
 * const assignment and the temporal dead zone, default parameters' scope,
 * `arguments` in arrows, and iterable arguments objects.
 *
 * Defines eiderLowerScopes: { constGuard, parameterScope, arrowArguments,
 * iterableArguments }, each a TypeScript transformer factory.
 */
var eiderLowerScopes = (function () {
  'use strict';

  var SK = ts.SyntaxKind;

  // A scope: the names declared in it, whether a var goes there, and
  // where each let, const and class binding is initialized (its `tdz`:
  // the end of its declaration, or the start of its class).
  function Scope(parent, isFunction) {
    this.parent = parent;
    this.isFunction = isFunction;
    this.names = Object.create(null);
    this.tdz = Object.create(null);
  }
  Scope.prototype.kindOf = function (name) {
    for (var s = this; s; s = s.parent) {
      if (name in s.names) return s.names[name];
    }
    return undefined;
  };

  function functionScope(s) {
    while (!s.isFunction) s = s.parent;
    return s;
  }

  // Declares every identifier of a binding name (maybe a pattern); a let
  // or const one is initialized at the end of DECL, or of its own element.
  function declare(name, scope, kind, decl) {
    if (!name) return;
    if (name.kind === SK.Identifier) {
      scope.names[name.text] = kind;
      if (decl) scope.tdz[name.text] = decl.end;
      else delete scope.tdz[name.text];
    } else if (name.elements) {
      name.elements.forEach(function (e) { if (e.name) declare(e.name, scope, kind, decl && e); });
    }
  }

  // Pass 1: the scope of every node that opens one, as node.eiderScope,
  // with what each declares (var hoisted to its function).
  function collect(node, scope) {
    var inner = scope;
    if (node.kind === SK.PropertyDeclaration && node.initializer
        && !(ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Static)) {
      // An instance field's value is computed by the constructor, later.
      inner = node.eiderScope = new Scope(scope, true);
    } else if (ts.isFunctionLike(node)) {
      inner = node.eiderScope = new Scope(scope, true);
      if (node.kind === SK.FunctionDeclaration) declare(node.name, scope, 'let');
      else if (node.name && node.name.kind === SK.Identifier) declare(node.name, inner, 'let');
      (node.parameters || []).forEach(function (p) { declare(p.name, inner, 'let'); });
      // The body is a scope of its own (a default parameter's value does
      // not see the body's let and const).
    } else if ((node.kind === SK.Block && !node.eiderScope) || node.kind === SK.CaseBlock
               || node.kind === SK.ForStatement || node.kind === SK.ForInStatement
               || node.kind === SK.ForOfStatement || node.kind === SK.CatchClause) {
      inner = node.eiderScope = new Scope(scope, false);
      if (node.kind === SK.CatchClause && node.variableDeclaration) {
        declare(node.variableDeclaration.name, inner, 'let');
      }
    } else if (node.kind === SK.VariableDeclarationList) {
      var flags = node.flags, kind = flags & ts.NodeFlags.Const ? 'const'
        : flags & ts.NodeFlags.Let ? 'let' : 'var';
      node.declarations.forEach(function (d) {
        declare(d.name, kind === 'var' ? functionScope(scope) : scope, kind, kind === 'var' ? null : d);
      });
    } else if (node.kind === SK.ClassDeclaration) {
      declare(node.name, scope, 'let', { end: node.getStart() });
    } else if (node.kind === SK.EnumDeclaration) {
      declare(node.name, scope, 'let');
    } else if (node.kind === SK.ImportClause) {
      // Imported bindings cannot be assigned either.
      declare(node.name, scope, 'const');
      var nb = node.namedBindings;
      if (nb && nb.kind === SK.NamespaceImport) declare(nb.name, scope, 'const');
      if (nb && nb.elements) nb.elements.forEach(function (e) { declare(e.name, scope, 'const'); });
    }
    ts.forEachChild(node, function (child) { collect(child, inner); });
  }

  // Assigning a const throws a TypeError, as in V8: the identifier as an
  // assignment target becomes an accessor whose setter throws, which is
  // also valid inside destructuring, compound assignment and ++.
  // Reading a let, const or class before it is initialized throws a
  // ReferenceError (the temporal dead zone) where that is certain from the
  // text: a read placed before the declaration, in the same function (not
  // in a closure, which may run later), becomes __eiderTDZ("x"), which
  // throws. Such code only ever throws, so nothing else pays: a closure
  // that runs too early still reads undefined.
  function constGuard(context) {
    var f = context.factory, scope;

    function inTdz(id) {
      if (id.kind !== SK.Identifier || ts.isAssignmentTarget(id)) return false;
      var p = id.parent;
      if (p.kind !== SK.ShorthandPropertyAssignment && ts.isDeclarationName(id)) return false;
      if (p.kind === SK.ShorthandPropertyAssignment ? p.name !== id
          : !ts.isExpressionNode(id) || ts.isPartOfTypeNode(id)
            || (p.kind === SK.PropertyAccessExpression && p.name === id)) return false;
      for (var s = scope; s; s = s.parent) {
        if (id.text in s.names) return id.text in s.tdz && id.pos < s.tdz[id.text];
        if (s.isFunction) return false;
      }
      return false;
    }

    function tdz(id) {
      return ts.setTextRange(f.createCallExpression(f.createIdentifier('__eiderTDZ'), undefined,
        [f.createStringLiteral(id.text)]), id);
    }

    function target(id) {
      return ts.setTextRange(f.createPropertyAccessExpression(f.createParenthesizedExpression(
        f.createObjectLiteralExpression([
          f.createGetAccessorDeclaration(undefined, undefined, 'v', [], undefined,
            f.createBlock([f.createReturnStatement(f.createIdentifier(id.text))])),
          f.createSetAccessorDeclaration(undefined, undefined, 'v',
            [f.createParameterDeclaration(undefined, undefined, undefined, '_')],
            f.createBlock([f.createThrowStatement(f.createNewExpression(f.createIdentifier('TypeError'),
              undefined, [f.createStringLiteral('Assignment to constant variable.')]))]))
        ])), 'v'), id);
    }

    function isConstTarget(id) {
      return id.kind === SK.Identifier && ts.isAssignmentTarget(id) && scope.kindOf(id.text) === 'const';
    }

    function visit(node) {
      var saved = scope, out;
      if (node.eiderScope) scope = node.eiderScope;
      if (node.kind === SK.ShorthandPropertyAssignment && isConstTarget(node.name)) {
        var t = target(node.name);
        if (node.objectAssignmentInitializer) {
          t = f.createBinaryExpression(t, SK.EqualsToken, ts.visitNode(node.objectAssignmentInitializer, visit));
        }
        out = f.createPropertyAssignment(node.name.text, t);
      } else if (node.kind === SK.ShorthandPropertyAssignment && inTdz(node.name)) {
        out = f.createPropertyAssignment(node.name.text, tdz(node.name));
      } else if (isConstTarget(node)) {
        out = target(node);
      } else if (inTdz(node)) {
        out = tdz(node);
      } else {
        out = ts.visitEachChild(node, visit, context);
      }
      scope = saved;
      return out;
    }

    return function (sf) {
      if (!/\bconst\b|\bimport\b|\blet\b|\bclass\b/.test(sf.text)) return sf;
      scope = sf.eiderScope = new Scope(null, true);
      collect(sf, scope);
      return ts.visitEachChild(sf, visit, context);
    };
  }

  // `arguments` inside an arrow function is the enclosing function's: the
  // ES5 output makes the arrow a function with arguments of its own, so
  // the enclosing function keeps them in a variable (TypeScript only
  // reports this for ES5, as a type error we never see).
  function arrowArguments(context) {
    var f = context.factory, NAME = '_eider_arguments';

    function isBoundary(node) {
      return ts.isFunctionLike(node) && node.kind !== SK.ArrowFunction;
    }

    // Rewrites uses inside arrows below node (not below a nested function);
    // returns [node, whether any was rewritten].
    function rewrite(node, inArrow, used) {
      return ts.visitEachChild(node, function visit(child) {
        if (child.kind === SK.Identifier && child.text === 'arguments' && inArrow.v
            && !(child.parent && child.parent.kind === SK.PropertyAccessExpression && child.parent.name === child)) {
          used.v = true;
          return ts.setTextRange(f.createIdentifier(NAME), child);
        }
        if (isBoundary(child)) return capture(child);
        if (child.kind === SK.ArrowFunction) {
          var saved = inArrow.v;
          inArrow.v = true;
          var out = ts.visitEachChild(child, visit, context);
          inArrow.v = saved;
          return out;
        }
        return ts.visitEachChild(child, visit, context);
      }, context);
    }

    // A function whose arrows use `arguments` gets `var NAME = arguments;`.
    function capture(fn) {
      var used = { v: false }, out = rewrite(fn, { v: false }, used);
      if (!used.v || !out.body || out.body.kind !== SK.Block) return out;
      var decl = f.createVariableStatement(undefined, [f.createVariableDeclaration(NAME, undefined, undefined,
        f.createIdentifier('arguments'))]);
      // A copy of the function node with the new body: the factory has an
      // update function per kind of function, cloneNode serves them all.
      var copy = f.cloneNode(out);
      copy.body = f.updateBlock(out.body, [decl].concat(out.body.statements));
      return ts.setTextRange(copy, out);
    }

    return function (sf) {
      if (sf.text.indexOf('arguments') < 0 || sf.text.indexOf('=>') < 0) return sf;
      var used = { v: false }, out = rewrite(sf, { v: false }, used);
      if (!used.v) return out;
      // At the top level, the module wrapper's arguments.
      return f.updateSourceFile(out, [f.createVariableStatement(undefined, [f.createVariableDeclaration(
        NAME, undefined, undefined, f.createIdentifier('arguments'))])].concat(out.statements));
    };
  }

  // An arguments object is iterable in the language (an own
  // [Symbol.iterator], Array.prototype.values), not in Duktape, whose
  // arguments objects have Object.prototype's members only. A function
  // that hands its arguments object to other code as a whole
  // (Array.from(arguments), new Set(arguments), arguments[Symbol.iterator],
  // a destructuring with a rest element) starts with
  //   __eiderIterableArguments(arguments);
  // Uses that work with any array-like (arguments[i], arguments.length,
  // f.apply(t, arguments), slice.call(arguments), ...arguments, for...of
  // over it: tslib's helpers take array-likes) add nothing, so the usual
  // wrappers pay nothing.
  function iterableArguments(context) {
    var f = context.factory;

    function isArguments(n) {
      return n && n.kind === SK.Identifier && n.text === 'arguments';
    }

    function hasRest(pattern) {
      return pattern.elements.some(function (e) {
        return e.kind === SK.SpreadElement || (e.kind === SK.BindingElement && e.dotDotDotToken);
      });
    }

    // Whether BODY (through its arrows) uses its arguments object as a whole.
    function usedWhole(body) {
      var found = false;
      function walk(n) {
        if (found) return;
        if (n !== body && (ts.isClassLike(n) || (ts.isFunctionLike(n) && n.kind !== SK.ArrowFunction))) return;
        switch (n.kind) {
        case SK.Identifier:
          if (isArguments(n)) found = true;
          return;
        case SK.PropertyAccessExpression:
          if (isArguments(n.expression)) return;
          break;
        case SK.ElementAccessExpression:
          if (isArguments(n.expression)) {
            var k = n.argumentExpression;
            if (k.kind === SK.PropertyAccessExpression && k.expression.kind === SK.Identifier
                && k.expression.text === 'Symbol') found = true;
            else walk(k);
            return;
          }
          break;
        case SK.CallExpression:
          var callee = n.expression, args = n.arguments;
          var name = callee.kind === SK.PropertyAccessExpression && callee.name.kind === SK.Identifier
            ? callee.name.text : '';
          if ((name === 'apply' && isArguments(args[1])) || (name === 'call' && isArguments(args[0]))) {
            walk(callee);
            args.forEach(function (a) { if (!isArguments(a)) walk(a); });
            return;
          }
          break;
        case SK.SpreadElement:
        case SK.SpreadAssignment:
          if (isArguments(n.expression)) return;
          break;
        case SK.ForOfStatement:
          if (isArguments(n.expression)) { walk(n.initializer); walk(n.statement); return; }
          break;
        case SK.VariableDeclaration:
          if (isArguments(n.initializer) && n.name.kind === SK.ArrayBindingPattern && !hasRest(n.name)) {
            walk(n.name);
            return;
          }
          break;
        }
        ts.forEachChild(n, walk);
      }
      walk(body);
      return found;
    }

    function visit(node) {
      node = ts.visitEachChild(node, visit, context);
      if (!ts.isFunctionLike(node) || node.kind === SK.ArrowFunction || !node.body
          || node.body.kind !== SK.Block || !usedWhole(node.body)) return node;
      var statements = node.body.statements, at = 0;
      // After the directive prologue ('use strict' stays a directive).
      while (at < statements.length && statements[at].kind === SK.ExpressionStatement
             && statements[at].expression.kind === SK.StringLiteral) at++;
      var call = f.createExpressionStatement(f.createCallExpression(f.createIdentifier('__eiderIterableArguments'),
        undefined, [f.createIdentifier('arguments')]));
      var copy = f.cloneNode(node);
      copy.body = f.updateBlock(node.body, statements.slice(0, at).concat([call], statements.slice(at)));
      return ts.setTextRange(copy, node);
    }

    return function (sf) {
      return /\barguments\b/.test(sf.text) ? ts.visitEachChild(sf, visit, context) : sf;
    };
  }

  // A function with default or destructured parameters has its parameters
  // in a scope of their own, apart from the body's vars: in
  //   function f(x, g = () => x) { var x = 2; return g(); }
  // g sees the parameter x (1 for f(1)) and the body's x starts as a copy
  // of it. TypeScript's ES5 output has one scope for both, so the closure
  // saw the body's x. Where a closure in the parameters names a parameter
  // that the body declares again (var, or function), that parameter is
  // renamed in the parameter list, and the body starts with
  //   var x = x_1;
  // (not for a function declaration, which sets the body's x itself).
  function parameterScope(context) {
    var f = context.factory;

    // Calls FN(identifier) for each name bound by a binding name.
    function eachBound(name, fn) {
      if (name.kind === SK.Identifier) fn(name);
      else name.elements.forEach(function (e) { if (e.name) eachBound(e.name, fn); });
    }

    // The names read or bound anywhere inside closures within the
    // parameters (too many is harmless: one more copy), and those a
    // closure binds itself (never renamed: a rename would cross it).
    function closureNames(params) {
      var used = Object.create(null), bound = Object.create(null);
      function walk(n, inClosure) {
        if (ts.isFunctionLike(n)) {
          inClosure = true;
          (n.parameters || []).forEach(function (p) { eachBound(p.name, function (id) { bound[id.text] = 1; }); });
        }
        if (inClosure && n.kind === SK.Identifier) used[n.text] = 1;
        if (inClosure && n.kind === SK.VariableDeclaration) eachBound(n.name, function (id) { bound[id.text] = 1; });
        ts.forEachChild(n, function (c) { walk(c, inClosure); });
      }
      params.forEach(function (p) { walk(p, false); });
      return { used: used, bound: bound };
    }

    // The names the body declares with var (kind 'var') or as a function
    // (kind 'function'), not inside nested functions.
    function bodyNames(body) {
      var out = Object.create(null);
      (function walk(n) {
        if (n !== body && ts.isFunctionLike(n)) {
          if (n.kind === SK.FunctionDeclaration && n.name && n.parent === body) out[n.name.text] = 'function';
          return;
        }
        if (n.kind === SK.VariableDeclarationList && !(n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) {
          n.declarations.forEach(function (d) {
            eachBound(d.name, function (id) { if (!out[id.text]) out[id.text] = 'var'; });
          });
        }
        if (ts.isClassLike(n)) return;
        ts.forEachChild(n, walk);
      })(body);
      body.statements.forEach(function (s) {
        if (s.kind === SK.FunctionDeclaration && s.name) out[s.name.text] = 'function';
      });
      return out;
    }

    // The parameters with the names of RENAMED (name -> identifier)
    // replaced where they are references or bindings.
    function renameIn(params, renamed) {
      function ref(id) {
        return id.kind === SK.Identifier && renamed[id.text] ? renamed[id.text] : undefined;
      }
      function visit(n) {
        var r;
        if (n.kind === SK.Identifier) return ref(n) || n;
        switch (n.kind) {
        case SK.PropertyAccessExpression:
          return f.updatePropertyAccessExpression(n, ts.visitNode(n.expression, visit), n.name);
        case SK.ShorthandPropertyAssignment:
          return (r = ref(n.name)) ? ts.setTextRange(f.createPropertyAssignment(n.name.text, r), n) : n;
        case SK.BindingElement:
          if (!n.propertyName && (r = ref(n.name))) {
            return f.updateBindingElement(n, n.dotDotDotToken, f.createIdentifier(n.name.text), r,
              ts.visitNode(n.initializer, visit));
          }
          return f.updateBindingElement(n, n.dotDotDotToken, n.propertyName && ts.visitNode(n.propertyName, visitName),
            ts.visitNode(n.name, visit), ts.visitNode(n.initializer, visit));
        case SK.MetaProperty:
        case SK.LabeledStatement:
        case SK.BreakStatement:
        case SK.ContinueStatement:
          return n;
        }
        if (n.name && n.name.kind === SK.Identifier && n.kind !== SK.Parameter && n.kind !== SK.VariableDeclaration) {
          // A member's or a function expression's own name is no reference.
          var name = n.name;
          return ts.visitEachChild(n, function (c) { return c === name ? c : visit(c); }, context);
        }
        return ts.visitEachChild(n, visit, context);
      }
      function visitName(n) {
        return n.kind === SK.ComputedPropertyName ? ts.visitEachChild(n, visit, context) : n;
      }
      return ts.visitNodes(params, visit);
    }

    function rescope(node) {
      var params = node.parameters;
      if (!params.some(function (p) { return p.initializer || p.name.kind !== SK.Identifier; })) return node;
      var names = closureNames(params), declared = bodyNames(node.body), renamed = null, copies = [];
      params.forEach(function (p) {
        eachBound(p.name, function (id) {
          var t = id.text;
          if (!names.used[t] || names.bound[t] || !declared[t]) return;
          renamed = renamed || Object.create(null);
          renamed[t] = f.createUniqueName(t);
          if (declared[t] === 'var') {
            copies.push(f.createVariableStatement(undefined, [f.createVariableDeclaration(t, undefined, undefined,
              renamed[t])]));
          }
        });
      });
      if (!renamed) return node;
      var copy = f.cloneNode(node);
      copy.parameters = renameIn(params, renamed);
      copy.body = f.updateBlock(node.body, copies.concat(node.body.statements));
      return ts.setTextRange(copy, node);
    }

    function visit(node) {
      node = ts.visitEachChild(node, visit, context);
      if (ts.isFunctionLike(node) && node.body && node.body.kind === SK.Block && node.parameters) return rescope(node);
      return node;
    }

    return function (sf) {
      return ts.visitEachChild(sf, visit, context);
    };
  }

  return {
    constGuard: constGuard, parameterScope: parameterScope, arrowArguments: arrowArguments,
    iterableArguments: iterableArguments
  };
})();
