// An in-memory store shared by the /users handlers of one worker. Names
// starting with "_" are never routed, only required. Each worker has its
// own copy: real state belongs in a database (see _lib/db.js and /notes).
var users = {}, next = 1;

exports.add = function (name) {
    var user = { id: String(next++), name: name };
    users[user.id] = user;
    return user;
};

exports.get = function (id) {
    return users[id] || (/^\d+$/.test(id) ? { id: id, name: 'user ' + id } : null);
};

exports.remove = function (id) {
    delete users[id];
};

exports.list = function () {
    return Object.keys(users).map(function (id) { return users[id]; });
};
