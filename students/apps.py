from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "students"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from students import timeline  # noqa: F401  (the timeline's registry and its own events)
