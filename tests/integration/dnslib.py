"""A DNS server of a test's own on UDP: it answers A queries for the names
it is given (NXDOMAIN for any other name, no AAAA records), or, silent,
never answers at all (a dead or unreachable nameserver). It records the
names it was asked, so a test can see a lookup is under way. Used by
test_resolve.py with eider's `resolver` directive."""
import socket
import struct
import threading


class DNS:
    """A nameserver on HOST:PORT (UDP). ANSWERS maps lower-case names to
    an IPv4 address or a list of them; SILENT drops every query."""

    def __init__(self, answers=None, silent=False, host="127.0.0.1", port=None):
        self.answers = {k.lower(): v for k, v in (answers or {}).items()}
        self.silent = silent
        self.host = host
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, port or 0))
        self.port = self.sock.getsockname()[1]
        self.asked = []            # (name, qtype) in the order received
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def address(self):
        return "%s:%d" % (self.host, self.port)

    def names_asked(self):
        with self.lock:
            return [n for n, _ in self.asked]

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _serve(self):
        while True:
            try:
                data, peer = self.sock.recvfrom(4096)
            except OSError:
                return
            try:
                name, qtype, end = self._question(data)
            except (IndexError, struct.error, UnicodeDecodeError):
                continue
            with self.lock:
                self.asked.append((name, qtype))
            if self.silent:
                continue
            try:
                self.sock.sendto(self._answer(data, name, qtype, end), peer)
            except OSError:
                return

    @staticmethod
    def _question(data):
        """The first question's name, type, and where it ends."""
        i, labels = 12, []
        while data[i]:
            n = data[i]
            labels.append(data[i + 1:i + 1 + n].decode("ascii"))
            i += 1 + n
        qtype = struct.unpack("!H", data[i + 1:i + 3])[0]
        return ".".join(labels).lower(), qtype, i + 5

    def _answer(self, data, name, qtype, end):
        (qid, flags) = struct.unpack("!HH", data[:4])
        addr = self.answers.get(name)
        rcode = 0 if addr is not None else 3          # NXDOMAIN
        addrs = ([addr] if isinstance(addr, str) else addr) if addr is not None and qtype == 1 else []
        answers = b"".join(struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + socket.inet_aton(a)
                           for a in addrs)       # A records, in the order given
        head = struct.pack("!HHHHHH", qid, 0x8000 | (flags & 0x0100) | 0x0080 | rcode, 1,
                           len(addrs), 0, 0)
        return head + data[12:end] + answers
