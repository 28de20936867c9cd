/*
 * Whether a server offers TLS, from its handshake greeting, before any
 * credential is sent: libmariadb itself only refuses a server without TLS
 * ahead of the login when it also checks the host name.
 */
/* SPDX-License-Identifier: MIT */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "replkit.h"

#define CLIENT_SSL_FLAG 0x0800

static int
dial(const struct repl_addr *a, int64_t deadline)
{
	struct addrinfo hints, *res, *ai;
	struct sockaddr_un sun;
	struct pollfd p;
	char port[8];
	int fd = -1, e, left;
	socklen_t len = sizeof(e);

	if (a->socket[0] != '\0') {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", a->socket);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
			return -1;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
			close(fd);
			return -1;
		}
		return fd;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%u", a->port);
	if (getaddrinfo(a->host, port, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol);
		if (fd == -1)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			p.fd = fd;
			p.events = POLLOUT;
			left = (int)(deadline - repl_now_ms());
			if (left > 0 && poll(&p, 1, left) == 1 &&
			    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == 0 &&
			    e == 0)
				break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/*
 * Read the greeting of the server at a (within timeout_ms) and tell
 * whether it offers TLS. Returns 1 or 0, or -1 with a temporary error
 * when no greeting could be read (the real connection will say why).
 */
int
repl_server_offers_tls(const struct repl_addr *a, int64_t timeout_ms,
    struct repl_err *err)
{
	unsigned char buf[512];
	const unsigned char *p, *end;
	struct pollfd pf;
	int64_t deadline = repl_now_ms() + timeout_ms;
	size_t got = 0, need = 4;
	ssize_t r;
	int fd, left, ret = -1;

	if ((fd = dial(a, deadline)) == -1) {
		repl_err_set(err, REPL_E_TEMP, "no greeting: %s",
		    strerror(errno));
		return -1;
	}
	while (got < need && got < sizeof(buf)) {
		pf.fd = fd;
		pf.events = POLLIN;
		left = (int)(deadline - repl_now_ms());
		if (left <= 0 || poll(&pf, 1, left) != 1)
			break;
		if ((r = read(fd, buf + got, sizeof(buf) - got)) <= 0)
			break;
		got += (size_t)r;
		if (got >= 4)
			need = 4 + (buf[0] | buf[1] << 8 | (size_t)buf[2] << 16);
	}
	close(fd);
	if (got < need || got > sizeof(buf)) {
		repl_err_set(err, REPL_E_TEMP, "no greeting");
		return -1;
	}
	/* protocol 10: version, NUL, thread id, 8 scramble bytes, filler. */
	p = buf + 4;
	end = buf + need;
	if (*p != 10) {
		repl_err_set(err, REPL_E_TEMP, "no greeting (an error packet)");
		return -1;
	}
	for (p++; p < end && *p != '\0'; p++)
		;
	p += 1 + 4 + 8 + 1;
	if (p + 2 <= end)
		ret = ((p[0] | p[1] << 8) & CLIENT_SSL_FLAG) != 0;
	else
		repl_err_set(err, REPL_E_TEMP, "short greeting");
	return ret;
}
