#!/bin/sh
# First start of the db service only (docker-entrypoint-initdb.d): the walbackup service takes base backups over
# the network as the database user, which needs a replication line in pg_hba.conf (the image allows replication
# only locally). An existing deployment adds the same line by hand and reloads (README "Backups").
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
