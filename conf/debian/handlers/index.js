// GET / of Debian's eider package: /etc/eider/eider.conf serves this
// directory until its "handlers" names yours.
module.exports = function (req, res) {
    res.json({
        eider: 'installed',
        handlers: '/usr/share/eider/handlers',
        next: 'point "handlers" in /etc/eider/eider.conf at your own directory ' +
              '(man eider-handlers), then: systemctl reload eider'
    });
};
