"""Recompute the access log's hash chain and report the first broken entry (exit code 1)."""

from django.core.management.base import BaseCommand, CommandError

from audit.services import verify_chain


class Command(BaseCommand):
    help = "Controleer de hashketen van het toegangslog; meldt de eerste verbroken regel."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Toegangslog NIET intact: regel {report.broken_id} ({report.reason}); "
                f"{report.checked} regels ervoor zijn in orde."
            )
        self.stdout.write(self.style.SUCCESS(f"Toegangslog intact: {report.checked} regels gecontroleerd."))
