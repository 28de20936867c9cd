# The stand-in for the official mysql image: Oracle's MySQL from Debian
# (mysql-server-core and mysql-client-core, sid) over the debootstrap base
# that build.sh imports.
ARG BASE
FROM ${BASE}
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# mysql-server-core makes neither the mysql user nor a configuration: as
# the official image, a my.cnf that reads /etc/mysql/conf.d, listens on
# every address without name resolution, logs to stderr; without the X
# plugin's port, and without native AIO, whose kernel-wide limit
# (fs.aio-max-nr) several servers on one machine run out of.
RUN useradd --system --user-group --home-dir /var/lib/mysql --no-create-home \
	    --shell /usr/sbin/nologin mysql && \
	mkdir -p /etc/mysql/conf.d /run/mysqld /var/lib/mysql /var/lib/mysql-files \
	    /docker-entrypoint-initdb.d && \
	chown mysql:mysql /run/mysqld /var/lib/mysql /var/lib/mysql-files && \
	chmod 750 /var/lib/mysql-files && \
	printf '%s\n' '[mysqld]' 'datadir = /var/lib/mysql' \
	    'socket = /run/mysqld/mysqld.sock' 'pid-file = /run/mysqld/mysqld.pid' \
	    'secure-file-priv = /var/lib/mysql-files' 'host-cache-size = 0' \
	    'skip-name-resolve' 'mysqlx = OFF' 'innodb_use_native_aio = OFF' \
	    '' '[client]' 'socket = /run/mysqld/mysqld.sock' \
	    '' '!includedir /etc/mysql/conf.d/' >/etc/mysql/my.cnf
COPY mysql-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/mysql
EXPOSE 3306
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["mysqld"]
