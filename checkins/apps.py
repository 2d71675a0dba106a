from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "checkins"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Check-in door de jongere"

    def ready(self):
        # Registrations into lower apps' registries, so that they never import this app: how
        # check-in events read, the outbox kinds and channels, the caseload column, the demo.
        from checkins import sending, timeline  # noqa: F401
        from checkins.demo import seed_checkins
        from checkins.selectors import self_checkin_state
        from coaching.demo import DEMO_EXTENSIONS
        from coaching.selectors import CASELOAD_COLUMNS

        sending.register()
        CASELOAD_COLUMNS["self_checkin"] = self_checkin_state
        if seed_checkins not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(seed_checkins)
