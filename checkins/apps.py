from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "checkins"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Check-in door de jongere"

    def ready(self):
        from checkins import sending, timeline  # noqa: F401  (registers how check-in events read)

        sending.register()

        from checkins.selectors import self_checkin_state
        from coaching.selectors import CASELOAD_COLUMNS

        CASELOAD_COLUMNS["self_checkin"] = self_checkin_state
