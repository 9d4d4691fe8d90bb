// Error.captureStackTrace (stack on a plain object and on a custom error
// made without class syntax), Error.stackTraceLimit's existence, and the
// first stack line (name: message), which is the same in every engine.
function ValidationError(message, field) {
    this.name = 'ValidationError';
    this.message = message;
    this.field = field;
    Error.captureStackTrace(this, ValidationError);
}
ValidationError.prototype = Object.create(Error.prototype);
ValidationError.prototype.constructor = ValidationError;

module.exports = function (req, res) {
    const holder = {};
    Error.captureStackTrace(holder);
    const v = new ValidationError('must be set', 'email');
    var caught;
    try { throw v; } catch (e) { caught = e; }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        holder: typeof holder.stack, vStack: typeof v.stack === 'string',
        firstLine: v.stack.split('\n')[0], isError: caught instanceof Error,
        str: String(caught), field: caught.field, limit: typeof Error.stackTraceLimit,
        enumerable: Object.keys(v),
    }));
};
