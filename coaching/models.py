"""Coaching: trajectories, the follow-up schedule, contacts, situations and support actions."""
