"""Turning domain events into deliveries: today the live hub for subscriptions."""
