"""Analysts' corrections of the correlator (merges and splits), kept for learning."""
