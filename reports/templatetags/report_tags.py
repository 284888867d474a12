from django import template

register = template.Library()


@register.simple_tag
def cycle_header(headers, index):
    """The column header for a cell (labels of the stacked table cards on a phone)."""
    try:
        return headers[index]
    except (IndexError, TypeError):
        return ""
