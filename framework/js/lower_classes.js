/*
 * The lowering's transformers about classes, object literals and the shape
 * of functions (framework/js/lower.js runs them; compiled with it, before
 * it, into the compiler's bytecode): super in literals and classes,
 * __proto__ in literals, built-in parents, methods and arrows as ES5
 * methods, names, lengths and the class-called-without-new check.
 *
 * Defines eiderLowerClasses: { objectLiterals, superReads, classRanges }
 * (before TypeScript's own lowering), { superGetAfter, functionsAfter }
 * (after it), and reset(), called before each file (classRanges notes
 * each class for functionsAfter).
 */
var eiderLowerClasses = (function () {
  'use strict';

  var SK = ts.SyntaxKind;

  // Object literals, where ES5 output and Duktape differ from the language:
  // `__proto__: p` (below, literal) and super in methods (and in a class's
  // static blocks, which TypeScript's ES5 output gets wrong the same way).
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

    // The rewriting of one method's body, HOME the literal's temporary
    // (or, with no HOME, `this`: a static block's home is the class).
    function inMethod(home) {
      function proto() {
        return f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier('Object'),
          'getPrototypeOf'), undefined, [home || f.createThis()]);
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
      // TypeScript runs a class's static block after the class, where its
      // _super is out of reach; its home is the class, its `this`.
      if (node.kind === SK.ClassStaticBlockDeclaration && usesSuper(node.body)) {
        return ts.visitEachChild(node, inMethod(null), context);
      }
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

    // Whether ORIG, an arrow, is (through arrows) in a class's static
    // block or a static field's value.
    function inStaticInitializer(orig) {
      for (var n = orig, p = orig.parent; p; n = p, p = p.parent) {
        if (p.kind === SK.ClassStaticBlockDeclaration) return true;
        if (p.kind === SK.PropertyDeclaration && p.initializer === n) {
          return !!(ts.getCombinedModifierFlags(p) & ts.ModifierFlags.Static);
        }
        if ((ts.isFunctionLike(p) && p.kind !== SK.ArrowFunction) || ts.isClassLike(p)) return false;
      }
      return false;
    }

    function expression(node) {
      var orig = ts.getOriginalNode(node), out = node, name;
      // Not an arrow TypeScript made itself (a static block runs as one),
      // nor one in a static block or field: there `this` is the class,
      // which TypeScript's printer substitutes only in what it still
      // takes for the arrow (a method is a function of its own to it).
      if (orig.kind === SK.ArrowFunction && ts.isParseTreeNode(orig) && !inStaticInitializer(orig)) {
        out = asMethod(node, inferredName(orig));
      }
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

  return {
    objectLiterals: objectLiterals, superReads: superReads, classRanges: classRanges,
    superGetAfter: superGetAfter, functionsAfter: functionsAfter,
    reset: function () { classes = Object.create(null); }
  };
})();
