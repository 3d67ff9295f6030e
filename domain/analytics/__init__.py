"""Analytics: how incidents, alerts and pages went over a period, and charts of it."""
