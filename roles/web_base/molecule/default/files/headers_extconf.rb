# What the ffi, openssl and zlib gems look for before they compile; mkmf compiles and links a probe for each
# (and, like every extconf.rb, must end by writing a Makefile, or mkmf reports a failure).
require "mkmf"

{
  "ffi" => ["ffi.h", "ffi", "ffi_call"],
  "openssl" => ["openssl/ssl.h", "ssl", "SSL_CTX_new"],
  "zlib" => ["zlib.h", "z", "inflate"],
}.each do |gem, (header, library, function)|
  have_header(header) or abort "#{header} not found: the #{gem} gem cannot build"
  have_library(library, function, header) or abort "cannot link against lib#{library}: the #{gem} gem cannot build"
end
create_makefile("headers")
