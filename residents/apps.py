from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "residents"
    verbose_name = "Public pages for residents"
