"""Signals other apps listen to. Consent sits below coaching, so it announces a withdrawal
instead of calling up: coaching closes trajectories that relied on the withdrawn purpose."""

from django.dispatch import Signal

# kwargs: student, purposes (list of withdrawn purposes), actor
consent_withdrawn = Signal()
# kwargs: student, restored ({purpose: when it had been refused or withdrawn}), actor. Sent
# when a purpose that was refused or withdrawn is given again.
consent_given = Signal()
