/* Calls into libpq from Ruby: proves Ruby headers, the compiler and the libpq headers/library fit together. */
#include <ruby.h>
#include <libpq-fe.h>

static VALUE pqcheck_lib_version(VALUE self)
{
    return INT2NUM(PQlibVersion());
}

static VALUE pqcheck_parses_conninfo(VALUE self, VALUE conninfo)
{
    char *error = NULL;
    PQconninfoOption *options = PQconninfoParse(StringValueCStr(conninfo), &error);
    if (options == NULL) {
        if (error != NULL)
            PQfreemem(error);
        return Qfalse;
    }
    PQconninfoFree(options);
    return Qtrue;
}

void Init_pqcheck(void)
{
    VALUE module = rb_define_module("PQCheck");
    rb_define_module_function(module, "lib_version", pqcheck_lib_version, 0);
    rb_define_module_function(module, "parses_conninfo?", pqcheck_parses_conninfo, 1);
}
