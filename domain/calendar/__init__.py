"""Calendar feeds: on-call shifts as iCalendar, served at secret URLs calendar apps subscribe to."""
