"""The project's admin site (tiess/admin_site.py): section names, titles with their article and
permissions in the reader's language, on every model of the admin."""

import re

from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from tiess.admin_nouns import nouns_of
from tiess.admin_site import permission_label

# What Django's French builds from a bare model name: « Ajout de indicateur »,
# « Ajouter un objet Cible supplémentaire », « Sélectionnez l’objet période de suivi à changer ».
DJANGO_WORDING = ["Ajout de ", "Modification de ", "Affichage de ", "un objet", "l’objet", "objet "]


def page_text(response):
    return response.content.decode()


def section_names(response):
    return re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', page_text(response))


def in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_every_model_of_the_admin_and_its_inlines_has_its_noun_phrases():
    missing = []
    for model, model_admin in admin.site._registry.items():
        nouns = nouns_of(model)
        if nouns is None or nouns.the is None or nouns.selected is None:
            missing.append(model._meta.label)
        missing += [
            inline.model._meta.label for inline in model_admin.inlines if not nouns_of(inline.model)
        ]
    assert missing == []


def test_no_admin_page_words_a_model_the_way_djangos_french_does(
    admin_client, recorded_data, plan_2018_2023
):
    found = {}
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        first = model._default_manager.first()
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first.pk]))
        for url in urls:
            response = admin_client.get(url)
            if response.status_code != 200:
                continue
            title = response.context["title"]
            add_texts = re.findall(r"addText&quot;: &quot;([^&]+)&quot;", page_text(response))
            words = [title, *add_texts, *(label for _, label in _actions(response))]
            bad = [text for text in words if any(w in str(text) for w in DJANGO_WORDING)]
            if bad:
                found[url] = bad
    assert found == {}


def _actions(response):
    form = response.context.get("action_form")
    return form.fields["action"].choices if form else []


def test_django_axes_section_is_named_in_french_and_in_english(admin_client):
    index = admin_client.get(reverse("admin:index"))
    assert "Sécurité des connexions" in section_names(index)
    assert "Axes" not in section_names(index)
    attempts = page_text(admin_client.get(reverse("admin:axes_accessattempt_changelist")))
    breadcrumbs = attempts.split('class="breadcrumbs"')[1].split("</div>")[0]
    assert ">Sécurité des connexions</a>" in breadcrumbs

    assert "Login security" in section_names(in_english(admin_client).get(reverse("admin:index")))


def test_every_admin_section_is_named_in_the_readers_language(admin_client):
    assert section_names(admin_client.get(reverse("admin:index"))) == [
        "Authentification et autorisation",
        "Conseil d’administration",
        "Indicateurs",
        "Plan",
        "Sécurité des connexions",
        "Tâches en arrière-plan",
    ]
    assert section_names(in_english(admin_client).get(reverse("admin:index"))) == [
        "Authentication and Authorization",
        "Background tasks",
        "Board",
        "Indicators",
        "Login security",
        "Plan",
    ]


def test_permissions_are_named_in_the_readers_language(admin_client, admin_user):
    add_plan = Permission.objects.get(codename="add_strategicplan")
    prepare = Permission.objects.get(codename="prepare_meeting")
    assert add_plan.name == "Can add strategic plan"  # as Django stores it
    assert permission_label(add_plan) == "Plan | plan stratégique | Peut ajouter"
    assert permission_label(prepare) == (
        "Conseil d’administration | rencontre du conseil | "
        "Peut préparer les rencontres du conseil et présenter leurs dossiers"
    )
    with translation.override("en"):
        assert permission_label(add_plan) == "Plan | strategic plan | Can add"

    staff = Group.objects.get(name="Personnel")
    page = page_text(admin_client.get(reverse("admin:auth_group_change", args=[staff.pk])))
    assert "Plan | plan stratégique | Peut consulter" in page
    assert "mesure (historique) | Peut consulter" in page
    assert "Can view" not in page
    user_page = page_text(admin_client.get(reverse("admin:auth_user_change", args=[admin_user.pk])))
    assert "Plan | plan stratégique | Peut ajouter" in user_page
