"""Writes for coaching, one module per concept: plans, the schedule, trajectories, contacts,
situations and support actions.

Every write is a `<thing>_<verb>` service with keyword-only arguments, inside one transaction,
and leaves a timeline event on the student (without free text: the timeline is shown widely
and the notes are personal data). Callers import from `coaching.services`.
"""

from coaching.selectors import open_trajectory
from coaching.services.contacts import (
    CLOSED_MESSAGE,
    contact_edit,
    contact_edit_window,
    contact_is_editable,
    contact_log,
)
from coaching.services.plans import _default_plan, followup_plans_ensure
from coaching.services.schedule import (
    COMPLETE_AHEAD_DAYS,
    _today,
    checkin_add,
    checkin_move,
    checkins_lapse_after_pause,
    diploma_date_of,
    due_checkin,
    schedule_regenerate,
)
from coaching.services.situations import situation_record
from coaching.services.support import support_action_add, support_action_update
from coaching.services.trajectories import (
    trajectories_close_after_withdrawal,
    trajectory_assign,
    trajectory_close,
    trajectory_reopen,
    trajectory_start,
    trajectory_switch_plan,
)

__all__ = [
    "CLOSED_MESSAGE",
    "COMPLETE_AHEAD_DAYS",
    "_default_plan",
    "_today",
    "checkin_add",
    "checkin_move",
    "checkins_lapse_after_pause",
    "contact_edit",
    "contact_edit_window",
    "contact_is_editable",
    "contact_log",
    "diploma_date_of",
    "due_checkin",
    "followup_plans_ensure",
    "open_trajectory",
    "schedule_regenerate",
    "situation_record",
    "support_action_add",
    "support_action_update",
    "trajectories_close_after_withdrawal",
    "trajectory_assign",
    "trajectory_close",
    "trajectory_reopen",
    "trajectory_start",
    "trajectory_switch_plan",
]
