from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from coaching import outbox as outbox_engine
        from coaching import (
            reminders,
            timeline,  # noqa: F401  (registers how coaching events read)
        )
        from coaching.signals import on_consent_given, on_consent_withdrawn, on_student_assigned
        from consent.signals import consent_given, consent_withdrawn
        from kwint.lib import outbox
        from students.signals import student_assigned

        outbox.set_store(outbox_engine.store, _dispatch)
        reminders.register()
        student_assigned.connect(on_student_assigned, dispatch_uid="coaching.on_student_assigned")
        consent_withdrawn.connect(on_consent_withdrawn, dispatch_uid="coaching.on_consent_withdrawn")
        consent_given.connect(on_consent_given, dispatch_uid="coaching.on_consent_given")


def _dispatch(ids: list[int]) -> None:
    from coaching.tasks import reminder_send

    for pk in ids:
        reminder_send.delay(pk)
