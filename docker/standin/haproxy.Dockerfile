# The stand-in for the official haproxy image: Debian's haproxy, its
# configuration read from /usr/local/etc/haproxy/haproxy.cfg, run in the
# foreground as the haproxy user.
ARG BASE
FROM ${BASE}
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /usr/local/etc/haproxy
USER haproxy
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
