# The stand-in for the official mariadb image, over the debootstrap base
# that build.sh imports.
ARG BASE
FROM ${BASE}
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# As the official image: listen on every address, no name resolution,
# errors to stderr, the socket's folder owned by mysql.
RUN sed -i -e 's/^bind-address/#&/' -e 's/^log_error/#&/' \
	    /etc/mysql/mariadb.conf.d/50-server.cnf && \
	printf '[mariadb]\nhost-cache-size=0\nskip-name-resolve\n' \
	    >/etc/mysql/mariadb.conf.d/05-skipcache.cnf && \
	mkdir -p /run/mysqld /docker-entrypoint-initdb.d && \
	chown mysql:mysql /run/mysqld /var/lib/mysql
COPY mariadb-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/mysql
EXPOSE 3306
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["mariadbd"]
