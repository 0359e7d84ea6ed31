"""The project's admin site: titles that read well in French, permissions in the reader's language.

Every model admin registered on the site (the project's, Django's, django-axes') gets
`WordedAdminMixin`: its titles, its « add » button, the « add » link of its inlines and its
delete action name the model with its article and agreement (« Ajouter un indicateur »,
« Supprimer les périodes de suivi sélectionnées »; the noun phrases: tiess/admin_nouns.py),
and its permission choices read « Indicateurs | indicateur | Peut ajouter » instead of the
English name Django stores (« Can add indicator »).
"""

import json

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.db.models import BLANK_CHOICE_DASH
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tiess.admin_nouns import nouns_of

# The sentences, each with one of a model's noun phrases (`a`, `the` or `selected`).
ADD = _("Add %(object)s")
CHANGE = _("Change %(object)s")
VIEW = _("View %(object)s")
CHOOSE = _("Choose %(object)s")
CHOOSE_TO_CHANGE = _("Choose %(object)s to change")
CHOOSE_TO_VIEW = _("Choose %(object)s to view")
DELETE = _("Delete %(object)s")
CANNOT_DELETE = _("Cannot delete %(object)s")

# The default permissions, worded without their object (the model is named beside them).
PERMISSION_ACTIONS = {
    "add": _("Can add"),
    "change": _("Can change"),
    "delete": _("Can delete"),
    "view": _("Can view"),
}


def add_title(model):
    """« Ajouter un indicateur », or Django's wording for a model without noun phrases."""
    nouns = nouns_of(model)
    if nouns is None:
        return gettext("Add %(name)s") % {"name": model._meta.verbose_name}
    return ADD % {"object": nouns.a}


def permission_label(permission):
    """« Indicateurs | indicateur | Peut ajouter »; a custom permission in its translation."""
    model = permission.content_type.model_class()
    if model is None:  # a model removed from the code
        return str(permission)
    opts = model._meta
    action = next(
        (
            PERMISSION_ACTIONS[action]
            for action in opts.default_permissions
            if action in PERMISSION_ACTIONS
            and permission.codename == get_permission_codename(action, opts)
        ),
        None,
    )
    name = action if action is not None else gettext(permission.name)
    return f"{opts.app_config.verbose_name} | {opts.verbose_name} | {name}"


class NamedInlineAdminFormSet(helpers.InlineAdminFormSet):
    """An inline whose « add » link names the object: « Ajouter une cible »."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        data["options"]["addText"] = str(capfirst(add_title(self.formset.model)))
        return json.dumps(data)


class WordedAdminMixin:
    """Titles, buttons and actions that name the model with its article (see the module)."""

    def _sentence(self, template, phrase):
        nouns = nouns_of(self.model)
        words = getattr(nouns, phrase, None)
        return None if words is None else template % {"object": words}

    def changelist_view(self, request, extra_context=None):
        if IS_POPUP_VAR in request.GET:
            title = self._sentence(CHOOSE, "the")
        elif self.has_change_permission(request):
            title = self._sentence(CHOOSE_TO_CHANGE, "the")
        else:
            title = self._sentence(CHOOSE_TO_VIEW, "the")
        worded = {"add_title": add_title(self.model)}
        if title is not None:
            worded["title"] = title
        return super().changelist_view(request, {**worded, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            title = add_title(self.model)
        elif self.has_change_permission(request, obj):
            title = self._sentence(CHANGE, "the")
        else:
            title = self._sentence(VIEW, "the")
        if title is not None:
            context["title"] = title
        return super().render_change_form(request, context, add, change, form_url, obj)

    def render_delete_form(self, request, context):
        refused = context.get("perms_lacking") or context.get("protected")
        title = self._sentence(CANNOT_DELETE, "the") if refused else None
        if title is not None:
            context["title"] = title
        return super().render_delete_form(request, context)

    def get_action_choices(self, request, default_choices=BLANK_CHOICE_DASH):
        choices = super().get_action_choices(request, default_choices)
        title = self._sentence(DELETE, "selected")
        if title is None:
            return choices
        return [(name, title if name == "delete_selected" else label) for name, label in choices]

    def response_action(self, request, queryset):
        """The delete action's confirmation page, when it refuses, names what it refuses."""
        response = super().response_action(request, queryset)
        context = getattr(response, "context_data", None) or {}
        if isinstance(response, TemplateResponse) and (
            context.get("perms_lacking") or context.get("protected")
        ):
            title = self._sentence(CANNOT_DELETE, "selected")
            if title is not None:
                context["title"] = title
        return response

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            # Only its « add » link's words change: Django builds the object, we word it.
            inline_admin_formset.__class__ = NamedInlineAdminFormSet
        return inline_admin_formsets

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and db_field.related_model is Permission:
            formfield.label_from_instance = permission_label
        return formfield


class ProjectAdminSite(admin.AdminSite):
    """Django's admin site, whose model admins all get `WordedAdminMixin`."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, WordedAdminMixin):
            # A subclass, as Django itself makes one when given options.
            admin_class = type(
                admin_class.__name__,
                (WordedAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
