// Placeholder until the full POSIX path module lands.
exports.sep = '/';
