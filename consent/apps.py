from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "consent"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from consent import tasks, timeline  # noqa: F401  (timeline: registers how consent events read)

        tasks.register()
