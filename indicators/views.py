from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render

from indicators.models import Indicator


@login_required
@permission_required("indicators.view_indicator", raise_exception=True)
def indicator_detail(request, pk):
    """An indicator: the plan's wording and its definition."""
    indicator = get_object_or_404(Indicator.objects.with_structure(), pk=pk)
    return render(request, "indicators/indicator_detail.html", {"indicator": indicator})
