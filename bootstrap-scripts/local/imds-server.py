#!/usr/bin/env python3
"""The fake instance metadata service of `local-build.sh --boot` and of the boot test: every request, whatever its
path, is answered by imds.cgi beside this file (the IMDSv2 rules live there, once; tests/firstboot.bats tests them).

    imds-server.py STATE_DIR PORT_FILE    listens on a free loopback port and writes the port to PORT_FILE
"""
import http.server
import os
import subprocess
import sys

CGI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "imds.cgi")
STATE = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "MOCK_IMDS_STATE": STATE,
               "REQUEST_METHOD": self.command, "PATH_INFO": self.path.split("?", 1)[0]}
        for name, value in self.headers.items():
            env["HTTP_" + name.upper().replace("-", "_")] = value
        output = subprocess.run(["sh", CGI], env=env, capture_output=True, check=False).stdout
        head, _, body = output.partition(b"\r\n\r\n")
        status, headers = 500, []
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = answer

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2] + ".part", "w") as port_file:
    port_file.write(str(server.server_address[1]))
os.rename(sys.argv[2] + ".part", sys.argv[2])
server.serve_forever()
