"""The state of the database, to compare before and after a refused submission."""

from django.apps import apps

APPS = ("organisation", "plans", "performance", "budgets", "reports", "auth")


def snapshot() -> dict[str, list[tuple]]:
    state = {}
    for app_label in APPS:
        for model in apps.get_app_config(app_label).get_models():
            fields = [f.attname for f in model._meta.concrete_fields]
            state[model._meta.label] = sorted(
                model._default_manager.order_by().values_list(*fields), key=repr
            )
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]
