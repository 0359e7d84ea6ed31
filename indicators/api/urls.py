"""The API (/api/…) and the person's token pages (/compte/jetons/…).

Each resource is a list (`<name>_list`) and, but for the statuses, one object
(`<name>_detail`): GET only. DRF marks its views CSRF-exempt; here they are not, so that a
POST without a CSRF token is refused as everywhere else on the site (nothing is written anyway).
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from indicators.api import token_views, views

app_name = "api"
# The schema and its page describe the API to anyone: they read no data. (Authenticated as
# every endpoint, so that a signed-in person's answers stay private: no-store.)
PUBLIC = {"permission_classes": [AllowAny]}


def checked(view):
    """The view with Django's CSRF check, as every other view of the project."""
    view.csrf_exempt = False
    return view


def resource(prefix, viewset, name, *, detail=True):
    patterns = [
        path(f"api/{prefix}/", checked(viewset.as_view({"get": "list"})), name=f"{name}_list")
    ]
    if detail:
        patterns.append(
            path(
                f"api/{prefix}/<int:pk>/",
                checked(viewset.as_view({"get": "retrieve"})),
                name=f"{name}_detail",
            )
        )
    return patterns


urlpatterns = [
    path("api/", token_views.documentation, name="documentation"),
    path(
        "api/schema/",
        checked(SpectacularAPIView.as_view(**PUBLIC)),
        name="schema",
    ),
    path(
        "api/docs/",
        checked(SpectacularSwaggerSplitView.as_view(url_name="api:schema", **PUBLIC)),
        name="swagger_ui",
    ),
    *resource("plans", views.PlanViewSet, "plan"),
    *resource("orientations", views.OrientationViewSet, "orientation"),
    *resource("resultats", views.ResultViewSet, "result"),
    *resource("strategies", views.StrategyViewSet, "strategy"),
    *resource("indicateurs", views.IndicatorViewSet, "indicator"),
    *resource("periodes", views.PeriodViewSet, "period"),
    *resource("cibles", views.TargetViewSet, "target"),
    *resource("valeurs", views.ValueViewSet, "value"),
    *resource("statuts", views.StatusViewSet, "status", detail=False),
    path("compte/jetons/", token_views.token_list, name="token_list"),
    path("compte/jetons/<int:pk>/revoquer/", token_views.token_revoke_view, name="token_revoke"),
]
