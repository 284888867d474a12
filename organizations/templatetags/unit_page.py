"""`{% unit_part item name=value %}`: render a registered unit-page part (`organizations.panels`) with its
own values, and the given ones, pushed on the page's context, as `{% include %}` would."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unit_part(context, item, **extra):
    compiled = context.template.engine.get_template(item.template)
    with context.push(**item.data, **extra):
        return compiled.render(context)
