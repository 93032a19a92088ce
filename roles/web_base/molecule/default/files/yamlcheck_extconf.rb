# A Ruby native extension built the way psych builds against the system libyaml: mkmf, yaml.h, -lyaml.
require "mkmf"

have_header("yaml.h") or abort "yaml.h not found: the libyaml development package is missing"
have_library("yaml", "yaml_get_version_string", "yaml.h") or abort "cannot link against libyaml"
create_makefile("yamlcheck")
