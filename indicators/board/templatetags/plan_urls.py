"""Links between the board pages of one plan (pure: no queries)."""

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def board_url(name, plan):
    """The URL of the board page `name` (« board_report ») for `plan`: the plain URL for the
    current plan, the plan's own URL (/plans/2018-2023/…) for any other."""
    if plan.is_current:
        return reverse(f"board:{name}")
    return reverse(f"board:plan_{name}", kwargs={"years": plan.years})
