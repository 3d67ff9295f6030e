"""Stakeholder updates: written updates with an audience, subscriptions, templates."""
