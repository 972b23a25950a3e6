"""The club's year at a glance ("Statystyki" in Reports): figures for the yearly report to
the voivode (art. 18a) and to the council, in the admin, as XLSX and CSV, and through API v3."""
