/* Parses YAML through libyaml from Ruby: proves the libyaml headers and library psych builds against are there. */
#include <ruby.h>
#include <yaml.h>

static VALUE yamlcheck_version(VALUE self)
{
    return rb_str_new_cstr(yaml_get_version_string());
}

/* Number of scalars in a document, or nil when libyaml rejects it. */
static VALUE yamlcheck_count_scalars(VALUE self, VALUE document)
{
    yaml_parser_t parser;
    yaml_event_t event;
    long scalars = 0;
    int done = 0, failed = 0;

    StringValue(document);
    if (!yaml_parser_initialize(&parser))
        rb_raise(rb_eRuntimeError, "yaml_parser_initialize failed");
    yaml_parser_set_input_string(&parser, (const unsigned char *)RSTRING_PTR(document), RSTRING_LEN(document));
    while (!done) {
        if (!yaml_parser_parse(&parser, &event)) {
            failed = 1;
            break;
        }
        if (event.type == YAML_SCALAR_EVENT)
            scalars++;
        done = (event.type == YAML_STREAM_END_EVENT);
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    return failed ? Qnil : LONG2NUM(scalars);
}

void Init_yamlcheck(void)
{
    VALUE module = rb_define_module("YAMLCheck");
    rb_define_module_function(module, "version", yamlcheck_version, 0);
    rb_define_module_function(module, "count_scalars", yamlcheck_count_scalars, 1);
}
