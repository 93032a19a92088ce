# A Ruby native extension built the way the pg gem builds: mkmf, pg_config, libpq-fe.h, -lpq.
require "mkmf"

pg_config = find_executable("pg_config") or abort "pg_config not found: the libpq development package is missing"
$CPPFLAGS << " -I#{`#{pg_config} --includedir`.strip}"
$LDFLAGS << " -L#{`#{pg_config} --libdir`.strip}"
have_header("libpq-fe.h") or abort "libpq-fe.h not found"
have_library("pq", "PQlibVersion", "libpq-fe.h") or abort "cannot link against libpq"
create_makefile("pqcheck")
