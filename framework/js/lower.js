/*
 * The lowering driver: runs in the compiler's own Duktape heap (never a
 * worker's), after the prelude and Debian's typescript.js, all three
 * compiled together to bytecode at build time (framework/tools/jsbc.c).
 *
 * Contract with framework/lower_helper.c:
 *   eiderLower(fileName, text)
 *       fileName  the user's file; ".ts" is TypeScript (types stripped,
 *                 never checked), anything else JavaScript (ES2020 and
 *                 ES module syntax)
 *       returns   [code, map]: ES5 CommonJS and its source map (JSON)
 *       throws    a string "LINE:COL: message" (1-based) for the first
 *                 syntax error in the user's text
 *   eiderCompilerVersion: the TypeScript version, for the cache key.
 *
 * Helpers (__extends, __values, ...) are not emitted into each file:
 * workers define them once, lazily, from tslib (noEmitHelpers); async
 * functions call eider's own __eiderAsync and __eiderAwait.
 */
var eiderCompilerVersion = ts.version;

var eiderLower = (function () {
  'use strict';

  var options = {
    target: ts.ScriptTarget.ES5,
    module: ts.ModuleKind.CommonJS,
    downlevelIteration: true,      // for...of and spread over Map, Set, strings
    esModuleInterop: true,         // import x from 'cjs' gets module.exports
    noEmitHelpers: true,
    importHelpers: false,
    // JavaScript classes as Node runs them: methods and fields defined
    // (not assigned: methods are not enumerable, and a static
    // [Symbol.hasInstance] does not hit the read-only inherited one).
    // TypeScript files keep tsc's default for ES5, where a field declared
    // without a value is only a type.
    useDefineForClassFields: true,
    isolatedModules: true,
    sourceMap: true,
    inlineSources: false,
    removeComments: true,
    newLine: ts.NewLineKind.LineFeed
  };

  // "LINE:COL: message" of a diagnostic (TypeScript counts from 0).
  function describe(d) {
    var text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return '1:1: ' + text;
    var at = d.file.getLineAndCharacterOfPosition(d.start);
    return (at.line + 1) + ':' + (at.character + 1) + ': ' + text;
  }

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

  // async functions run as Duktape coroutines rather than TypeScript's
  // generator state machines (about half the instructions per call):
  //   async function f(a) { return g(await x); }
  // becomes
  //   function f(a) { return __eiderAsync(() => { return g(__eiderAwait(x)); }); }
  // where __eiderAsync runs the arrow in a Duktape.Thread and resumes it
  // each time an awaited value settles (framework/js/lib/eider/async.js).
  // The arrow keeps this and arguments. Async generators and functions
  // with `for await` are left to TypeScript.
  function asyncCoroutines(context) {
    var f = context.factory;

    function hasForAwait(body) {
      var found = false;
      (function walk(n) {
        if (found || (n !== body && ts.isFunctionLike(n))) return;
        if (n.kind === SK.ForOfStatement && n.awaitModifier) found = true;
        else ts.forEachChild(n, walk);
      })(body);
      return found;
    }

    function convertible(node) {
      return (node.kind === SK.FunctionDeclaration || node.kind === SK.FunctionExpression
              || node.kind === SK.ArrowFunction || node.kind === SK.MethodDeclaration)
        && node.body && !node.asteriskToken && node.modifiers
        && node.modifiers.some(function (m) { return m.kind === SK.AsyncKeyword; })
        && !hasForAwait(node.body);
    }

    // Inside a converted function: its own awaits become __eiderAwait(x).
    function visitBody(n) {
      if (n.kind === SK.AwaitExpression) {
        return ts.setTextRange(f.createCallExpression(f.createIdentifier('__eiderAwait'), undefined,
          [ts.visitNode(n.expression, visitBody)]), n);
      }
      if (ts.isFunctionLike(n)) return visit(n);
      return ts.visitEachChild(n, visitBody, context);
    }

    function visit(node) {
      if (!convertible(node)) return ts.visitEachChild(node, visit, context);
      var modifiers = node.modifiers.filter(function (m) { return m.kind !== SK.AsyncKeyword; });
      var inner = node.body.kind === SK.Block ? ts.visitEachChild(node.body, visitBody, context)
        : visitBody(node.body);
      var call = f.createCallExpression(f.createIdentifier('__eiderAsync'), undefined, [
        f.createArrowFunction(undefined, undefined, [], undefined,
          f.createToken(SK.EqualsGreaterThanToken), inner)]);
      var body = node.kind === SK.ArrowFunction && node.body.kind !== SK.Block ? call
        : ts.setTextRange(f.createBlock([f.createReturnStatement(call)], true), node.body);
      modifiers = modifiers.length ? modifiers : undefined;
      switch (node.kind) {
      case SK.FunctionDeclaration:
        return f.updateFunctionDeclaration(node, modifiers, node.asteriskToken, node.name,
          node.typeParameters, node.parameters, node.type, body);
      case SK.FunctionExpression:
        return f.updateFunctionExpression(node, modifiers, node.asteriskToken, node.name,
          node.typeParameters, node.parameters, node.type, body);
      case SK.ArrowFunction:
        return f.updateArrowFunction(node, modifiers, node.typeParameters, node.parameters, node.type,
          node.equalsGreaterThanToken, body);
      default:
        return f.updateMethodDeclaration(node, modifiers, node.asteriskToken, node.name,
          node.questionToken, node.typeParameters, node.parameters, node.type, body);
      }
    }

    return function (sf) {
      return /\basync\b/.test(sf.text) ? ts.visitEachChild(sf, visit, context) : sf;
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

  // Every regular expression literal becomes __eiderRegExp(body, flags):
  // a RegExp on PCRE2 (prelude_regexp.js), compiled once per heap for
  // each distinct pattern, whatever syntax Duktape's own engine would
  // refuse (named groups, lookbehind, the s, u, y and d flags, \p{...}).
  // Each is checked here (__eiderRegExpCheck, lower_helper.c), so that a
  // pattern PCRE2 cannot run fails the load at its file:line:column.
  function regExpLiterals(context) {
    var f = context.factory, sf;
    function visit(node) {
      if (node.kind === SK.RegularExpressionLiteral) {
        var text = node.text, end = text.lastIndexOf('/');
        var body = text.slice(1, end), flags = text.slice(end + 1);
        var why = typeof __eiderRegExpCheck === 'function' ? __eiderRegExpCheck(body, flags) : undefined;
        if (why !== undefined) {
          var at = sf.getLineAndCharacterOfPosition(node.getStart(sf));
          throw (at.line + 1) + ':' + (at.character + 1) + ': Invalid regular expression: ' + text + ': ' + why;
        }
        return ts.setTextRange(f.createCallExpression(f.createIdentifier('__eiderRegExp'), undefined,
          [f.createStringLiteral(body), f.createStringLiteral(flags)]), node);
      }
      return ts.visitEachChild(node, visit, context);
    }
    return function (file) {
      sf = file;
      return ts.visitEachChild(file, visit, context);
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

  // Object literals, where ES5 output and Duktape differ from the language:
  // `__proto__: p` (below, literal) and super in methods.
  // super in an object literal's method, getter or setter reads from the
  // prototype of the literal itself (its home object), whatever `this` is:
  // TypeScript's ES5 output names a _super that does not exist there.
  // Before TypeScript's own lowering, the literal is kept in a temporary
  // (hoisted to the enclosing function) and, in its methods and their
  // arrows,
  //   super.x        becomes __eiderSuperGet(Object.getPrototypeOf(_a), "x", this)
  //   super.m(...)   becomes __eiderSuperGet(...).call(this, ...)
  //   super.x = v    becomes __eiderSuperSet(Object.getPrototypeOf(_a), "x", v, this)
  // (the prototype looked up at each use, as setPrototypeOf may change it).
  function objectLiterals(context) {
    var f = context.factory;

    function isOwnMember(m) {
      return m.kind === SK.MethodDeclaration || m.kind === SK.GetAccessor || m.kind === SK.SetAccessor;
    }

    // Whether BODY uses super for its home object (through arrows, not
    // through other functions or classes, which have homes of their own).
    function usesSuper(body) {
      var found = false;
      (function walk(n) {
        if (found) return;
        if (n.kind === SK.SuperKeyword) { found = true; return; }
        if (n !== body && (ts.isClassLike(n) || (ts.isFunctionLike(n) && n.kind !== SK.ArrowFunction))) return;
        ts.forEachChild(n, walk);
      })(body);
      return found;
    }

    function superKey(access) {
      return access.kind === SK.PropertyAccessExpression ? f.createStringLiteral(ts.idText(access.name))
        : access.argumentExpression;
    }

    function isSuperAccess(n) {
      return (n.kind === SK.PropertyAccessExpression || n.kind === SK.ElementAccessExpression)
        && n.expression.kind === SK.SuperKeyword;
    }

    // The rewriting of one method's body, HOME the literal's temporary.
    function inMethod(home) {
      function proto() {
        return f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier('Object'),
          'getPrototypeOf'), undefined, [home]);
      }
      function get(access) {
        return ts.setTextRange(f.createCallExpression(f.createIdentifier(SUPER_GET), undefined,
          [proto(), ts.visitNode(superKey(access), visit), f.createThis()]), access);
      }
      function visit(n) {
        if (ts.isClassLike(n) || (ts.isFunctionLike(n) && n.kind !== SK.ArrowFunction)) return outer(n);
        if (n.kind === SK.ObjectLiteralExpression) return literal(n, visit);
        if (n.kind === SK.CallExpression && isSuperAccess(n.expression)) {
          return ts.setTextRange(f.createCallExpression(f.createPropertyAccessExpression(get(n.expression), 'call'),
            undefined, [f.createThis()].concat(ts.visitNodes(n.arguments, visit))), n);
        }
        if (n.kind === SK.BinaryExpression && n.operatorToken.kind === SK.EqualsToken && isSuperAccess(n.left)) {
          return ts.setTextRange(f.createCallExpression(f.createIdentifier('__eiderSuperSet'), undefined,
            [proto(), ts.visitNode(superKey(n.left), visit), ts.visitNode(n.right, visit), f.createThis()]), n);
        }
        if (isSuperAccess(n)) return get(n);
        return ts.visitEachChild(n, visit, context);
      }
      return visit;
    }

    // Outside any such method.
    function outer(node) {
      if (node.kind === SK.ObjectLiteralExpression) return literal(node, outer);
      return ts.visitEachChild(node, outer, context);
    }

    // An object literal; REST visits what is not a method's body (the
    // values of plain properties, computed names: the enclosing code's).
    function literal(node, rest) {
      var proto = node.properties.filter(isProto)[0], out;
      if (!node.properties.some(function (m) { return isOwnMember(m) && m.body && usesSuper(m.body); })) {
        out = ts.visitEachChild(node, rest, context);
      } else {
        var home = f.createTempVariable(context.hoistVariableDeclaration), visitMethod = inMethod(home);
        out = f.createParenthesizedExpression(f.createAssignment(home,
          f.updateObjectLiteralExpression(node, ts.visitNodes(node.properties, function (m) {
            if (!isOwnMember(m) || !m.body) return ts.visitEachChild(m, rest, context);
            return ts.visitEachChild(m, function (c) { return c === m.body ? visitMethod(c) : rest(c); }, context);
          }))));
      }
      if (!proto) return out;
      // Duktape would make `__proto__: p` an own property: the literal
      // is made without it and given its prototype (the value evaluated
      // first, as when it is written first, as it usually is).
      var literalNode = out.kind === SK.ParenthesizedExpression ? out.expression.right : out;
      var rebuilt = f.updateObjectLiteralExpression(literalNode, literalNode.properties.filter(function (m) {
        return ts.getOriginalNode(m) !== proto;
      }));
      if (out !== literalNode) rebuilt = f.createParenthesizedExpression(f.createAssignment(out.expression.left, rebuilt));
      return ts.setTextRange(f.createCallExpression(f.createIdentifier('__eiderWithProto'), undefined,
        [ts.visitNode(proto.initializer, rest), rebuilt]), node);
    }

    // `__proto__: value` in a literal (not computed, not shorthand: those
    // make an own property named __proto__).
    function isProto(m) {
      return m.kind === SK.PropertyAssignment && (m.name.kind === SK.Identifier || m.name.kind === SK.StringLiteral)
        && m.name.text === '__proto__';
    }

    return function (sf) {
      if (!/\bsuper\s*(\.|\[)|__proto__/.test(sf.text)) return sf;
      context.startLexicalEnvironment();
      var statements = ts.visitNodes(sf.statements, outer);
      return f.updateSourceFile(sf, ts.setTextRange(f.createNodeArray(
        f.mergeLexicalEnvironment(statements.slice(), context.endLexicalEnvironment())), sf.statements));
    };
  }

  // super.x read in a class reads the parent's x with `this` as the
  // receiver: TypeScript's ES5 output reads _super.prototype.x, which
  // runs a parent getter on the prototype. Before TypeScript's own
  // lowering, each read (not a call, not an assignment) becomes
  //   __eiderSuperGet(super.x, this)
  // which TypeScript lowers as usual (_super.prototype.x, _this in an
  // arrow); superGetAfter then splits the property access into the home
  // object and the key: __eiderSuperGet(_super.prototype, "x", this).
  function superReads(context) {
    var f = context.factory, inClass = 0;

    function isRead(node) {
      var p = node.parent;
      if (p.kind === SK.CallExpression && p.expression === node) return false;
      if (p.kind === SK.TaggedTemplateExpression || p.kind === SK.DeleteExpression) return false;
      return !ts.isAssignmentTarget(node);
    }

    function visit(node) {
      if (ts.isClassLike(node)) {
        inClass++;
        var out = ts.visitEachChild(node, visit, context);
        inClass--;
        return out;
      }
      if (inClass && (node.kind === SK.PropertyAccessExpression || node.kind === SK.ElementAccessExpression)
          && node.expression.kind === SK.SuperKeyword && isRead(node)) {
        return ts.setTextRange(f.createCallExpression(f.createIdentifier(SUPER_GET), undefined,
          [ts.visitEachChild(node, visit, context), f.createThis()]), node);
      }
      return ts.visitEachChild(node, visit, context);
    }

    return function (sf) {
      return /\bsuper\s*(\.|\[)/.test(sf.text) ? ts.visitEachChild(sf, visit, context) : sf;
    };
  }
  var SUPER_GET = '__eiderSuperGet';

  function superGetAfter(context) {
    var f = context.factory;
    function visit(node) {
      node = ts.visitEachChild(node, visit, context);
      if (node.kind !== SK.CallExpression || node.expression.kind !== SK.Identifier
          || ts.idText(node.expression) !== SUPER_GET || node.arguments.length !== 2) return node;
      var access = node.arguments[0], key;
      if (access.kind === SK.PropertyAccessExpression) key = f.createStringLiteral(ts.idText(access.name));
      else if (access.kind === SK.ElementAccessExpression) key = access.argumentExpression;
      else return node;
      return f.updateCallExpression(node, node.expression, undefined,
        [access.expression, key, node.arguments[1]]);
    }
    return function (sf) {
      return sf.text.indexOf('super') < 0 ? sf : ts.visitEachChild(sf, visit, context);
    };
  }

  // What ES5 functions do not say about the function they were lowered
  // from, fixed in TypeScript's output (an `after` transformer):
  //   - a class called without new throws a TypeError, as in V8: its
  //     constructor function starts with
  //       if (!(this instanceof C)) throw new TypeError("Class constructor C ...")
  //     (TypeScript keeps no link from that function to the class but its
  //     text range: the constructor's, or the class's when it has none,
  //     which classRanges notes before TypeScript lowers the class);
  //   - an arrow function becomes a method of an object literal,
  //       ({ name(x) { ... } }).name
  //     which Duktape makes without a prototype property and refuses to
  //     construct (a function expression's prototype object, which V8 does
  //     not give an arrow, also made each arrow dearer to create); the
  //     name is the one V8 infers from a variable, property or assignment;
  //   - an object literal's getter or setter stays enumerable (below);
  //   - a function with default parameters has the length of the
  //     parameters before the first default (or rest): __eiderLength(fn, n)
  //     sets it, as it cannot be said in ES5 syntax without moving those
  //     parameters into the arguments object.
  var classes = null;   // pos:end of a lowered constructor -> the class's name

  // The name V8 gives an anonymous function or class at NODE, or ''.
  function inferredName(node) {
    var p = node.parent, n;
    while (p && p.kind === SK.ParenthesizedExpression) p = p.parent;
    if (!p) return '';
    if ((p.kind === SK.VariableDeclaration || p.kind === SK.PropertyAssignment
         || p.kind === SK.PropertyDeclaration || p.kind === SK.Parameter
         || p.kind === SK.BindingElement) && p.initializer === node) n = p.name;
    else if (p.kind === SK.BinaryExpression && p.operatorToken.kind === SK.EqualsToken && p.right === node) n = p.left;
    if (n && (n.kind === SK.Identifier || n.kind === SK.StringLiteral)) return n.text;
    return '';
  }

  // The length ES gives a function: its parameters before the first
  // default or rest (a TypeScript `this` parameter is none).
  function expectedLength(fn) {
    var n = 0, ps = fn.parameters || [];
    for (var i = 0; i < ps.length; i++) {
      if (ps[i].initializer || ps[i].dotDotDotToken) break;
      if (!(i === 0 && ps[i].name.kind === SK.Identifier && ps[i].name.text === 'this')) n++;
    }
    return n;
  }

  function hasDefaults(fn) {
    return (fn.parameters || []).some(function (p) { return !!p.initializer; });
  }

  // The built-in constructors that, called as _super.call(this, ...),
  // ignore `this` and make a plain object of their own (or throw without
  // new): a class extending one constructs it with __eiderConstructBuiltin.
  // (Error and its kind, Map and Set take `this` in eider's prelude.)
  var BUILTIN_PARENTS = /^(Array|Object|Function|Date|Boolean|Number|String|ArrayBuffer|DataView|(Ui|I)nt(8|16|32)Array|Uint8ClampedArray|Float(32|64)Array)$/;

  // Before TypeScript lowers classes: notes each class's constructor range.
  function classRanges(context) {
    function visit(node) {
      if (ts.isClassLike(node)) {
        var ctor = node.members.filter(function (m) { return m.kind === SK.Constructor && m.body; })[0];
        var at = ctor || node;
        var parent = (node.heritageClauses || []).filter(function (h) {
          return h.token === SK.ExtendsKeyword;
        })[0];
        parent = parent && parent.types[0].expression;
        classes[at.pos + ':' + at.end] = {
          name: node.name ? node.name.text : inferredName(node),
          length: ctor && hasDefaults(ctor) ? expectedLength(ctor) : -1,
          builtin: !!parent && parent.kind === SK.Identifier && BUILTIN_PARENTS.test(parent.text)
        };
      }
      ts.forEachChild(node, visit);
    }
    return function (sf) {
      if (/\bclass\b/.test(sf.text)) visit(sf);
      return sf;
    };
  }

  function functionsAfter(context) {
    var f = context.factory;

    function setLength(expr, n) {
      return f.createCallExpression(f.createIdentifier('__eiderLength'), undefined,
        [expr, f.createNumericLiteral(n)]);
    }

    // new.target first: it is set when the class itself is constructed,
    // and costs much less than instanceof (which also looks up
    // Symbol.hasInstance), left for a parent's constructor that a derived
    // one calls as _super.call(this, ...).
    function classCheck(fn, name) {
      // `this` as an identifier: TypeScript substitutes a ThisKeyword in a
      // derived class's constructor with _this, not yet set at its start.
      return f.createIfStatement(
        f.createLogicalAnd(
          f.createStrictEquality(f.createMetaProperty(SK.NewKeyword, f.createIdentifier('target')),
            f.createVoidZero()),
          f.createLogicalNot(f.createParenthesizedExpression(
            f.createBinaryExpression(f.createIdentifier('this'), SK.InstanceOfKeyword, fn.name)))),
        f.createThrowStatement(f.createNewExpression(f.createIdentifier('TypeError'), undefined,
          [f.createStringLiteral('Class constructor ' + name + " cannot be invoked without 'new'")])));
    }

    // In the constructor of a class extending a built-in (BUILTIN_PARENTS):
    // TypeScript's `_super.call(this, a) || this` (or .apply(this,
    // arguments), maybe after `_super !== null &&`) becomes
    //   __eiderConstructBuiltin(_super, [a], this)
    // which constructs the parent with new and gives the result the
    // prototype of `this` (the class's, or a subclass's).
    function constructBuiltin(node) {
      if (ts.isFunctionLike(node)) return node;
      node = ts.visitEachChild(node, constructBuiltin, context);
      if (node.kind !== SK.BinaryExpression || node.operatorToken.kind !== SK.BarBarToken
          || node.right.kind !== SK.ThisKeyword) return node;
      var call = node.left;
      if (call.kind === SK.BinaryExpression && call.operatorToken.kind === SK.AmpersandAmpersandToken) call = call.right;
      var callee = call.kind === SK.CallExpression && call.expression;
      if (!callee || callee.kind !== SK.PropertyAccessExpression || callee.expression.kind !== SK.Identifier
          || ts.idText(callee.expression) !== '_super' || call.arguments.length < 1
          || call.arguments[0].kind !== SK.ThisKeyword) return node;
      var method = ts.idText(callee.name), rest = call.arguments.slice(1), args;
      if (method === 'call') args = f.createArrayLiteralExpression(rest);
      else if (method === 'apply' && rest.length === 1) args = rest[0];
      else return node;
      return ts.setTextRange(f.createCallExpression(f.createIdentifier('__eiderConstructBuiltin'), undefined,
        [callee.expression, args, f.createIdentifier('this')]), node);   // not _this (classCheck)
    }

    // The statements for a FunctionDeclaration: itself, and maybe its length.
    function declaration(node) {
      var cls = classes[node.pos + ':' + node.end], length = -1, orig = ts.getOriginalNode(node);
      if (cls && node.name && node.body) {
        var body = cls.builtin ? ts.visitEachChild(node.body, constructBuiltin, context) : node.body;
        node = f.updateFunctionDeclaration(node, node.modifiers, node.asteriskToken, node.name,
          node.typeParameters, node.parameters, node.type,
          f.updateBlock(body, [classCheck(node, cls.name)].concat(body.statements)));
        length = cls.length;
      } else if (orig.kind === SK.FunctionDeclaration && hasDefaults(orig)) {
        length = expectedLength(orig);
      }
      if (length < 0 || !node.name) return node;
      return [node, f.createExpressionStatement(setLength(node.name, length))];
    }

    // NODE (a function expression) as a method NAME of its own object,
    // `({ name(...) {...} }).name`, which Duktape names and makes as V8
    // makes a method or an arrow: no prototype, not constructible.
    function asMethod(node, name) {
      var key = plainMethodName(name) ? f.createIdentifier(name) : f.createStringLiteral(name);
      var method = f.createMethodDeclaration(undefined, undefined, undefined, key, undefined, undefined,
        node.parameters, undefined, node.body);
      // The flags say whether its `this` is the enclosing one (_this).
      ts.setEmitFlags(ts.setTextRange(method, node), ts.getEmitFlags(node));
      var object = f.createParenthesizedExpression(f.createObjectLiteralExpression([method]));
      return ts.setTextRange(key.kind === SK.Identifier
        ? f.createPropertyAccessExpression(object, name)
        : f.createElementAccessExpression(object, f.createStringLiteral(name)), node);
    }

    // Whether Duktape takes NAME as a method's name as written: an
    // identifier, not a reserved word (it refuses `{ delete() {} }`, and
    // in strict code `{ let() {} }`, which ES5 does not have) nor get or
    // set (it reads `{ get() {} }` as the start of a getter). Quoted,
    // those make methods without a name.
    function plainMethodName(name) {
      var token = ts.stringToToken(name);
      return /^[A-Za-z_$][\w$]*$/.test(name) && !NOT_METHOD_NAMES.test(name)
        && !(token >= SK.FirstReservedWord && token <= SK.LastReservedWord);
    }
    var NOT_METHOD_NAMES = /^(get|set|implements|interface|let|package|private|protected|public|static|yield|eval|arguments)$/;

    // The name of ORIG, a method of a class or object literal that can be
    // written as an ES5 method of that name, or ''.
    function methodName(orig) {
      return orig.kind === SK.MethodDeclaration && orig.name.kind === SK.Identifier
        && plainMethodName(orig.name.text) ? orig.name.text : '';
    }

    // The name V8 infers for ORIG, an anonymous function expression, when
    // giving it that name costs nothing per call: it is made once, by a
    // declaration at the top level of the file (Duktape makes a named
    // function expression about twice as slowly, so not in a function),
    // and does not mention the name (which would then be its own).
    function topLevelName(orig) {
      var decl = orig.parent, list = decl && decl.parent, statement = list && list.parent;
      if (orig.kind !== SK.FunctionExpression || orig.name || !decl || decl.kind !== SK.VariableDeclaration
          || decl.initializer !== orig || decl.name.kind !== SK.Identifier || !statement
          || statement.kind !== SK.VariableStatement || statement.parent.kind !== SK.SourceFile) return '';
      var name = decl.name.text, mentioned = false;
      (function walk(n) {
        if (n.kind === SK.Identifier && n.text === name) mentioned = true;
        else if (!mentioned) ts.forEachChild(n, walk);
      })(orig);
      return mentioned ? '' : name;
    }

    function expression(node) {
      var orig = ts.getOriginalNode(node), out = node, name;
      if (orig.kind === SK.ArrowFunction) out = asMethod(node, inferredName(orig));
      else if ((name = topLevelName(orig))) {
        out = f.updateFunctionExpression(node, node.modifiers, node.asteriskToken, f.createIdentifier(name),
          node.typeParameters, node.parameters, node.type, node.body);
      }
      // A class's method: once per class, so the object around it is
      // no cost to speak of.
      else if (methodName(orig) && orig.parent && ts.isClassLike(orig.parent)) out = asMethod(node, methodName(orig));
      if (ts.isFunctionLike(orig) && orig.kind !== SK.Constructor && hasDefaults(orig)) {
        out = ts.setTextRange(setLength(out, expectedLength(orig)), node);
      }
      return out;
    }

    // An object literal's method, which TypeScript writes `m: function`,
    // written back as the method `m() {...}` (named, not constructible).
    function literalMethods(node) {
      var changed = false, props = node.properties.map(function (p) {
        var fn = p.kind === SK.PropertyAssignment && p.initializer, orig = fn && ts.getOriginalNode(fn);
        if (!fn || fn.kind !== SK.FunctionExpression || !methodName(orig) || !orig.parent
            || orig.parent.kind !== SK.ObjectLiteralExpression || p.name.kind !== SK.Identifier
            || p.name.text !== methodName(orig)) return p;
        changed = true;
        var method = f.createMethodDeclaration(undefined, undefined, undefined, p.name, undefined, undefined,
          fn.parameters, undefined, fn.body);
        return ts.setEmitFlags(ts.setTextRange(method, p), ts.getEmitFlags(fn));
      });
      return changed ? f.updateObjectLiteralExpression(node, props) : node;
    }

    // An object literal's accessor that TypeScript defines apart (the
    // literal has computed keys before it) is enumerable, as written:
    // TypeScript describes it as a class's, { get: ..., enumerable: false }.
    function isLiteralAccessor(fn) {
      var orig = ts.getOriginalNode(fn);
      return (orig.kind === SK.GetAccessor || orig.kind === SK.SetAccessor)
        && orig.parent && orig.parent.kind === SK.ObjectLiteralExpression;
    }

    function descriptor(node) {
      var props = node.properties, accessor = props.some(function (p) {
        return p.kind === SK.PropertyAssignment && p.name.kind === SK.Identifier
          && (p.name.text === 'get' || p.name.text === 'set') && isLiteralAccessor(p.initializer);
      });
      if (!accessor) return node;
      return f.updateObjectLiteralExpression(node, props.map(function (p) {
        return p.kind === SK.PropertyAssignment && p.name.kind === SK.Identifier && p.name.text === 'enumerable'
          ? f.updatePropertyAssignment(p, p.name, f.createTrue()) : p;
      }));
    }

    function visit(node) {
      node = ts.visitEachChild(node, visit, context);
      if (node.kind === SK.FunctionDeclaration) return declaration(node);
      if (node.kind === SK.FunctionExpression) return expression(node);
      if (node.kind === SK.ObjectLiteralExpression) return literalMethods(descriptor(node));
      return node;
    }

    return function (sf) {
      return ts.visitEachChild(sf, visit, context);
    };
  }

  var tsOptions = {};
  for (var k in options) tsOptions[k] = options[k];
  tsOptions.useDefineForClassFields = false;

  return function eiderLower(fileName, text) {
    classes = Object.create(null);
    var out = ts.transpileModule(text, {
      fileName: fileName,
      compilerOptions: /\.ts$/.test(fileName) ? tsOptions : options,
      reportDiagnostics: true,
      transformers: {
        before: [constGuard, asyncCoroutines, iterableArguments, arrowArguments, regExpLiterals, objectLiterals, superReads,
                 classRanges, parameterScope],
        after: [superGetAfter, functionsAfter]
      }
    });
    var errors = (out.diagnostics || []).filter(function (d) {
      return d.category === ts.DiagnosticCategory.Error;
    });
    if (errors.length > 0) throw describe(errors[0]);
    // The map's own comment would name a .map file that does not exist.
    var code = out.outputText.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n');
    return [code, out.sourceMapText || ''];
  };
})();
