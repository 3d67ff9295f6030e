"""Who is on call: point questions answered from schedules (see ``query``)."""
